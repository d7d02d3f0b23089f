"""Numbers and dates as a reader of each language writes them.

Vietnamese: decimal comma, dot for thousands (87,4% · 1.234 · 15/06/2025).
English: decimal point, comma for thousands (87.4% · 1,234 · 15 Jun 2025).
Times are shown in Asia/Ho_Chi_Minh whatever the server's zone.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
MINUS = "-"   # ASCII so that copied figures paste into spreadsheets as numbers

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _localise(english: str, lang: str) -> str:
    """Swap the separators of an English-formatted number for Vietnamese ones."""
    if lang != "vi":
        return english
    return english.replace(",", "\0").replace(".", ",").replace("\0", ".")


def format_int(value: int, lang: str) -> str:
    return _localise(f"{value:,d}", lang)


def format_decimal(value: float, lang: str, digits: int = 1) -> str:
    return _localise(f"{value:,.{digits}f}", lang)


def format_percent(share: float | None, lang: str, digits: int = 1) -> str:
    """A share in [0, 1] as a percentage: 0.874 -> "87,4%" (vi) / "87.4%" (en)."""
    if share is None:
        return "–"
    return format_decimal(share * 100, lang, digits) + "%"


def format_change_pp(change: float | None, lang: str, digits: int = 1) -> str:
    """A change in percentage points with its sign: "+3,2 điểm %" / "-1.5 pp"."""
    if change is None:
        return "–"
    rounded = round(change, digits)
    sign = "+" if rounded > 0 else MINUS if rounded < 0 else "±"
    unit = "điểm %" if lang == "vi" else "pp"
    return f"{sign}{format_decimal(abs(rounded), lang, digits)} {unit}"


def format_interval(low: float | None, high: float | None, lang: str) -> str:
    if low is None or high is None:
        return "–"
    return f"{format_percent(low, lang)}–{format_percent(high, lang)}"


def format_p_value(p: float | None, lang: str) -> str:
    if p is None:
        return "–"
    if p < 0.001:
        return "< " + format_decimal(0.001, lang, 3)
    return format_decimal(p, lang, 3)


def format_date(day: date, lang: str) -> str:
    if lang == "vi":
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def format_datetime(moment: datetime, lang: str) -> str:
    """A datetime in Vietnam time: "14:05 15/06/2025" / "15 Jun 2025, 14:05".

    A naive datetime is taken as UTC, which is how the server stores times."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    local = aware.astimezone(VIETNAM)
    clock = f"{local.hour:02d}:{local.minute:02d}"
    if lang == "vi":
        return f"{clock} {format_date(local.date(), lang)}"
    return f"{format_date(local.date(), lang)}, {clock}"


def format_date_range(start: date, end: date, lang: str) -> str:
    return f"{format_date(start, lang)} – {format_date(end, lang)}"
