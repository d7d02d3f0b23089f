"""The app shell as it travels: JavaScript and CSS without comments and indentation.

The sources keep their comments (they say why); a phone on a poor line should not pay for
them: about a fifth of the shell, gzipped. Line breaks are kept, so a line number in an error
report still points at the source line. Not a minifier: names, strings and code are untouched.
"""

import re

# After one of these (or at the start) a `/` begins a regular expression, not a division.
_REGEX_AFTER_CHARS = set("(,=:[!&|?{};+-*%<>~^")
_REGEX_AFTER_WORDS = {"return", "typeof", "case", "do", "else", "in", "of", "new", "delete",
                      "void", "throw", "yield", "await", "instanceof"}
_WORD_BEFORE = re.compile(r"([A-Za-z_$][\w$]*)$")


class _Reader:
    def __init__(self, text: str, mask: bool = False):
        self.text = text
        self.mask = mask  # literals blanked out (see mask_literals)
        self.pos = 0
        self.out: list[str] = []
        self.line_start = True  # only indentation is dropped, and only in code
        self.last = ""  # the last significant character of code written (regex or division)

    def emit(self, chunk: str, significant: bool = True) -> None:
        if not chunk:
            return
        self.out.append(chunk)
        self.line_start = False
        if significant:
            self.last = chunk.rstrip()[-1:] or self.last

    def emit_literal(self, chunk: str, keep_end: str = "", keep_start: int = 1) -> None:
        """A string, regular expression or template text: as it is, or blanked when masking
        (its opening delimiter and `keep_end` kept, line breaks too)."""
        self.emit(chunk)
        if self.mask and chunk:
            end = len(keep_end) if keep_end and chunk.endswith(keep_end) else 0
            middle = re.sub(r"[^\n]", " ", chunk[keep_start:len(chunk) - end])
            self.out[-1] = chunk[:keep_start] + middle + chunk[len(chunk) - end:]

    def newline(self) -> None:
        # Spaces before a line break go too.
        while self.out and self.out[-1] in (" ", "\t"):
            self.out.pop()
        self.out.append("\n")
        self.line_start = True


def _regex_allowed(reader: _Reader) -> bool:
    if not reader.last:
        return True
    if reader.last in _REGEX_AFTER_CHARS:
        return True
    if reader.last.isalnum() or reader.last in "_$":
        word = _WORD_BEFORE.search("".join(reader.out[-12:]).rstrip())
        return bool(word and word.group(1) in _REGEX_AFTER_WORDS)
    return False


def _quoted(reader: _Reader, quote: str) -> None:
    text, start = reader.text, reader.pos
    pos = start + 1
    while pos < len(text) and text[pos] != quote:
        pos += 2 if text[pos] == "\\" else 1
    reader.pos = pos + 1
    reader.emit_literal(text[start:reader.pos], keep_end=quote)


def _regex(reader: _Reader) -> None:
    text, start = reader.text, reader.pos
    pos, in_class = start + 1, False
    while pos < len(text):
        char = text[pos]
        if char == "\\":
            pos += 2
            continue
        if char == "\n":
            break
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "/" and not in_class:
            break
        pos += 1
    pos += 1
    while pos < len(text) and (text[pos].isalpha()):
        pos += 1
    reader.pos = pos
    reader.emit_literal(text[start:pos])


def _template(reader: _Reader) -> None:
    """A template literal from its opening backtick, expressions `${...}` read as code."""
    text = reader.text
    start = reader.pos
    pos = start + 1
    opening = 1  # the backtick; text after a `${...}` starts with no delimiter
    while pos < len(text):
        char = text[pos]
        if char == "\\":
            pos += 2
            continue
        if char == "`":
            reader.emit_literal(text[start:pos + 1], keep_end="`", keep_start=opening)
            reader.pos = pos + 1
            return
        if text.startswith("${", pos):
            reader.emit_literal(text[start:pos + 2], keep_end="${", keep_start=opening)
            reader.pos = pos + 2
            _code(reader, until_brace=True)
            start = pos = reader.pos
            opening = 0
            continue
        pos += 1
    reader.emit_literal(text[start:], keep_start=opening)
    reader.pos = len(text)


def _code(reader: _Reader, until_brace: bool = False) -> None:
    text = reader.text
    depth = 0
    while reader.pos < len(text):
        char = text[reader.pos]
        following = text[reader.pos + 1:reader.pos + 2]
        if char == "\n":
            reader.newline()
            reader.pos += 1
        elif char in " \t\r":
            if not reader.line_start:
                reader.emit(char, significant=False)
            reader.pos += 1
        elif char == "/" and following == "/":
            end = text.find("\n", reader.pos)
            reader.pos = len(text) if end < 0 else end
        elif char == "/" and following == "*":
            end = text.find("*/", reader.pos + 2)
            end = len(text) if end < 0 else end + 2
            for _ in range(text.count("\n", reader.pos, end)):
                reader.newline()
            reader.pos = end
        elif char == "/" and _regex_allowed(reader):
            _regex(reader)
        elif char in "'\"":
            _quoted(reader, char)
        elif char == "`":
            _template(reader)
        elif char == "{":
            depth += 1
            reader.emit(char)
            reader.pos += 1
        elif char == "}":
            if until_brace and depth == 0:
                reader.emit(char)
                reader.pos += 1
                return
            depth -= 1
            reader.emit(char)
            reader.pos += 1
        else:
            reader.emit(char)
            reader.pos += 1


def slim_js(text: str) -> str:
    reader = _Reader(text)
    _code(reader)
    return "".join(reader.out)


def mask_literals(slim: str) -> str:
    """Slimmed JavaScript with the inside of every string, regular expression and template
    text blanked (same length, same lines): what is left is code, for the bundler to read
    (server/pwa_host/bundle.py). A template's `${` and `}` stay, so its expressions nest."""
    reader = _Reader(slim, mask=True)
    _code(reader)
    masked = "".join(reader.out)
    if len(masked) != len(slim):
        raise ValueError("mask_literals wants slimmed JavaScript (no comments, no indentation)")
    return masked


_CSS_TOKEN = re.compile(r"""("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|[ \t]*/\*[\s\S]*?\*/|^[ \t]+|[ \t]+$""",
                        re.MULTILINE)


def slim_css(text: str) -> str:
    def keep(match: re.Match) -> str:
        if match.group(1):
            return match.group(1)
        return "\n" * match.group(0).count("\n")
    return _CSS_TOKEN.sub(keep, text)
