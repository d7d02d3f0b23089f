"""The desk ratings of a unit (its desks and those of the units below it) for a period, as
plain data for the report section (reports/sections/kiosk.py) and the officials' page:
by service and by week, % satisfied with Wilson intervals, k-suppressed as the survey is.

Flagged ratings (too soon, burst) are counted apart and never in a figure."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from reports.sections.kiosk import KioskFigures, KioskRow
from reports.stats import wilson_interval
from server.analytics.suppression import complementary, primary, withheld_reason
from server.extensions import db
from server.kiosks.models import KioskDesk, KioskRating
from server.kiosks.ratings import SATISFIED_SCORES
from server.units.models import Unit


def _share(satisfied: int, n: int) -> tuple[float | None, float | None, float | None]:
    if n <= 0:
        return None, None, None
    low, high = wilson_interval(satisfied, n)
    return satisfied / n, low, high


def _rows(groups: dict, threshold: int, make) -> tuple[KioskRow, ...]:
    keys = list(groups)
    counts = [groups[key][0] for key in keys]
    hidden = complementary(counts, primary(counts, threshold))
    rows = []
    for key, hide in zip(keys, hidden, strict=True):
        n, satisfied = groups[key]
        if hide:
            rows.append(make(key))
        else:
            share, low, high = _share(satisfied, n)
            rows.append(make(key, n=n, satisfied=satisfied, share=share, low=low, high=high))
    return tuple(rows)


def kiosk_figures(unit: Unit, start: date, end: date, threshold: int, zone: ZoneInfo,
                  session: Session | None = None) -> KioskFigures:
    """Both days included, in the display time zone; read through `session` (the summary
    builder's; the request's by default)."""
    session = session if session is not None else db.session
    since = datetime.combine(start, time(), tzinfo=zone)
    until = datetime.combine(end + timedelta(days=1), time(), tzinfo=zone)
    desks = select(KioskDesk.id).join(Unit, Unit.id == KioskDesk.unit_id).where(
        Unit.path.startswith(unit.path, autoescape=True))
    rows = session.execute(select(KioskRating.rated_at, KioskRating.service,
                                  KioskRating.score, KioskRating.flag).where(
        KioskRating.desk_id.in_(desks), KioskRating.rated_at >= since,
        KioskRating.rated_at < until)).all()
    flagged = sum(1 for row in rows if row.flag)
    valid = [row for row in rows if not row.flag]
    common = {"unit_name": unit.name, "period_start": start, "period_end": end,
              "threshold": threshold}
    withheld = withheld_reason(len(valid), threshold)
    if withheld:
        return KioskFigures(withheld=withheld, **common)
    by_service: dict = defaultdict(lambda: [0, 0])
    by_week: dict = defaultdict(lambda: [0, 0])
    for row in valid:
        happy = 1 if row.score in SATISFIED_SCORES else 0
        local_day = row.rated_at.astimezone(zone).date()
        week = local_day - timedelta(days=local_day.weekday())
        for groups, key in ((by_service, row.service), (by_week, week)):
            groups[key][0] += 1
            groups[key][1] += happy
    services = dict(sorted(by_service.items(), key=lambda kv: (kv[0] is None, kv[0] or "")))
    weeks = dict(sorted(by_week.items()))
    satisfied = sum(by_service[key][1] for key in by_service)
    share, low, high = _share(satisfied, len(valid))
    return KioskFigures(
        withheld=None, total=len(valid), satisfied=satisfied, share=share, low=low, high=high,
        flagged=flagged,
        by_service=_rows(services, threshold, lambda key, **f: KioskRow(label=key, **f)),
        by_week=_rows(weeks, threshold,
                      lambda key, **f: KioskRow(label=None, week_start=key, **f)),
        **common)
