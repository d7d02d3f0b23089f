"""The round summary from the database carries what the report now states: how many comments
moderation hid, and the suggestion-box figures of the round's days for the unit's subtree
(only when the subtree has a box), equal to an independent count; the PDF prints both."""

import uuid
from datetime import timedelta

from reports.pdf import render_round_report
from server.analytics.build import VIETNAM, build_round_summary
from server.kiosks.models import KioskDesk, KioskRating
from server.moderation.models import HiddenComment
from server.reporting.services import data_fingerprint
from server.suggestions.boxes import create_box
from server.suggestions.models import SuggestionMessage
from tests.reporting.moderation_support import UNIQUE, add_comment

COMMUNE = "Phường Đông Hòa"
OTHER = "Xã Quỳnh Lưu"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _message(db, box, received, status="new"):
    db.session.add(SuggestionMessage(
        box_id=box.id, client_uuid=str(uuid.uuid4()), receipt_code=uuid.uuid4().hex[:12].upper(),
        body="Ý kiến về rác thải", received_at=received, status=status))


def test_the_hidden_comments_are_counted_and_stated(db, dataset, factory, pdf_text):
    commune = dataset.communes[COMMUNE]
    before = build_round_summary(db.session, dataset.current, commune)
    assert before.comment_hidden == 0 and before.comment_total > 0
    response = add_comment(dataset, factory, "Tổ dân phố Đông Thịnh", UNIQUE)
    db.session.add(HiddenComment(round_id=dataset.current.id, response_id=response.id,
                                 question="comment", reason="offensive"))
    db.session.commit()

    summary = build_round_summary(db.session, dataset.current, commune)
    assert summary.comment_hidden == 1
    assert summary.comment_total == before.comment_total    # the hidden one is not counted
    assert all(UNIQUE not in comment.text for comment in summary.comments)
    # the other commune's report has nothing hidden
    assert build_round_summary(db.session, dataset.current,
                               dataset.communes[OTHER]).comment_hidden == 0

    text = _flat(pdf_text(render_round_report(summary, "vi")))
    assert "1 ý kiến đã được ẩn khi kiểm duyệt" in text


def test_no_suggestion_box_no_section(db, dataset):
    summary = build_round_summary(db.session, dataset.current, dataset.communes[COMMUNE])
    assert summary.suggestions is None


def test_the_round_s_suggestion_figures_equal_an_independent_count(db, dataset, factory,
                                                                   pdf_text):
    admin = factory.user("quantri", "admin")
    commune = dataset.communes[COMMUNE]
    group_box = create_box(admin, dataset.groups["Tổ dân phố Bắc Sơn"], "Nhà văn hóa Bắc Sơn")
    other_box = create_box(admin, dataset.communes[OTHER], "Bộ phận một cửa")
    round_ = dataset.current
    opens, closes = round_.opens_at, round_.closes_at
    inside = [opens + timedelta(hours=2 + 7 * i) for i in range(9)]
    # the round's first and last days count whole (Viet Nam days), a day before does not
    first_day = opens.astimezone(VIETNAM).replace(hour=0, minute=1)
    outside = [first_day - timedelta(hours=2), opens - timedelta(days=30)]
    statuses = ["new", "assigned", "answered", "closed"]
    for number, moment in enumerate(inside):
        _message(db, group_box, moment, statuses[number % 4])
    _message(db, group_box, first_day, "new")
    for moment in outside:
        _message(db, group_box, moment)
    for moment in inside[:6]:
        _message(db, other_box, moment)
    assert closes > inside[-1]
    db.session.commit()

    summary = build_round_summary(db.session, round_, commune)
    figures = summary.suggestions
    assert figures is not None and figures.withheld is None
    assert figures.total == len(inside) + 1 == 10
    assert figures.period_start == opens.astimezone(VIETNAM).date()
    assert figures.period_end == closes.astimezone(VIETNAM).date()
    assert figures.threshold == 5
    # the other commune counts its own box only; the province both
    assert build_round_summary(db.session, round_, dataset.communes[OTHER]).suggestions.total == 6
    assert build_round_summary(db.session, round_, dataset.province).suggestions.total == 16
    text = _flat(pdf_text(render_round_report(summary, "vi")))
    section = text.index("Hòm thư góp ý")
    assert "Số ý kiến: 10" in text[section:]
    assert section < text.index("Ý kiến, kiến nghị của người dân", section)


def _rating(db, desk, rated_at, score=5, flag=None):
    db.session.add(KioskRating(desk_id=desk.id, client_uuid=str(uuid.uuid4()), score=score,
                               service="Chứng thực", rated_at=rated_at, flag=flag))


