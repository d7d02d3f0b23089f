"""The round page's unit list (/admin/rounds/<id>), as an admin uses it: 50 units a page with
the console's pager, a search by unit name ignoring accents, the round's totals over all its
units on every page, targets saved from a page back to it, and a fixed number of queries
whatever the round's size (a national round has 33,000 units)."""

import re

import pytest

from server.rounds.services import set_unit_targets, targets_of
from tests.admin.conftest import csrf_token, log_in
from tests.query_count import statements_of_get


@pytest.fixture
def admin(factory, db, client):
    user = factory.user("admin", "admin")
    db.session.commit()
    log_in(client, user.username)
    return user


def _round_of(factory, count: int, target_per_unit: int = 20):
    ward = factory.unit(f"Phường {count}", "ward")
    groups = [factory.unit(f"Tổ dân phố {i}", "residential_group", parent=ward)
              for i in range(1, count + 1)]
    return factory.round(factory.form_version(), groups, target_per_unit=target_per_unit), groups


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _listed(page: str) -> list[int]:
    return [int(unit_id) for unit_id in re.findall(r'name="target-(\d+)"', page)]


def _fact(page: str, label: str) -> str:
    return re.search(rf"<dt>{label}</dt><dd>([^<]*)</dd>", page).group(1)


def test_120_round_units_are_listed_on_three_pages_of_50(client, db, factory, admin):
    round_, groups = _round_of(factory, 120)
    db.session.commit()
    base = f"/admin/rounds/{round_.id}"
    pages = [_text(client.get(f"{base}?page={number}")) for number in (1, 2, 3)]
    assert [len(_listed(page)) for page in pages] == [50, 50, 20]
    assert sorted(sum((_listed(page) for page in pages), [])) == sorted(g.id for g in groups)
    assert "Trang 1 / 3" in pages[0] and f'href="{base}?page=2"' in pages[0]
    assert "Trang 3 / 3" in pages[2] and f'href="{base}?page=2"' in pages[2]
    assert "?page=4" not in pages[2]
    assert _listed(_text(client.get(base))) == _listed(pages[0])
    assert _listed(_text(client.get(f"{base}?page=999"))) == _listed(pages[2])  # the last
    assert _listed(_text(client.get(f"{base}?page=abc"))) == _listed(pages[0])
    assert all(_fact(page, "Đơn vị") == "120" for page in pages)


def test_a_small_round_has_no_pager(client, db, factory, admin):
    round_, _ = _round_of(factory, 3)
    db.session.commit()
    page = _text(client.get(f"/admin/rounds/{round_.id}"))
    assert len(_listed(page)) == 3 and "Trang 1 /" not in page


def test_a_search_finds_an_accented_name_by_its_unaccented_form(client, db, factory, admin):
    round_, groups = _round_of(factory, 60)
    ward = groups[0].parent
    dong_tam = factory.unit("Thôn Đồng Tâm", "residential_group", parent=ward)
    other = factory.unit("Thôn Đông Hải", "residential_group", parent=ward)
    round_ = factory.round(round_.form_version, [*groups, dong_tam, other])
    db.session.commit()
    base = f"/admin/rounds/{round_.id}"
    for query in ("dong tam", "ĐỒNG TÂM", "  Dong   Tam "):
        found = _text(client.get(base, query_string={"q": query}))
        assert _listed(found) == [dong_tam.id], query
        assert "Thôn Đông Hải" not in found and "(1)</h2>" in found
        assert _fact(found, "Đơn vị") == "62"  # the round's totals, not the search's
    assert _listed(_text(client.get(base, query_string={"q": "thon dong"}))) == \
        sorted([dong_tam.id, other.id], key=lambda unit_id: f"{ward.path}{unit_id}/")
    nothing = _text(client.get(base, query_string={"q": "không có"}))
    assert _listed(nothing) == [] and "Không có đơn vị nào khớp." in nothing
    # a search with more than a page keeps the search in the pager's links
    many = _text(client.get(base, query_string={"q": "to dan pho"}))
    assert "Trang 1 / 2" in many and "page=2&amp;q=to+dan+pho" in many
    assert len(_listed(_text(client.get(base, query_string={"q": "to dan pho", "page": 2})))) == 10


