"""Yearly windows of a recurring plan ("1–31 May and 1–30 November") and the moments they
stand for: a window opens at 00:00 of its first day and closes at the end of its last day,
both in the display zone (Asia/Ho_Chi_Minh), stored in UTC."""

import calendar
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import count
from zoneinfo import ZoneInfo

from flask import current_app

from server.rounds.services import RoundRuleError

END_OF_DAY = time(23, 59, 59)
MAX_WINDOWS = 12
# Days a month can have in some year (29 February: in leap years, else the 28th).
MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def display_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])


def _day(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True, order=True)
class Window:
    open_month: int
    open_day: int
    close_month: int
    close_day: int

    @property
    def crosses_year(self) -> bool:
        return (self.close_month, self.close_day) < (self.open_month, self.open_day)

    def in_year(self, year: int, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """The UTC opening and closing of the window that opens in `year`."""
        opens = _day(year, self.open_month, self.open_day)
        closes = _day(year + self.crosses_year, self.close_month, self.close_day)
        return (datetime.combine(opens, time(0), zone).astimezone(UTC),
                datetime.combine(closes, END_OF_DAY, zone).astimezone(UTC))

    def as_dict(self) -> dict:
        return asdict(self)


def _refuse(vi: str, en: str):
    raise RoundRuleError("bad_windows", vi, en)


def _check_date(month, day) -> None:
    if not (type(month) is int and type(day) is int and 1 <= month <= 12
            and 1 <= day <= MONTH_DAYS[month - 1]):
        _refuse("Ngày hoặc tháng không hợp lệ.", "A day or month is not valid.")


def parse_windows(raw: list[dict]) -> list[Window]:
    """Windows from stored or submitted dicts, checked: real dates, none overlapping."""
    if not raw:
        _refuse("Cần ít nhất một khoảng thời gian trong năm.", "At least one window is needed.")
    if len(raw) > MAX_WINDOWS:
        _refuse("Tối đa 12 khoảng thời gian mỗi năm.", "At most 12 windows a year.")
    windows = []
    for item in raw:
        _check_date(item.get("open_month"), item.get("open_day"))
        _check_date(item.get("close_month"), item.get("close_day"))
        windows.append(Window(item["open_month"], item["open_day"],
                              item["close_month"], item["close_day"]))
    windows.sort()
    spans = list(occurrences(windows, ZoneInfo("UTC"), 2001, limit=3 * len(windows)))
    for (_, closes), (next_opens, _) in zip(spans, spans[1:], strict=False):
        if closes >= next_opens:
            _refuse("Các khoảng thời gian không được chồng lên nhau.",
                    "The windows must not overlap.")
    return windows


def occurrences(windows: list[Window], zone: ZoneInfo, from_year: int,
                limit: int | None = None) -> Iterator[tuple[datetime, datetime]]:
    """Every (opens_at, closes_at) of the windows from `from_year` on, in order."""
    made = 0
    for year in count(from_year):
        for span in sorted(window.in_year(year, zone) for window in windows):
            yield span
            made += 1
            if limit is not None and made >= limit:
                return


def window_of(opens_at: datetime, closes_at: datetime, zone: ZoneInfo) -> Window:
    """The yearly window a round's dates describe, in local days (a close at 00:00 ends the
    day before)."""
    opens, closes = opens_at.astimezone(zone), closes_at.astimezone(zone)
    last_day = closes.date() - timedelta(days=1) if closes.time() == time(0) else closes.date()
    return Window(opens.month, opens.day, last_day.month, last_day.day)
