"""The random codes of the suggestion box: a box's code (in its public address and on its
poster) and a message's receipt code (what the resident keeps to follow it up).

Both come from an alphabet without look-alikes (no 0/O, 1/I/L), so a code copied from paper
or read out over the phone comes back right. A receipt has 12 characters (60 bits): it is the
only key to the follow-up page, so it must not be guessable."""

import re
import secrets

BOX_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
BOX_CODE_LENGTH = 8
RECEIPT_LENGTH = 12
# What a box code in a URL may look like (older or typed codes may hold any a-z0-9).
BOX_CODE_PATTERN = r"^[a-z0-9]{4,16}$"
_BOX_CODE = re.compile(BOX_CODE_PATTERN)
_RECEIPT = re.compile(r"^[A-Z0-9]{12}$")


def new_box_code() -> str:
    while True:
        code = "".join(secrets.choice(BOX_ALPHABET) for _ in range(BOX_CODE_LENGTH))
        if not code.isdigit():          # an all-digit code would read as an id in the API
            return code


def new_receipt_code() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def normalise_box_code(text: str) -> str | None:
    code = (text or "").strip().lower()
    return code if _BOX_CODE.match(code) else None


def normalise_receipt(text: str) -> str | None:
    """A receipt as typed ("abcd-efgh-jkmn", with spaces or dashes) in its stored form."""
    code = re.sub(r"[\s\-.]", "", (text or "")).upper()
    return code if _RECEIPT.match(code) else None


def format_receipt(code: str) -> str:
    """ABCDEFGHJKMN -> ABCD-EFGH-JKMN, easier to copy by hand."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))
