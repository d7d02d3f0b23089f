"""Numbers and dates as a reader of each language writes them.

Vietnamese: decimal comma, dot for thousands (87,4% · 1.234 · 15/06/2025).
English: decimal point, comma for thousands (87.4% · 1,234 · 15 Jun 2025).
Khmer: as Unicode CLDR writes Khmer numbers (decimal comma, dot for thousands, Arabic
digits) and dates as in Vietnamese (87,4% · 1.234 · 15/06/2025): both read the same way to
a Khmer-speaking resident of Viet Nam and to the Vietnamese official beside them.
Times are shown in Asia/Ho_Chi_Minh whatever the server's zone.

Rounding: one rule everywhere (PDF, web pages, exports), half away from zero, on the decimal
value of the figure: 0.8745 is 87.45% and prints as 87.5%, where Python's round() (half to
even) and the float 0.8745 * 100 = 87.44999... would both print 87.4%.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
MINUS = "-"   # ASCII so that copied figures paste into spreadsheets as numbers

_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


_DECIMAL_COMMA = ("vi", "km")
_POINTS = {"vi": "điểm %", "km": "ពិន្ទុ %"}          # percentage points; English "pp"
_TO = {"vi": " đến ", "km": " ដល់ "}


def _localise(english: str, lang: str) -> str:
    """Swap the separators of an English-formatted number for Vietnamese ones."""
    if lang not in _DECIMAL_COMMA:
        return english
    return english.replace(",", "\0").replace(".", ",").replace("\0", ".")


def rounded(value: float | int | Decimal, digits: int = 1, scale: int = 1) -> Decimal:
    """``value * scale`` rounded half away from zero to ``digits`` decimals, computed on the
    shortest decimal that is the float (str(0.8745) == "0.8745"), never on its binary
    expansion. ROUND_HALF_UP in ``decimal`` rounds half away from zero, negatives included."""
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    return (exact * scale).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def round_half_away(value: float, digits: int = 1) -> float:
    """The rounding rule as a float, for data exports (CSV, spreadsheets)."""
    return float(rounded(value, digits))


def percent_value(share: float | None, digits: int = 1) -> float | None:
    """A share as a rounded percentage number, for data exports: 0.8745 -> 87.5."""
    return None if share is None else float(rounded(share, digits, scale=100))


def format_int(value: int, lang: str) -> str:
    return _localise(f"{value:,d}", lang)


def format_decimal(value: float, lang: str, digits: int = 1) -> str:
    number = rounded(value, digits)
    if number == 0:
        number = abs(number)   # "-0.0" is not a figure anyone wrote
    return _localise(f"{number:,.{digits}f}", lang)


def format_percent(share: float | None, lang: str, digits: int = 1) -> str:
    """A share in [0, 1] as a percentage: 0.874 -> "87,4%" (vi) / "87.4%" (en)."""
    if share is None:
        return "–"
    return format_decimal(rounded(share, digits, scale=100), lang, digits) + "%"


def format_coverage(share: float | None, lang: str) -> str:
    """Responses over target. Above 100% the target is wrong or was met many times over:
    "> 100%" flags it rather than printing "8.000,0%"."""
    if share is not None and rounded(share, 1, scale=100) > 100:
        return "> 100%"
    return format_percent(share, lang)


def format_change_pp(change: float | None, lang: str, digits: int = 1,
                     marks: bool = False) -> str:
    """A change in percentage points with its sign: "+3,2 điểm %" / "-1.5 pp"; with
    ``marks`` a ▲ or ▼ before it (for pages whose fonts have the triangles: the PDF draws
    its own, see reports.sections.overview)."""
    if change is None:
        return "–"
    number = rounded(change, digits)
    sign = "+" if number > 0 else MINUS if number < 0 else "±"
    unit = _POINTS.get(lang, "pp")
    text = f"{sign}{format_decimal(abs(number), lang, digits)} {unit}"
    if marks and number != 0:
        text = ("▲ " if number > 0 else "▼ ") + text
    return text


def format_change_interval(low: float | None, high: float | None, lang: str,
                           digits: int = 1) -> str:
    """An interval of a change in points: "-2,1 đến +7,9" / "-2.1 to +7.9"."""
    if low is None or high is None:
        return "–"

    def signed(value: float) -> str:
        number = rounded(value, digits)
        sign = "+" if number > 0 else MINUS if number < 0 else ""
        return sign + format_decimal(abs(number), lang, digits)

    joiner = _TO.get(lang, " to ")
    return f"{signed(low)}{joiner}{signed(high)}"


def format_interval(low: float | None, high: float | None, lang: str) -> str:
    """An interval of shares, each end rounded by the one rule: "74,1–82,0%"."""
    if low is None or high is None:
        return "–"
    return f"{format_percent(low, lang)[:-1]}–{format_percent(high, lang)}"


def format_mean(value: float | None, lang: str) -> str:
    """A mean score on the 1-5 scale with two decimals: "3,87"."""
    return "–" if value is None else format_decimal(value, lang, 2)


def format_p_value(p: float | None, lang: str) -> str:
    if p is None:
        return "–"
    if p < 0.001:
        return "< " + format_decimal(0.001, lang, 3)
    return format_decimal(p, lang, 3)


def format_date(day: date, lang: str) -> str:
    if lang in _DECIMAL_COMMA:       # Vietnamese and Khmer: 15/06/2025
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def format_datetime(moment: datetime, lang: str) -> str:
    """A datetime in Vietnam time: "14:05 15/06/2025" / "15 Jun 2025, 14:05".

    A naive datetime is taken as UTC, which is how the server stores times."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    local = aware.astimezone(VIETNAM)
    clock = f"{local.hour:02d}:{local.minute:02d}"
    if lang in _DECIMAL_COMMA:
        return f"{clock} {format_date(local.date(), lang)}"
    return f"{format_date(local.date(), lang)}, {clock}"


def format_date_range(start: date, end: date, lang: str) -> str:
    return f"{format_date(start, lang)} – {format_date(end, lang)}"
