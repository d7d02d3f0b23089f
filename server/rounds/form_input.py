"""Reading the Rounds pages' form fields: local times (Asia/Ho_Chi_Minh) to UTC, whole
numbers in a range, yearly windows. Bad input raises RoundRuleError with both languages."""

from datetime import UTC, datetime

from werkzeug.datastructures import MultiDict

from server.rounds.services import RoundRuleError
from server.rounds.windows import display_zone

LOCAL_INPUT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends
WINDOW_ROWS = 6
WINDOW_FIELDS = ("open_day", "open_month", "close_day", "close_month")


def local_input(moment: datetime | None) -> str:
    """A UTC moment as the value of a datetime-local input, in the display zone."""
    return moment.astimezone(display_zone()).strftime(LOCAL_INPUT) if moment else ""


def local_datetime(value: str | None, label_vi: str, label_en: str) -> datetime:
    """A datetime-local value, read in the display zone, as UTC."""
    try:
        naive = datetime.strptime((value or "").strip()[:16], LOCAL_INPUT)
        if not 2000 <= naive.year <= 2100:
            raise ValueError(value)
    except ValueError:
        raise RoundRuleError("bad_time", f"{label_vi}: ngày giờ không hợp lệ.",
                             f"{label_en}: not a valid date and time.") from None
    return naive.replace(tzinfo=display_zone()).astimezone(UTC)


def whole_number(value: str | None, low: int, high: int, label_vi: str, label_en: str,
                 blank: int | None = None) -> int | None:
    """A whole number in [low, high]; an empty field gives `blank` (when it may be empty)."""
    text = (value or "").strip()
    if not text and blank is not None:
        return blank
    if text.isascii() and text.isdigit() and low <= int(text) <= high:
        return int(text)
    high_vi = f"{high:,}".replace(",", ".")  # 100.000 in Vietnamese
    raise RoundRuleError("bad_number", f"{label_vi}: cần một số từ {low} đến {high_vi}.",
                         f"{label_en}: a whole number from {low} to {high:,} is needed.")


def optional_number(value: str | None, low: int, high: int, label_vi: str,
                    label_en: str) -> int | None:
    """A whole number in [low, high], or None for an empty field."""
    if not (value or "").strip():
        return None
    return whole_number(value, low, high, label_vi, label_en)


def windows_from_form(form: MultiDict) -> list[dict]:
    """The filled rows of the windows table (a row left empty is ignored)."""
    windows = []
    for row in range(WINDOW_ROWS):
        values = [(form.get(f"{name}-{row}") or "").strip() for name in WINDOW_FIELDS]
        if not any(values):
            continue
        limits = {"open_day": 31, "close_day": 31, "open_month": 12, "close_month": 12}
        windows.append({name: whole_number(value, 1, limits[name], f"Dòng {row + 1}",
                                           f"Row {row + 1}")
                        for name, value in zip(WINDOW_FIELDS, values, strict=True)})
    return windows
