"""The suggestion-box figures for a unit and a period equal an independent count of the
stored messages, with the survey's k-suppression; the report section draws them."""

import random
import statistics
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from reports.sections.suggestions import STATUSES, suggestion_section
from server.suggestions.boxes import create_box
from server.suggestions.figures import suggestion_figures
from server.suggestions.models import SuggestionMessage, SuggestionTopic

ZONE = "Asia/Ho_Chi_Minh"
NOW = datetime(2026, 6, 30, 12, tzinfo=ZoneInfo("UTC"))


def _message(db, box, received, topic=None, status="new", replied_after=None):
    message = SuggestionMessage(
        box_id=box.id, client_uuid=str(uuid.uuid4()), receipt_code=uuid.uuid4().hex[:12].upper(),
        body="Ý kiến", topic=topic, received_at=received, status=status,
        first_reply_at=received + replied_after if replied_after is not None else None)
    db.session.add(message)
    return message


def _world(db, factory, world, seed=7):
    rng = random.Random(seed)
    other_box = create_box(world.users["admin"], world.commune_a, "Bộ phận một cửa")
    outside = create_box(world.users["admin"], world.commune_b, "Xã khác")
    topics = db.session.query(SuggestionTopic).order_by(SuggestionTopic.position).all()
    start = datetime(2026, 1, 1, tzinfo=ZoneInfo(ZONE))
    for _ in range(140):
        box = rng.choice([world.box, other_box, outside])
        received = start + timedelta(hours=rng.randrange(0, 24 * 180))
        topic = rng.choice([*topics[:3], None])
        status = rng.choice(STATUSES)
        wait = timedelta(hours=rng.randrange(1, 400)) if status in ("answered", "closed") else None
        _message(db, box, received, topic, status, wait)
    db.session.flush()


def _independent(db, unit_ids, start, end, now):
    """The figures counted by hand from every stored message."""
    zone = ZoneInfo(ZONE)
    rows = []
    for m in db.session.query(SuggestionMessage).all():
        local_day = m.received_at.astimezone(zone).date()
        if m.box.unit_id in unit_ids and start <= local_day <= end:
            rows.append(m)
    waits = [(m.first_reply_at - m.received_at).total_seconds() / 3600 for m in rows
             if m.first_reply_at]
    decided = [m for m in rows if m.first_reply_at or m.received_at <= now - timedelta(days=7)]
    within = [m for m in decided
              if m.first_reply_at and m.first_reply_at - m.received_at <= timedelta(days=7)]
    by_status = {s: sum(1 for m in rows if m.status == s) for s in STATUSES}
    by_topic = {}
    for m in rows:
        key = m.topic.label_vi if m.topic else "Không chọn chủ đề"
        by_topic.setdefault(key, {s: 0 for s in STATUSES})[m.status] += 1
    return rows, waits, decided, within, by_status, by_topic


def test_figures_equal_an_independent_count(db, factory, world):
    _world(db, factory, world)
    start, end = date(2026, 1, 1), date(2026, 3, 31)
    figures = suggestion_figures(world.commune_a, start, end, threshold=1, zone=ZONE, now=NOW)
    unit_ids = {world.commune_a.id, world.group_a1.id}
    rows, waits, decided, within, by_status, by_topic = _independent(db, unit_ids, start, end, NOW)
    assert figures.withheld is None and figures.total == len(rows) > 20
    assert figures.status_totals == tuple(by_status[s] for s in STATUSES)
    assert {row.label["vi"]: dict(zip(STATUSES, row.counts, strict=True))
            for row in figures.topics} == by_topic
    assert figures.replied == len(waits)
    assert abs(figures.median_hours_to_first_reply - statistics.median(waits)) < 1e-9
    assert figures.decided_within_7_days == len(decided)
    assert figures.answered_within_7_days == len(within)
    assert abs(figures.share_answered_within_7_days - len(within) / len(decided)) < 1e-12
    # commune B's box is not counted in A, and the province counts both
    province = suggestion_figures(world.province, start, end, 1, ZONE, now=NOW)
    everything = _independent(db, {world.commune_a.id, world.group_a1.id, world.commune_b.id},
                              start, end, NOW)[0]
    assert province.total == len(everything) > figures.total


