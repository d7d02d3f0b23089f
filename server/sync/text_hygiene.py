"""What text from a phone may hold once it is stored: cleaned of invisible controls, refused
when it is broken.

The decision, per kind of character:
- C0 control characters other than tab and newline (NUL, BEL, ESC, form feed...) are
  removed. They are invisible: a volunteer could never find them, let alone fix them, so
  refusing the response would strand a resident's answer for a character nobody typed on
  purpose (a paste from another app, a keyboard glitch). Removing them changes nothing a
  person can see. They also break what comes after: PostgreSQL cannot store NUL, XLSX
  cannot hold C0 controls, the PDF cuts text at a NUL.
- A carriage return is a line break written the old way: CR LF and a lone CR become LF, so
  the same text typed on two systems is the same answer (and the same content hash).
- A lone surrogate (half of a UTF-16 pair, e.g. "\\ud800") refuses the response. It is not a
  character: it cannot be written as UTF-8 at all, and there is no way to know what the
  resident said, so any replacement would be a guess stored as their words. The phone
  shows it as a visible "�" that the volunteer can correct before sending again.
Tab, newline and every other character (DEL and C1 controls included, which every store
and output here accepts) are kept exactly as sent.
"""

import re

# C0 controls except tab (\x09) and line feed (\x0a); CR (\x0d) is dealt with first.
_INVISIBLE_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
# json.loads joins a valid surrogate pair into one character: any surrogate left is lone.
_SURROGATE = re.compile("[\ud800-\udfff]")
# Whatever clean_text changes or refuses (C0 controls but tab and LF, so CR too; surrogates):
# one scan tells that most text is stored as sent.
_NEEDS_CARE = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff]")


class BrokenText(ValueError):
    """The text holds a lone surrogate: not a character, so it cannot be stored."""


def needs_care(text: str) -> bool:
    """Whether clean_text would change or refuse the text (False: it is kept as sent)."""
    return _NEEDS_CARE.search(text) is not None


def clean_text(text: str) -> str:
    """The text without invisible controls and with LF line breaks; BrokenText when it
    holds a lone surrogate."""
    if not _NEEDS_CARE.search(text):
        return text
    if _SURROGATE.search(text):
        raise BrokenText(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _INVISIBLE_CONTROLS.sub("", text)
