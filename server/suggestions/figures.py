"""The suggestion box's figures for a unit and a period, as plain data for the report section
(reports.sections.suggestions) and the officials' panel, with the survey's k-suppression:
- fewer than k messages in all: no figure at all (a notice), as a unit with too few responses;
- a topic × status cell, a topic's total or a status's total resting on fewer than k is
  hidden, and complementary cells with it (server.analytics.suppression.complementary) along
  every row and column, until no hidden cell can be worked out from the totals shown;
- the median time to first reply needs k replied messages; the share answered within 7 days
  needs k messages whose 7 days are over or that were answered."""

import statistics
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reports.i18n import LANGUAGES, t
from reports.sections.channel_opening import NO_DATA, TOO_FEW
from reports.sections.suggestions import STATUSES, SuggestionFigures, TopicRow
from server.analytics.suppression import complementary, primary
from server.db_types import utcnow
from server.extensions import db
from server.suggestions.models import SuggestionBox, SuggestionMessage, SuggestionTopic
from server.units.models import Unit

WEEK = timedelta(days=7)
# The report's own words (reports/i18n.py), so that the panel and the PDF say the same.
NO_TOPIC_LABEL = {lang: t("sb_no_topic", lang) for lang in LANGUAGES}


def period_bounds(start: date, end: date, zone: str) -> tuple[datetime, datetime]:
    """The period's days (both included, local time) as a UTC half-open interval."""
    tz = ZoneInfo(zone)
    return (datetime.combine(start, time(), tzinfo=tz),
            datetime.combine(end + timedelta(days=1), time(), tzinfo=tz))


def _scope(unit: Unit, start: datetime, end: datetime):
    boxes = select(SuggestionBox.id).join(Unit, Unit.id == SuggestionBox.unit_id).where(
        Unit.path.startswith(unit.path, autoescape=True))
    return (SuggestionMessage.box_id.in_(boxes), SuggestionMessage.received_at >= start,
            SuggestionMessage.received_at < end)


def _lone(counts: list[int], hidden: list[bool]) -> bool:
    """One hidden member with a count: its total would give it away."""
    return sum(1 for n, h in zip(counts, hidden, strict=True) if h and n > 0) == 1


def _suppress(cells: list[list[int]], row_totals: list[int], column_totals: list[int],
              threshold: int) -> tuple[list[list[bool]], list[bool], list[bool]]:
    hidden = [list(primary(row, threshold)) for row in cells]
    rows_hidden = list(primary(row_totals, threshold))
    columns_hidden = list(primary(column_totals, threshold))
    changed = True
    while changed:
        changed = False

        def apply(counts, flags):
            nonlocal changed
            result = complementary(counts, flags)
            if tuple(flags) != result:
                changed = True
            return list(result)

        for r, row in enumerate(cells):
            hidden[r] = apply(row, hidden[r])
            if _lone(row, hidden[r]) and not rows_hidden[r]:
                rows_hidden[r] = changed = True     # no cell to hide with it: hide the total
        for c in range(len(column_totals)):
            column = apply([row[c] for row in cells], [flags[c] for flags in hidden])
            for r, flag in enumerate(column):
                hidden[r][c] = flag
            if _lone([row[c] for row in cells], column) and not columns_hidden[c]:
                columns_hidden[c] = changed = True
        rows_hidden = apply(row_totals, rows_hidden)
        columns_hidden = apply(column_totals, columns_hidden)
    return hidden, rows_hidden, columns_hidden


def suggestion_figures(unit: Unit, start: date, end: date, threshold: int, zone: str,
                       now: datetime | None = None,
                       session: Session | None = None) -> SuggestionFigures:
    """Read through `session` (the summary builder's; the request's by default)."""
    session = session if session is not None else db.session
    now = now or utcnow()
    low, high = period_bounds(start, end, zone)
    scope = _scope(unit, low, high)
    base = {"unit_name": unit.name, "period_start": start, "period_end": end,
            "threshold": threshold}
    grouped = session.execute(
        select(SuggestionMessage.topic_id, SuggestionMessage.status, func.count())
        .where(*scope).group_by(SuggestionMessage.topic_id, SuggestionMessage.status)).all()
    total = sum(count for _, _, count in grouped)
    if total == 0:
        return SuggestionFigures(**base, withheld=NO_DATA, total=None)
    if total < threshold:
        return SuggestionFigures(**base, withheld=TOO_FEW, total=None)

    topics = {topic.id: topic for topic in session.scalars(select(SuggestionTopic))}
    topic_ids = sorted({topic_id for topic_id, _, _ in grouped},
                       key=lambda i: (i is None, topics[i].position if i in topics else 0, i or 0))
    cells = [[0] * len(STATUSES) for _ in topic_ids]
    for topic_id, status, count in grouped:
        cells[topic_ids.index(topic_id)][STATUSES.index(status)] += count
    row_totals = [sum(row) for row in cells]
    column_totals = [sum(row[c] for row in cells) for c in range(len(STATUSES))]
    hidden, rows_hidden, columns_hidden = _suppress(cells, row_totals, column_totals, threshold)

    def label(topic_id):
        if topic_id is None:
            return dict(NO_TOPIC_LABEL)
        topic = topics[topic_id]
        return {"vi": topic.label_vi, "en": topic.label_en, "km": topic.label_km or topic.label_en}

    rows = tuple(TopicRow(label(topic_id),
                          tuple(None if hidden[r][c] else cells[r][c] for c in range(len(STATUSES))),
                          None if rows_hidden[r] else row_totals[r])
                 for r, topic_id in enumerate(topic_ids))

    times = session.execute(select(SuggestionMessage.received_at,
                                   SuggestionMessage.first_reply_at).where(*scope)).all()
    waits = [(replied - received).total_seconds() / 3600 for received, replied in times
             if replied is not None]
    decided = [(received, replied) for received, replied in times
               if replied is not None or received <= now - WEEK]
    within = sum(1 for received, replied in decided
                 if replied is not None and replied - received <= WEEK)
    enough_decided = len(decided) >= threshold
    return SuggestionFigures(
        **base, withheld=None, total=total,
        status_totals=tuple(None if columns_hidden[c] else column_totals[c]
                            for c in range(len(STATUSES))),
        topics=rows, replied=len(waits),
        median_hours_to_first_reply=statistics.median(waits) if len(waits) >= threshold else None,
        decided_within_7_days=len(decided),
        answered_within_7_days=within if enough_decided else None,
        share_answered_within_7_days=within / len(decided) if enough_decided else None)
