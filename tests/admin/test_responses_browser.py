"""The responses browser (/admin/responses): filters, paging, one response with its labels."""

import importlib.util
import re
from datetime import timedelta
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "progress_world", Path(__file__).parents[1] / "progress" / "progress_world.py")
progress_world = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(progress_world)


@pytest.fixture
def world(db, factory):
    return progress_world.build_world(db, factory)


def _matching(html: str) -> int:
    return int(re.search(r"<strong>(\d+)</strong>", html).group(1))


def _detail_links(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'href="/admin/responses/(\d+)\?', html)]


def test_filters(client, web_login, world):
    web_login(world.users["admin"])
    r = world.round.id
    assert _matching(client.get("/admin/responses/").get_data(as_text=True)) == 12  # default round
    assert _matching(client.get(f"/admin/responses/?round={r}&unit={world.units['A'].id}"
                                ).get_data(as_text=True)) == 9        # A1 and A2, below ward A
    assert _matching(client.get(f"/admin/responses/?round={r}&volunteer={world.users['vB'].id}"
                                ).get_data(as_text=True)) == 3
    rejected = client.get(f"/admin/responses/?round={r}&status=rejected").get_data(as_text=True)
    assert _detail_links(rejected) == [world.responses["A1-rejected"].id]
    excluded = client.get(f"/admin/responses/?round={r}&excluded=yes").get_data(as_text=True)
    assert _detail_links(excluded) == [world.responses["A1-excluded"].id]
    assert _matching(client.get(f"/admin/responses/?round={r}&excluded=no"
                                ).get_data(as_text=True)) == 11
    day = world.responses["A1-0"].completed_at.date()   # 03:00 UTC: the same day in Viet Nam
    one_day = client.get(f"/admin/responses/?round={r}&from={day}&to={day}").get_data(as_text=True)
    assert _detail_links(one_day) == [world.responses["A1-0"].id]
    assert _matching(client.get("/admin/responses/?round=").get_data(as_text=True)) == 12


def test_paging(client, web_login, world, factory):
    for n in range(45):
        factory.response(world.round, world.units["B2"], world.users["vB"], {"sex": "male"},
                         completed_at=world.round.opens_at + timedelta(hours=n))
    web_login(world.users["admin"])
    first = client.get(f"/admin/responses/?round={world.round.id}").get_data(as_text=True)
    assert _matching(first) == 57 and len(_detail_links(first)) == 50
    assert "Trang 1 / 2" in first
    second = client.get(f"/admin/responses/?round={world.round.id}&page=2").get_data(as_text=True)
    assert len(_detail_links(second)) == 7
    assert not set(_detail_links(first)) & set(_detail_links(second))
    # "every round" is kept in the pager's link (no round at all means the default round)
    every = client.get("/admin/responses/?round=").get_data(as_text=True)
    next_link = re.search(r'href="([^"]*page=2[^"]*)"', every).group(1).replace("&amp;", "&")
    assert "round=&" in next_link or next_link.endswith("round=")


def test_bad_filter_values_show_the_page_with_a_message(client, web_login, world):
    web_login(world.users["admin"])
    for query in ("round=abc", "round=999999", "unit=-1", "volunteer=9x", "status=deleted",
                  "excluded=maybe", "from=2026-13-45", "to=yesterday", "from=2026-05-02&to=2026-05-01",
                  "page=abc", "page=99999999999999999999"):
        page = client.get(f"/admin/responses/?{query}")
        assert page.status_code == 200, query
        if not query.startswith("page"):
            assert 'class="flash error"' in page.get_data(as_text=True), query


def test_one_response_with_its_question_labels(client, web_login, world):
    web_login(world.users["admin"])
    response = world.responses["A1-0"]
    html = client.get(f"/admin/responses/{response.id}").get_data(as_text=True)
    assert response.uuid in html
    assert "Giới tính của ông/bà" in html and "Nữ" in html            # label and choice label
    assert "Từ 30 đến 44 tuổi" in html
    assert "Không áp dụng" in html                                    # know_apologise: na
    assert "bỏ qua theo điều kiện" in html                            # skipped by logic
    assert "Cán bộ nhiệt tình." in html
    english = client.get(f"/admin/responses/{response.id}?lang=en").get_data(as_text=True)
    assert "Female" in english and "Not applicable" in english and "Giới tính" not in english
    assert ' style="' not in html


