"""The round's daily counts: the local day a response was completed on, as the database
groups it, and the series of every day of the round's window."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Date, DateTime, cast, func, literal_column, null

from server.db_types import UTCDateTime, utcnow
from server.extensions import db
from server.progress.rows import DayCount
from server.rounds.models import Round
from server.rounds.windows import display_zone

MAX_CHART_DAYS = 400


def _fixed_offset(zone: ZoneInfo) -> timedelta | None:
    """The zone's offset if it has had one all year since 2000 (Vietnam since 1975), else
    None."""
    offsets = {zone.utcoffset(datetime(year, month, 1)) for year in (2000, utcnow().year)
               for month in (1, 7)}
    return offsets.pop() if len(offsets) == 1 else None


@dataclass(frozen=True, slots=True)
class DayKey:
    """A response's local day as the database groups it."""
    column: Any                          # the grouping expression
    empty: Any                           # a NULL of its type (the UNION's other parts)
    to_date: Callable[[Any], date]       # the value read back -> the local day


def day_key(column) -> DayKey:
    zone = display_zone()
    offset = _fixed_offset(zone)
    bind = db.session.get_bind()
    if bind.dialect.name == "postgresql":
        version = bind.dialect.server_version_info or (0,)
        if offset is not None and version >= (14,):
            # whole days from a local midnight: plain arithmetic, a third of the time of a
            # time-zone conversion per response (664,200 in a national round)
            origin = datetime(2000, 1, 1, tzinfo=zone)
            bins = func.date_bin(literal_column("interval '1 day'"), column,
                                 cast(literal_column(f"'{origin.isoformat()}'"), UTCDateTime()))
            # read back as the driver gives it (an aware time): a UTCDateTime NULL would be
            # processed in Python on each of the statement's 36,000 rows
            return DayKey(bins, cast(null(), DateTime(timezone=True)),
                          lambda value: value.astimezone(zone).date())
        return DayKey(cast(func.timezone(zone.key, column), Date), cast(null(), Date), _as_date)
    # SQLite keeps naive UTC text; a fixed offset (Vietnam has had one since 1975).
    minutes = int((offset or zone.utcoffset(datetime(2000, 1, 1))).total_seconds() // 60)
    return DayKey(func.date(column, f"{minutes:+d} minutes"), cast(null(), Date), _as_date)


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def day_series(round_: Round, counts: list[tuple[date, int]], now: datetime | None = None
               ) -> list[DayCount]:
    """Every local day of the round's window (and any day outside it with responses, e.g.
    late ones), with its responses and the running total."""
    zone = display_zone()
    first = round_.opens_at.astimezone(zone).date()
    last = (round_.closes_at - timedelta(microseconds=1)).astimezone(zone).date()
    today = (now or utcnow()).astimezone(zone).date()
    by_day = dict(counts)
    window = {first + timedelta(days=n) for n in range((last - first).days + 1)}
    days = sorted(window | set(by_day))[:MAX_CHART_DAYS]
    running = 0
    series = []
    for day in days:
        running += by_day.get(day, 0)
        series.append(DayCount(day, by_day.get(day, 0), running, future=day > today,
                               in_window=day in window))
    return series