def test_totals_count_every_round_unit_on_every_page(client, db, factory, admin):
    round_, groups = _round_of(factory, 60, target_per_unit=10)
    volunteer = factory.user("tnv", units=groups)
    set_unit_targets(round_, {groups[-1].id: 35})
    for group in groups:
        factory.response(round_, group, volunteer, {})
    factory.response(round_, groups[0], volunteer, {}, status="rejected")
    db.session.commit()
    base = f"/admin/rounds/{round_.id}"
    for number in (1, 2):
        page = _text(client.get(f"{base}?page={number}"))
        assert _fact(page, "Đơn vị") == "60"
        assert _fact(page, "Phiếu / chỉ tiêu") == f"60 / {59 * 10 + 35}"
    rows = re.findall(r'<td class="num">(\d+)</td>\s*<td class="num">(\d+)</td>',
                      _text(client.get(f"{base}?page=1")) + _text(client.get(f"{base}?page=2")))
    assert sorted(rows) == sorted([("1", "10")] * 59 + [("1", "35")])


def test_a_commune_taking_part_whole_is_credited_its_groups_responses(client, db, factory, admin):
    province = factory.unit("Tỉnh Ninh Bình", "province")
    commune = factory.unit("Xã Gia Sinh", "commune", parent=province)
    village = factory.unit("Thôn Đông", "residential_group", parent=commune)
    other = factory.unit("Xã Gia Hòa", "commune", parent=province)
    round_ = factory.round(factory.form_version(), [commune, other])
    volunteer = factory.user("tnv", units=[commune])
    for unit in (village, village, commune, other):
        factory.response(round_, unit, volunteer, {})
    db.session.commit()
    page = _text(client.get(f"/admin/rounds/{round_.id}"))
    assert _fact(page, "Phiếu / chỉ tiêu") == "4 / 40"
    rows = dict(re.findall(r"<td>(Xã [^<]+)</td>\s*<td>[^<]*</td>\s*<td class=\"num\">(\d+)</td>",
                           page))
    assert rows == {"Xã Gia Sinh": "3", "Xã Gia Hòa": "1"}


def test_targets_saved_from_a_page_change_its_units_and_return_to_it(client, db, factory, admin):
    round_, groups = _round_of(factory, 120)
    db.session.commit()
    base = f"/admin/rounds/{round_.id}"
    shown = _listed(_text(client.get(f"{base}?page=2")))
    fields = {"csrf_token": csrf_token(client), "page": "2", f"target-{shown[0]}": "33",
              f"target-{shown[1]}": ""}
    saved = client.post(f"{base}/targets", data=fields)
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"{base}?page=2")
    targets = targets_of(round_.id)
    assert targets[shown[0]] == 33 and sum(t is not None for t in targets.values()) == 1
    refused = client.post(f"{base}/targets", data={**fields, f"target-{shown[1]}": "nhiều"})
    assert refused.status_code == 400 and "Trang 2 / 3" in refused.get_data(as_text=True)
    assert _listed(refused.get_data(as_text=True)) == shown
    # a field of a unit outside the round is left alone, as before
    outsider = factory.unit("Xã khác", "commune")
    db.session.commit()
    assert client.post(f"{base}/targets", data={**fields, f"target-{outsider.id}": "5"}) \
        .status_code == 302


def _statements(client, path: str) -> int:
    client.get(path)  # warm: the first view may load what later views find cached
    return statements_of_get(client, path)


def _spread_round(factory, count: int):
    """A round of `count` groups, each in a commune of its own (so a lazy load of a unit's
    parent could not be served from what is already loaded)."""
    province = factory.unit(f"Tỉnh {count}", "province")
    groups = [factory.unit(f"Tổ {i}", "residential_group",
                           parent=factory.unit(f"Xã {count}-{i}", "commune", parent=province))
              for i in range(1, count + 1)]
    return factory.round(factory.form_version(), groups), groups


def test_the_page_takes_as_many_queries_for_120_units_as_for_10(client, db, factory, admin):
    small, small_groups = _spread_round(factory, 10)
    large, large_groups = _spread_round(factory, 120)
    volunteer = factory.user("tnv", units=[*small_groups, *large_groups])
    for group in (*small_groups, *large_groups):
        factory.response(small if group in small_groups else large, group, volunteer, {})
    db.session.commit()
    assert _statements(client, f"/admin/rounds/{small.id}") == \
        _statements(client, f"/admin/rounds/{large.id}")
    assert _statements(client, f"/admin/rounds/{small.id}?q=to") == \
        _statements(client, f"/admin/rounds/{large.id}?q=to")
