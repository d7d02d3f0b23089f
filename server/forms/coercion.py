"""Turning one raw answer into the stored encoding of its question type (docs/CONTRACTS.md).

Mirrored in pwa/js/form-logic.js (coerceAnswer). Each coercer returns (value, problem):
value ABSENT means "no answer"; problem is None or (code, params) for an error message.
"""

import re

from server.forms import logic_values as v

ABSENT = object()
MAX_TEXT_LENGTH = 5000
NOT_APPLICABLE = "na"
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")

ANSWERABLE_TYPES = frozenset(
    {"select_one", "select_multiple", "likert", "integer", "decimal", "text", "date"}
)


def _as_choice_text(raw):
    if isinstance(raw, str):
        # The usual choice value ("rat_hai_long"): ASCII is already NFC, and str.strip()
        # removes a superset of the form's whitespace, so there is nothing to trim. A
        # shortcut, the same result (uploads check thousands of these a second).
        if raw.isascii() and raw.strip() == raw:
            return raw
        return v.trim(v.normalize_text(raw))
    if v.is_number(raw):
        return v.format_number(raw)
    return None


def plain_choices(choice_values) -> frozenset:
    """The choice values that _as_choice_text keeps exactly as they are (not blank): an
    answer that is one of them is that choice, with nothing to normalise or trim."""
    return frozenset(value for value in choice_values
                     if isinstance(value, str) and value != "" and _as_choice_text(value) == value)


def coerce_select_one(raw, choice_values, allow_na=False):
    text = _as_choice_text(raw)
    if text is None:
        return ABSENT, ("wrong_type", {})
    if text == "":
        return ABSENT, None
    if text in choice_values or (allow_na and text == NOT_APPLICABLE):
        return text, None
    return ABSENT, ("not_in_choices", {"value": text})


def coerce_select_multiple(raw, choice_values, choice_order):
    if isinstance(raw, str):
        items = v.split_tokens(v.normalize_text(raw))
    elif isinstance(raw, list):
        items = []
        for item in raw:
            text = _as_choice_text(item)
            if text is None:
                return ABSENT, ("wrong_type", {})
            if text != "":
                items.append(text)
    else:
        return ABSENT, ("wrong_type", {})
    if not items:
        return ABSENT, None
    for item in items:
        if item not in choice_values:
            return ABSENT, ("not_in_choices", {"value": item})
    chosen = set(items)
    return [value for value in choice_order if value in chosen], None


def _as_number(raw):
    """A finite float, ABSENT for blank text, or None when it is not a number."""
    if isinstance(raw, bool):
        return None
    if v.is_number(raw):
        number = float(raw)
        return number if number == number and abs(number) != float("inf") else None
    if isinstance(raw, str):
        if v.trim(raw) == "":
            return ABSENT
        number = v.parse_number_text(raw)
        return None if number != number else number
    return None


def coerce_integer(raw):
    number = _as_number(raw)
    if number is ABSENT:
        return ABSENT, None
    if number is None or not number.is_integer() or abs(number) > v.MAX_SAFE_INTEGER:
        return ABSENT, ("wrong_type", {})
    return int(number), None


def coerce_decimal(raw):
    number = _as_number(raw)
    if number is ABSENT:
        return ABSENT, None
    if number is None:
        return ABSENT, ("wrong_type", {})
    return v.export_value(number), None


def coerce_text(raw):
    if not isinstance(raw, str):
        return ABSENT, ("wrong_type", {})
    text = v.trim(v.normalize_text(raw))
    if text == "":
        return ABSENT, None
    if len(text) > MAX_TEXT_LENGTH:
        return ABSENT, ("too_long", {"max": MAX_TEXT_LENGTH})
    return text, None


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def coerce_date(raw):
    if not isinstance(raw, str):
        return ABSENT, ("wrong_type", {})
    text = v.trim(raw)
    if text == "":
        return ABSENT, None
    match = _DATE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        if year >= 1 and 1 <= month <= 12 and 1 <= day <= _days_in_month(year, month):
            return text, None
    return ABSENT, ("wrong_type", {})
