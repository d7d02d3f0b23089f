"""The comments a round summary carries: all of them counted, identical ones grouped, and a
sample taken in turn from each child unit (not the oldest responses), masked."""

import json
import re
from datetime import timedelta

from survey_data import FORM_PATH, publish_test_form

from server.analytics.build import SummaryOptions, build_round_summary
from server.db_types import utcnow


def _world(db, factory):
    version = publish_test_form(db, json.loads(FORM_PATH.read_text(encoding="utf-8")))
    commune = factory.unit("Phường Hòa Khánh", "ward")
    early = factory.unit("Tổ dân phố Sớm", "residential_group", parent=commune)
    late = factory.unit("Tổ dân phố Muộn", "residential_group", parent=commune)
    now = utcnow().replace(microsecond=0)
    round_ = factory.round(version, [early, late], opens_at=now - timedelta(days=10),
                           closes_at=now + timedelta(days=10))
    volunteer = factory.user("tnv_comments", "volunteer", units=[commune])
    minute = iter(range(1000))

    def answer(unit, text):
        factory.response(round_, unit, volunteer, {"comment": text},
                         completed_at=round_.opens_at + timedelta(minutes=next(minute)))

    # every comment of the early group is older than every comment of the late one
    for i in range(8):
        answer(early, f"Ý kiến thứ {i} của tổ Sớm")
    for text in ("Đường hỏng, đề nghị sửa.", "  đường hỏng, ĐỀ NGHỊ sửa. ",
                 "Đường hỏng, đề nghị sửa."):
        answer(late, text)
    answer(late, "Chị Nguyễn Thị Lan gọi 0912 345 678, ở số 12 ngõ 5.")
    for i in range(4):
        answer(late, f"Ý kiến thứ {i} của tổ Muộn")
    return round_, commune


def test_the_sample_is_fair_across_units_and_the_total_is_true(db, factory):
    round_, commune = _world(db, factory)
    summary = build_round_summary(db.session, round_, commune,
                                  SummaryOptions(comment_limit=6))
    assert summary.comment_total == 16
    names = [comment.unit_name for comment in summary.comments]
    # in turn from each group (children in the unit tree's order), not the 6 oldest
    assert sorted(names[:2]) == ["Tổ dân phố Muộn", "Tổ dân phố Sớm"]
    assert names == names[:2] * 3
    # the repeated comment comes first in its unit, once, with its count
    late_first = summary.comments[names.index("Tổ dân phố Muộn")]
    assert (late_first.text, late_first.count) == ("Đường hỏng, đề nghị sửa.", 3)


def test_every_comment_is_grouped_masked_and_counted(db, factory):
    round_, commune = _world(db, factory)
    summary = build_round_summary(db.session, round_, commune)
    assert summary.comment_total == 16
    assert sum(comment.count for comment in summary.comments) == 16
    assert len(summary.comments) == 14
    texts = [comment.text for comment in summary.comments]
    assert "Chị [tên] gọi **** *** ***, ở [địa chỉ]." in texts
    assert not any("Lan" in text or "0912" in text for text in texts)


def _log_in(client, user):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"username": user.username, "password": "pw",
                                            "csrf_token": token})
    assert response.status_code == 302


def test_the_officials_page_lists_the_same_masked_sample_and_says_so(db, factory, client,
                                                                      monkeypatch):
    round_, commune = _world(db, factory)
    monkeypatch.setitem(client.application.config, "REPORT_COMMENT_LIMIT", 6)
    _log_in(client, factory.user("canbo_comments", "official", units=[commune]))
    page = client.get(f"/reports/rounds/{round_.id}/units/{commune.id}")
    assert page.status_code == 200
    html = " ".join(page.get_data(as_text=True).split())
    assert "Hiển thị 8 trên 16 ý kiến" in html
    assert "Đường hỏng, đề nghị sửa. <strong>× 3</strong>" in html
    assert "Chị [tên] gọi **** *** ***, ở [địa chỉ]." in html
    assert "0912" not in html and "Nguyễn Thị Lan" not in html