def test_small_cells_are_suppressed_and_cannot_be_worked_out(db, factory, world):
    topics = db.session.query(SuggestionTopic).order_by(SuggestionTopic.position).all()
    received = datetime(2026, 2, 1, 3, tzinfo=ZoneInfo("UTC"))
    for _ in range(8):
        _message(db, world.box, received, topics[0], "new")
    for _ in range(2):
        _message(db, world.box, received, topics[0], "closed", timedelta(hours=5))
    for _ in range(6):
        _message(db, world.box, received, topics[1], "new")
    db.session.flush()
    figures = suggestion_figures(world.commune_a, date(2026, 2, 1), date(2026, 2, 28), 5, ZONE,
                                 now=NOW)
    assert figures.total == 16
    land = figures.topics[0]
    # "closed" of land has 2 < 5: hidden, and so is another cell of its row and of its column
    assert land.counts[STATUSES.index("closed")] is None
    assert sum(n is None for n in land.counts) >= 2 or land.total is None
    assert figures.status_totals[STATUSES.index("closed")] is None
    assert figures.median_hours_to_first_reply is None            # 2 replies < k
    for row in figures.topics:
        hidden = [n is None for n in row.counts]
        # a lone hidden cell in a row only where the row's total is hidden too
        assert sum(hidden) != 1 or row.total is None, row
    columns = list(zip(*(row.counts for row in figures.topics), strict=True))
    for column, total in zip(columns, figures.status_totals, strict=True):
        assert sum(n is None for n in column) != 1 or total is None, column
    shown_totals = [row.total for row in figures.topics]
    assert sum(n is None for n in shown_totals) != 1


def test_fewer_than_k_messages_show_no_figure_at_all(db, factory, world):
    received = datetime(2026, 2, 1, 3, tzinfo=ZoneInfo("UTC"))
    for _ in range(3):
        _message(db, world.box, received)
    db.session.flush()
    figures = suggestion_figures(world.commune_a, date(2026, 2, 1), date(2026, 2, 28), 5, ZONE)
    assert figures.withheld == "too_few" and figures.total is None and figures.topics == ()
    none = suggestion_figures(world.commune_b, date(2026, 2, 1), date(2026, 2, 28), 5, ZONE)
    assert none.withheld == "no_data"


def test_the_section_draws_the_figures(db, factory, world):
    from io import BytesIO

    from pypdf import PdfReader
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    _world(db, factory, world)
    figures = suggestion_figures(world.commune_a, date(2026, 1, 1), date(2026, 6, 30), 5, ZONE,
                                 now=NOW)
    for lang, words in (("vi", ["Hòm thư góp ý", "Đất đai", "Trả lời trong 7 ngày"]),
                        ("en", ["Suggestion box", "Land", "Answered within 7 days"]),
                        ("km", ["N="])):                     # shaped Khmer does not copy out as text
        output = BytesIO()
        SimpleDocTemplate(output, pagesize=A4).build(suggestion_section(figures, lang, 170 * mm))
        text = "".join(PdfReader(BytesIO(output.getvalue())).pages[0].extract_text().split())
        for word in words:
            assert "".join(word.split()) in text, (lang, word)
        assert str(figures.total) in text


def test_the_figures_read_the_session_they_are_given(db, factory, world, monkeypatch):
    # The report's summary builder reads through its own session (server/analytics/period.py):
    # the figures must not reach for the request's.
    from types import SimpleNamespace

    from server.suggestions import figures as figures_module

    _world(db, factory, world)
    given = db.session()
    expected = suggestion_figures(world.commune_a, date(2026, 1, 1), date(2026, 6, 30), 5, ZONE,
                                  now=NOW)
    monkeypatch.setattr(figures_module, "db", SimpleNamespace(session=None))
    assert suggestion_figures(world.commune_a, date(2026, 1, 1), date(2026, 6, 30), 5, ZONE,
                              now=NOW, session=given) == expected
    assert expected.withheld is None and expected.total > 0
