"""The moderation page, as a browser uses it (no browser): the official's session, form
posts with the CSRF token, masked text, the links that lead to it."""

import re

import pytest
from sqlalchemy import select

from server.audit.models import AuditEntry
from server.moderation.models import HiddenComment
from tests.reporting.moderation_support import (
    REPEATED,
    UNIQUE,
    WITH_PHONE,
    add_comment,
)

COMMUNE = "Phường Đông Hòa"


@pytest.fixture
def world(dataset, factory):
    add_comment(dataset, factory, "Tổ dân phố Đông Thịnh", UNIQUE)
    add_comment(dataset, factory, "Tổ dân phố Kỳ Lân", WITH_PHONE)
    for group in ("Tổ dân phố Đông Thịnh", "Tổ dân phố Bắc Sơn"):
        add_comment(dataset, factory, group, REPEATED)
    return dataset


def page_url(world, unit):
    return f"/reports/rounds/{world.current.id}/units/{unit.id}/comments"


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def group_form(html: str, text: str) -> str:
    """The form of the comment group whose text is `text`."""
    section = next(part for part in html.split('<section class="card comment-group')
                   if f">{text}</blockquote>" in part)
    return section.split("</form>")[0]


def single_ref(form_html: str) -> str:
    return re.search(r'<input type="hidden" name="comment" value="([^"]+)"', form_html).group(1)


def test_an_official_hides_a_comment_with_the_form(login, db, world):
    client = login(world.official)
    commune = world.communes[COMMUNE]
    html = client.get(page_url(world, commune)).get_data(as_text=True)
    assert UNIQUE in html and REPEATED in html
    # masked as in the report, officials never see the raw number
    assert "0912" not in html and "**** *** ***" in html
    ref = single_ref(group_form(html, UNIQUE))
    response = client.post(page_url(world, commune), data={
        "csrf_token": csrf(html), "action": "hide", "comment": ref, "reason": "off_topic"})
    assert response.status_code == 303
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã ẩn 1 ý kiến khỏi báo cáo." in follow
    assert "Không liên quan đến khảo sát, quảng cáo" in group_form(follow, UNIQUE)
    hidden = db.session.scalars(select(HiddenComment)).one()
    assert f"{hidden.response_id}:{hidden.question}" == ref and hidden.reason == "off_topic"
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "comment.hidden")).one()
    assert entry.actor_id == world.official.id
    # the officials' unit page no longer lists it
    unit_page = client.get(f"/reports/rounds/{world.current.id}/units/{commune.id}")
    assert UNIQUE not in unit_page.get_data(as_text=True)

    # shown again from the same form
    response = client.post(page_url(world, commune), data={
        "csrf_token": csrf(follow), "action": "unhide", "comment": ref})
    assert response.status_code == 303
    assert db.session.scalars(select(HiddenComment)).all() == []


def test_hide_all_identical_from_the_page(login, db, world):
    client = login(world.official)
    commune = world.communes[COMMUNE]
    html = client.get(page_url(world, commune)).get_data(as_text=True)
    form = group_form(html, REPEATED)
    assert "Ẩn tất cả 2 ý kiến giống hệt" in form
    group_ref = re.search(r'name="group" value="([^"]+)"', form).group(1)
    response = client.post(page_url(world, commune), data={
        "csrf_token": csrf(html), "action": "hide_identical", "group": group_ref,
        "reason": "other", "note": "Nội dung vận động"})
    assert response.status_code == 303
    assert len(db.session.scalars(select(HiddenComment)).all()) == 2
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "comment.hidden")).all()
    assert len(entries) == 2 and {e.details["comments_in_action"] for e in entries} == {2}


