"""The report's desk figures equal an independent count of the ratings, flagged ones left
out, k-suppressed; the section module draws them into a PDF without the web app."""

import random
import uuid
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate

from reports.sections.channel_opening import NO_DATA, TOO_FEW
from reports.sections.kiosk import KioskFigures, KioskRow, kiosk_section
from reports.stats import wilson_interval
from server.extensions import db
from server.kiosks.desks import create_desk
from server.kiosks.figures import kiosk_figures
from server.kiosks.models import KioskRating

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
START, END = date(2026, 10, 5), date(2026, 10, 25)     # Mondays 5, 12, 19 October


def _store(desk, when, score, service, flag=None):
    db.session.add(KioskRating(desk_id=desk.id, client_uuid=str(uuid.uuid4()), score=score,
                               service=service, rated_at=when, flag=flag))


def test_figures_equal_an_independent_count(world, factory):
    desk_b = create_desk(world.users["admin"], world.group_a1, "Quầy tổ", ["Hộ tịch"], 20)
    other = create_desk(world.users["admin"], world.commune_b, "Xã khác", [], 20)
    rng = random.Random(14)
    made = []
    for _ in range(160):
        day = START + timedelta(days=rng.randrange(0, 21))
        when = datetime(day.year, day.month, day.day, rng.randrange(7, 17), rng.randrange(60),
                        tzinfo=ZONE)
        service = rng.choice(["Chứng thực", "Hộ tịch", "Đất đai", None])
        score = rng.randrange(1, 6)
        flag = "too_soon" if rng.random() < 0.1 else None
        _store(rng.choice([world.desk, desk_b]), when, score, service, flag)
        made.append((when, service, score, flag))
    _store(other, datetime(2026, 10, 6, 9, tzinfo=ZONE), 1, None)          # another commune
    _store(world.desk, datetime(2026, 10, 26, 0, 1, tzinfo=ZONE), 1, None)  # after the period
    _store(world.desk, datetime(2026, 10, 4, 23, 59, tzinfo=ZONE), 1, None)  # before it
    # A rare service: fewer than k, hidden along with the next smallest.
    _store(world.desk, datetime(2026, 10, 7, 9, tzinfo=ZONE), 5, "Xây dựng")
    made.append((datetime(2026, 10, 7, 9, tzinfo=ZONE), "Xây dựng", 5, None))
    db.session.flush()

    figures = kiosk_figures(world.commune_a, START, END, 5, ZONE)

    valid = [m for m in made if m[3] is None]
    assert figures.flagged == len(made) - len(valid)
    assert figures.total == len(valid)
    assert figures.satisfied == sum(1 for m in valid if m[2] >= 4)
    assert (figures.low, figures.high) == wilson_interval(figures.satisfied, figures.total)
    n_by_service = Counter(m[1] for m in valid)
    happy_by_service = Counter(m[1] for m in valid if m[2] >= 4)
    rows = {row.label: row for row in figures.by_service}
    assert rows["Xây dựng"].n is None and rows["Xây dựng"].share is None
    shown = [row for row in figures.by_service if row.n is not None]
    smallest = min(n for s, n in n_by_service.items() if s != "Xây dựng")
    assert any(row.n is None and n_by_service[row.label] == smallest
               for row in figures.by_service if row.label != "Xây dựng")
    for row in shown:
        assert row.n == n_by_service[row.label]
        assert row.satisfied == happy_by_service[row.label]
        assert row.share == row.satisfied / row.n
    n_by_week = Counter(m[0].date() - timedelta(days=m[0].weekday()) for m in valid)
    assert {row.week_start: row.n for row in figures.by_week} == dict(n_by_week)


def test_too_few_and_no_data_are_withheld(world):
    assert kiosk_figures(world.commune_a, START, END, 5, ZONE).withheld == NO_DATA
    for minute in range(4):
        _store(world.desk, datetime(2026, 10, 6, 9, minute, tzinfo=ZONE), 5, None)
    db.session.flush()
    withheld = kiosk_figures(world.commune_a, START, END, 5, ZONE)
    assert withheld.withheld == TOO_FEW and withheld.total is None and withheld.by_service == ()


def test_the_section_draws_in_both_languages(tmp_path):
    figures = KioskFigures(
        unit_name="Phường Hoa Lư", period_start=START, period_end=END, threshold=5,
        withheld=None, total=40, satisfied=30, share=0.75, low=0.6, high=0.86, flagged=3,
        by_service=(KioskRow("Hộ tịch", n=30, satisfied=24, share=0.8, low=0.63, high=0.9),
                    KioskRow(None), KioskRow("Đất đai")),
        by_week=(KioskRow(None, week_start=START, n=40, satisfied=30, share=0.75, low=0.6,
                          high=0.86),))
    for lang in ("vi", "en", "km"):
        story = kiosk_section(figures, lang, A4[0] - 120)
        path = tmp_path / f"kiosk-{lang}.pdf"
        SimpleDocTemplate(str(path), pagesize=A4).build(story)
        assert path.read_bytes().startswith(b"%PDF")
    notice = kiosk_section(KioskFigures("X", START, END, 5, TOO_FEW), "vi", 400)
    assert "ít hơn 5" in notice[-1].getPlainText()


def test_a_khmer_report_shows_the_desk_section_in_khmer():
    # The section's words are the report's (reports/i18n.py), so a Khmer report has them in
    # Khmer, never in Vietnamese.
    from reports.scripts import has_khmer

    figures = KioskFigures("Phường Hoa Lư", START, END, 5, None, total=9, satisfied=6,
                           share=6 / 9, low=0.35, high=0.88, flagged=1,
                           by_service=(KioskRow("Hộ tịch", n=9, satisfied=6, share=6 / 9,
                                                low=0.35, high=0.88),))
    texts = [flowable.getPlainText() for flowable in kiosk_section(figures, "km", 400)
             if hasattr(flowable, "getPlainText")]
    assert texts and all(has_khmer(text) for text in texts)
    assert not any(word in " ".join(texts) for word in ("đánh giá", "Số đánh giá hợp lệ",
                                                        "Khoảng tin cậy"))
    too_few = kiosk_section(KioskFigures("X", START, END, 5, TOO_FEW), "km", 400)
    # (the shaper puts breaking spaces between Khmer words)
    assert "តិចជាង5៖" in too_few[-1].getPlainText().replace(" ", "")


def test_the_figures_read_the_session_they_are_given(world, monkeypatch):
    # The report's summary builder reads through its own session (server/analytics/period.py):
    # the figures must not reach for the request's.
    from types import SimpleNamespace

    from server.kiosks import figures as figures_module

    for minute in range(6):
        _store(world.desk, datetime(2026, 10, 6, 9, minute, tzinfo=ZONE), 5, "Hộ tịch")
    db.session.flush()
    given = db.session()
    expected = kiosk_figures(world.commune_a, START, END, 5, ZONE)
    monkeypatch.setattr(figures_module, "db", SimpleNamespace(session=None))
    assert kiosk_figures(world.commune_a, START, END, 5, ZONE, session=given) == expected
    assert expected.total == 6
