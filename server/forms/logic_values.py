"""The value semantics of the form expression language.

Mirrored line for line in pwa/js/form-logic-values.js; forms/vectors/logic.json fixes
the behaviour both sides must share. Values are None (empty), str, float, bool or a
list of str (select_multiple). NaN stands for "not a number" and never leaves evaluate().
"""

import math
import re
import unicodedata
from decimal import Decimal

NAN = float("nan")

# An explicit set, so that Python and JavaScript trim exactly the same characters.
WHITESPACE = " \t\n\r\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_TRIM = re.compile(f"^[{WHITESPACE}]+|[{WHITESPACE}]+$")
_SPLIT = re.compile(f"[{WHITESPACE}]+")
_NUMBER = re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$")
MAX_SAFE_INTEGER = 2**53 - 1


def normalize_text(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def trim(text: str) -> str:
    return _TRIM.sub("", text)


def split_tokens(text: str) -> list[str]:
    return [token for token in _SPLIT.split(text) if token]


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def parse_number_text(text: str) -> float:
    """A decimal written plainly ("42", "-3.5", ".5"); anything else is NaN."""
    text = trim(text)
    if not _NUMBER.match(text):
        return NAN
    number = float(text)
    return number if math.isfinite(number) else NAN


def is_empty(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return trim(value) == ""
    if isinstance(value, list):
        return len(value) == 0
    return not (isinstance(value, bool) or is_number(value))


def to_number(value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if is_number(value):
        number = float(value)
        return number if math.isfinite(number) else NAN
    if isinstance(value, str):
        return parse_number_text(value)
    if isinstance(value, list):
        return parse_number_text(to_string(value))
    return NAN


def to_boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    if is_number(value):
        return value == value and value != 0
    if isinstance(value, str):
        return not is_empty(value)
    if isinstance(value, list):
        return len(value) > 0
    return False


def to_string(value) -> str:
    if isinstance(value, str):
        return normalize_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        return format_number(value)
    if isinstance(value, list):
        return " ".join(to_string(item) for item in value)
    return ""


def format_number(value) -> str:
    """ECMAScript Number::toString, so both sides print numbers identically."""
    value = float(value)
    if value != value:
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    # repr() gives the shortest digits that round-trip, as JavaScript does.
    _, digit_tuple, exponent = Decimal(repr(abs(value))).as_tuple()
    digits = "".join(str(d) for d in digit_tuple).rstrip("0") or "0"
    exponent += len("".join(str(d) for d in digit_tuple)) - len(digits)
    k = len(digits)
    n = exponent + k
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        text = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
        text = f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"
    return sign + text


def _flatten(value):
    return to_string(value) if isinstance(value, list) else value


def values_equal(left, right) -> bool:
    left, right = _flatten(left), _flatten(right)
    left_empty, right_empty = is_empty(left), is_empty(right)
    if left_empty or right_empty:
        return left_empty and right_empty
    if isinstance(left, bool) or isinstance(right, bool):
        return to_boolean(left) == to_boolean(right)
    if is_number(left) or is_number(right):
        return to_number(left) == to_number(right)
    return normalize_text(left) == normalize_text(right)


def compare(left, right) -> int | None:
    """-1, 0 or 1; None when the two cannot be ordered (empty or not a number)."""
    left, right = _flatten(left), _flatten(right)
    if is_empty(left) or is_empty(right):
        return None
    if isinstance(left, str) and isinstance(right, str):
        a, b = parse_number_text(left), parse_number_text(right)
        if a != a or b != b:
            a, b = normalize_text(left), normalize_text(right)
            return (a > b) - (a < b)
    else:
        a, b = to_number(left), to_number(right)
        if a != a or b != b:
            return None
    return (a > b) - (a < b)


def is_selected(value, choice) -> bool:
    wanted = trim(to_string(choice))
    if isinstance(value, list):
        return any(to_string(item) == wanted for item in value)
    if is_empty(value):
        return False
    return wanted in split_tokens(to_string(value))


def count_selected(value) -> float:
    if isinstance(value, list):
        return float(len(value))
    if is_empty(value):
        return 0.0
    return float(len(split_tokens(to_string(value))))


def string_length(value) -> float:
    return float(len(to_string(value)))


def arithmetic(operator: str, left, right) -> float:
    a, b = to_number(left), to_number(right)
    if a != a or b != b:
        return NAN
    if operator == "+":
        result = a + b
    elif operator == "-":
        result = a - b
    elif operator == "*":
        result = a * b
    elif b == 0:
        return NAN  # div and mod by zero: no value, on both sides
    elif operator == "div":
        result = a / b
    else:
        result = math.fmod(a, b)  # truncated, like JavaScript's %
    return result if math.isfinite(result) else NAN


def truncate(value) -> float:
    number = to_number(value)
    return NAN if number != number else float(math.trunc(number))


def export_value(value):
    """What evaluate() hands back: no NaN, whole numbers as int, text NFC."""
    if isinstance(value, bool) or value is None:
        return value
    if is_number(value):
        number = float(value)
        if not math.isfinite(number):
            return None
        if number.is_integer() and abs(number) <= MAX_SAFE_INTEGER:
            return int(number)
        return number
    if isinstance(value, str):
        return normalize_text(value)
    if isinstance(value, list):
        return [to_string(item) for item in value]
    return None