def test_refusals_on_the_page(login, db, world, factory):
    client = login(world.official)
    commune = world.communes[COMMUNE]
    html = client.get(page_url(world, commune)).get_data(as_text=True)
    ref = single_ref(group_form(html, UNIQUE))
    no_reason = client.post(page_url(world, commune), data={
        "csrf_token": csrf(html), "action": "hide", "comment": ref})
    assert no_reason.status_code == 400
    assert "Hãy chọn lý do ẩn ý kiến." in no_reason.get_data(as_text=True)
    no_token = client.post(page_url(world, commune), data={
        "action": "hide", "comment": ref, "reason": "offensive"})
    assert no_token.status_code == 400
    garbage = client.post(page_url(world, commune), data={
        "csrf_token": csrf(html), "action": "hide", "comment": "abc", "reason": "offensive"})
    assert garbage.status_code == 400
    assert db.session.scalars(select(HiddenComment)).all() == []

    stranger = factory.user("canbo_b", "official", units=[world.communes["Xã Quỳnh Lưu"]])
    login(stranger)
    assert client.get(page_url(world, commune)).status_code == 403
    login(world.volunteer)
    refused = client.get(page_url(world, commune))
    assert refused.status_code == 403
    assert client.post(page_url(world, commune), data={
        "csrf_token": csrf(refused.get_data(as_text=True)), "action": "hide", "comment": ref,
        "reason": "offensive"}).status_code == 403
    assert db.session.scalars(select(HiddenComment)).all() == []


def test_links_to_the_page_and_the_admin_console(login, world, factory, db):
    client = login(world.official)
    commune = world.communes[COMMUNE]
    unit_page = client.get(f"/reports/rounds/{world.current.id}/units/{commune.id}")
    assert page_url(world, commune) in unit_page.get_data(as_text=True)
    # the official's round entry goes to their commune
    entry = client.get(f"/reports/rounds/{world.current.id}/comments")
    assert entry.status_code == 302 and entry.headers["Location"].endswith(
        page_url(world, commune))

    admin = factory.user("quantri", "admin")
    login(admin)
    console = client.get(f"/admin/rounds/{world.current.id}").get_data(as_text=True)
    assert f"/reports/rounds/{world.current.id}/comments" in console
    entry = client.get(f"/reports/rounds/{world.current.id}/comments")
    assert entry.headers["Location"].endswith(page_url(world, world.province))
    html = client.get(page_url(world, world.province)).get_data(as_text=True)
    assert UNIQUE in html and "0912" not in html
    assert "Chốt báo cáo được khi đợt khảo sát đã kết thúc." in html


def test_an_admin_marks_the_reports_final_from_the_page(login, world, factory, db):
    admin = factory.user("quantri", "admin")
    client = login(admin)
    world.current.status = "closed"
    db.session.flush()
    html = client.get(page_url(world, world.province)).get_data(as_text=True)
    response = client.post(f"/reports/rounds/{world.current.id}/final", data={
        "csrf_token": csrf(html), "action": "final", "unit_id": world.province.id})
    assert response.status_code == 303
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Báo cáo của đợt đã được chốt" in html and "Ẩn ý kiến này" not in html
    db.session.expire_all()
    assert world.current.reports_final_at is not None
    # an official cannot
    login(world.official)
    refused = client.post(f"/reports/rounds/{world.current.id}/final", data={
        "csrf_token": csrf(client.get(page_url(world, world.communes[COMMUNE]))
                           .get_data(as_text=True)), "action": "reopen"})
    assert refused.status_code == 403


def test_a_comment_repeated_many_times_lists_its_first_occurrences(login, world,
                                                                   monkeypatch):
    """A national round repeats a comment thousands of times: the page lists the first
    ones one by one and the group's "all" buttons act on the rest."""
    from server.moderation import pages
    monkeypatch.setattr(pages, "OCCURRENCES_SHOWN", 1)
    client = login(world.official)
    form = group_form(client.get(page_url(world, world.communes[COMMUNE])).get_data(
        as_text=True), REPEATED)
    assert len(re.findall(r'type="checkbox" name="comment"', form)) == 1
    assert "… và 1 lần nữa" in form and 'value="hide_identical"' in form