def test_unknown_response_is_404(client, web_login, world):
    web_login(world.users["admin"])
    assert client.get("/admin/responses/999999").status_code == 404
    page = client.get(f"/admin/responses/{world.responses['A1-0'].id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    for action in ("exclude", "include"):
        answer = client.post(f"/admin/responses/999999/{action}",
                             data={"csrf_token": token, "reason": "x"})
        assert answer.status_code == 404


def test_officials_and_volunteers_cannot_browse(client, web_login, world):
    web_login(world.users["official_a"])
    assert client.get("/admin/responses/").status_code == 403
    assert client.get(f"/admin/responses/{world.responses['A1-0'].id}").status_code == 403


def _unit_options(html: str) -> list[str]:
    select = html.split('<select name="unit">')[1].split("</select>")[0]
    return [name.strip() for name in re.findall(r"<option value=\"\d+\"[^>]*>([^<]*)</option>",
                                                select)]


def test_the_unit_filter_opens_a_level_at_a_time(client, web_login, world):
    """A national round has 36,000 units: the filter lists the top, the way down to the
    chosen unit and the units just below it, only those of the round."""
    web_login(world.users["admin"])
    r = world.round.id
    first = _unit_options(client.get(f"/admin/responses/?round={r}").get_data(as_text=True))
    assert first == ["Tỉnh Ninh Bình", "— Phường Hoa Lư", "— Xã Gia Viễn"]   # not Yên Mô
    ward = world.units["A"].id
    opened = client.get(f"/admin/responses/?round={r}&unit={ward}").get_data(as_text=True)
    assert _unit_options(opened) == [
        "Tỉnh Ninh Bình", "— Phường Hoa Lư", "— — Tổ dân phố 1", "— — Tổ dân phố 2",
        "— — Tổ dân phố 10", "— Xã Gia Viễn"]
    assert f'<option value="{ward}" selected>' in opened


def _volunteer_options(html: str) -> list[str]:
    if '<select name="volunteer">' not in html:
        return []
    select = html.split('<select name="volunteer">')[1].split("</select>")[0]
    return re.findall(r"<option value=\"\d+\"[^>]*>([^<(]*)", select)


def test_the_volunteer_filter_lists_those_below_the_unit_and_never_too_many(
        client, web_login, world, monkeypatch):
    from server.sync import pages
    web_login(world.users["admin"])
    r = world.round.id
    every = _volunteer_options(client.get(f"/admin/responses/?round={r}").get_data(as_text=True))
    assert len(every) == 2 and "Trần Thị Bình " in every
    below_b = client.get(f"/admin/responses/?round={r}&unit={world.units['B'].id}")
    assert _volunteer_options(below_b.get_data(as_text=True)) == ["Trần Thị Bình "]
    monkeypatch.setattr(pages, "VOLUNTEER_CHOICES_MAX", 1)
    crowded = client.get(f"/admin/responses/?round={r}").get_data(as_text=True)
    assert _volunteer_options(crowded) == []
    assert "Chọn đơn vị để lọc theo tình nguyện viên." in crowded
    narrowed = client.get(f"/admin/responses/?round={r}&unit={world.units['B'].id}")
    assert _volunteer_options(narrowed.get_data(as_text=True)) == ["Trần Thị Bình "]
    monkeypatch.setattr(pages, "VOLUNTEER_CHOICES_MAX", 500)
    monkeypatch.setattr(pages, "ROUND_UNITS_FOR_ALL_VOLUNTEERS", 4)    # the round has 5
    national = client.get(f"/admin/responses/?round={r}").get_data(as_text=True)
    assert _volunteer_options(national) == []
    narrowed = client.get(f"/admin/responses/?round={r}&unit={world.units['B'].id}")
    assert _volunteer_options(narrowed.get_data(as_text=True)) == ["Trần Thị Bình "]