def test_desk_ratings_of_the_round_are_in_the_summary_and_the_pdf(db, dataset, pdf_text):
    commune = dataset.communes[COMMUNE]
    assert build_round_summary(db.session, dataset.current, commune).desk_ratings is None
    desk = KioskDesk(unit_id=commune.id, name="Bộ phận một cửa", services=["Chứng thực"])
    db.session.add(desk)
    db.session.flush()
    opens = dataset.current.opens_at
    for hour in range(8):
        _rating(db, desk, opens + timedelta(hours=3 + hour), score=5 if hour % 4 else 2)
    _rating(db, desk, opens + timedelta(hours=20), flag="burst")       # never counted
    _rating(db, desk, opens - timedelta(days=3))                        # before the round
    db.session.commit()
    figures = build_round_summary(db.session, dataset.current, commune).desk_ratings
    assert figures.withheld is None and figures.total == 8 and figures.satisfied == 6
    assert figures.flagged == 1
    summary = build_round_summary(db.session, dataset.current, commune)
    text = _flat(pdf_text(render_round_report(summary, "vi")))
    section = text.index("Đánh giá tại bộ phận một cửa")
    assert "Số đánh giá hợp lệ: 8" in text[section:]
    assert section < text.index("Ý kiến, kiến nghị của người dân", section)


def test_a_new_message_or_rating_in_the_round_changes_the_fingerprint(db, dataset, factory):
    commune = dataset.communes[COMMUNE]
    round_ = dataset.current

    def fingerprint():
        db.session.expire_all()
        return data_fingerprint(round_, commune, "vi")

    start = fingerprint()
    box = create_box(factory.user("quantri", "admin"), commune, "Nhà văn hóa")
    db.session.commit()
    with_box = fingerprint()
    assert with_box != start                      # an empty section appears
    _message(db, box, round_.opens_at - timedelta(days=40))     # not in the round's days
    db.session.commit()
    assert fingerprint() == with_box
    message = SuggestionMessage(
        box_id=box.id, client_uuid=str(uuid.uuid4()), receipt_code="RFX0000001",
        body="Ý kiến", received_at=round_.opens_at + timedelta(hours=5), status="new")
    db.session.add(message)
    db.session.commit()
    with_message = fingerprint()
    assert with_message != with_box
    message.status = "answered"
    message.first_reply_at = message.received_at + timedelta(hours=3)
    db.session.commit()
    answered = fingerprint()
    assert answered != with_message
    # another commune's box changes nothing here
    other = create_box(factory.user("quantri2", "admin"), dataset.communes[OTHER], "Khác")
    _message(db, other, round_.opens_at + timedelta(hours=5))
    db.session.commit()
    assert fingerprint() == answered
    desk = KioskDesk(unit_id=dataset.groups["Tổ dân phố Bắc Sơn"].id, name="Bàn", services=[])
    db.session.add(desk)
    db.session.commit()
    with_desk = fingerprint()
    assert with_desk != answered
    _rating(db, desk, round_.opens_at + timedelta(hours=1))
    db.session.commit()
    assert fingerprint() != with_desk


def test_the_card_has_the_one_column_order_marks_and_flagged_coverage(login, dataset, db):
    commune = dataset.communes[COMMUNE]
    html = login(dataset.official).get(
        f"/reports/rounds/{dataset.current.id}/units/{commune.id}").get_data(as_text=True)
    head = html[html.index("<th>Nhóm tiêu chí</th>"):]
    head = head[:head.index("</tr>")]
    assert head.index("Đợt trước") < head.index("Đợt này") < head.index("Thay đổi")
    assert "▲ +" in html or "▼ -" in html          # changes carry their direction mark


def test_the_officials_unit_page_shows_both_panels_with_the_summary_s_figures(login, dataset, db,
                                                                              factory):
    admin = factory.user("quantri2", "admin")
    commune = dataset.communes[COMMUNE]
    round_ = dataset.current
    page = f"/reports/rounds/{round_.id}/units/{commune.id}"
    # (no "before" view: an open round's page shows a summary up to 5 minutes old)
    box = create_box(admin, commune, "Nhà văn hóa")
    for hour in range(6):
        _message(db, box, round_.opens_at + timedelta(hours=2 + hour), "answered")
    desk = KioskDesk(unit_id=commune.id, name="Bộ phận một cửa", services=["Chứng thực"])
    db.session.add(desk)
    db.session.flush()
    for hour in range(7):
        _rating(db, desk, round_.opens_at + timedelta(hours=3 + hour), score=5 if hour % 7 else 1)
    db.session.commit()
    html = login(dataset.official).get(page).get_data(as_text=True)
    assert '<dd id="sb-total">6</dd>' in html
    assert '<dd id="desk-total">7</dd>' in html
    share = html[html.index('id="desk-share"'):]
    assert share.startswith('id="desk-share">85,7%')       # 6 of 7 satisfied, half away from zero
