"""The officials' pages at scale: paged rounds and units, headline figures from the stored
summaries (a view builds only what its page lacks), the country root, and the fingerprint
made for a whole page in a few queries."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from server.analytics.build import build_round_summary
from server.reporting import summaries, web
from server.reporting.access import top_report_units, top_units, unit_in_round
from server.reporting.models import CachedSummary
from server.reporting.services import (
    data_fingerprint,
    data_fingerprints,
    report_pdf,
    summary_options,
)
from server.reporting.summaries import headline_of
from server.rounds.services import set_unit_targets
from server.units.services import add_unit, move_unit, update_unit


@pytest.fixture
def builds(monkeypatch):
    """Counts the summaries built (by the pages and the PDFs)."""
    made = []
    real = summaries.build_round_summary

    def counting(session, round_, unit, *args, **kwargs):
        made.append(unit.id)
        return real(session, round_, unit, *args, **kwargs)

    monkeypatch.setattr(summaries, "build_round_summary", counting)
    return made


@pytest.fixture(autouse=True)
def no_view_budget(monkeypatch):
    """Builds are counted here: a slow machine must not push one past a view's budget."""
    monkeypatch.setattr(web, "VIEW_BUILD_BUDGET", None)


@pytest.fixture
def admin_client(login, factory):
    return login(factory.user("quantri", "admin"))


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr><td><a href="/reports/rounds/\d+/units/\d+">([^<]+)</a>', html)


def test_rounds_are_paged_newest_first(admin_client, dataset, factory):
    now = dataset.current.opens_at
    for n in range(1, 5):
        factory.round(dataset.form_version, list(dataset.groups.values()),
                      opens_at=now - timedelta(days=400 + 30 * n),
                      closes_at=now - timedelta(days=390 + 30 * n), title=f"Đợt cũ {n}")
    first = admin_client.get("/reports").get_data(as_text=True)
    titles = re.findall(r'<h2 id="round-\d+">([^<]+)</h2>', first)
    assert titles == ["Đợt 2 năm 2026", "Đợt 1 năm 2026", "Đợt cũ 1", "Đợt cũ 2"]
    assert "Trang 1 / 2 (6 đợt)" in first and 'href="/reports?page=2"' in first
    second = admin_client.get("/reports?page=2").get_data(as_text=True)
    assert re.findall(r'<h2 id="round-\d+">([^<]+)</h2>', second) == ["Đợt cũ 3", "Đợt cũ 4"]
    assert admin_client.get("/reports?page=0").status_code == 400


def test_round_units_page_lists_searches_filters_and_pages(admin_client, dataset, monkeypatch):
    monkeypatch.setattr(web, "UNITS_PER_PAGE", 3)
    url = f"/reports/rounds/{dataset.previous.id}"
    html = admin_client.get(url).get_data(as_text=True)
    # the top first, then each level in name order
    assert _rows(html) == ["Tỉnh Ninh Bình", "Phường Đông Hòa", "Xã Quỳnh Lưu"]
    assert "Trang 1 / 3 (8 đơn vị)" in html
    third = admin_client.get(url + "?page=3").get_data(as_text=True)
    # the database's name order (its collation decides where "Đ" goes)
    assert sorted(_rows(third)) == ["Tổ dân phố Kỳ Lân", "Tổ dân phố Đông Thịnh"]
    assert "Chưa đủ phiếu để lập báo cáo" in third          # Kỳ Lân: 2 responses
    wards = admin_client.get(url + "?level=ward").get_data(as_text=True)
    assert _rows(wards) == ["Phường Đông Hòa"]
    found = admin_client.get(url + "?q=dong").get_data(as_text=True)   # accents optional
    assert _rows(found) == ["Phường Đông Hòa", "Thôn Đồng Tâm", "Tổ dân phố Đông Thịnh"]
    assert admin_client.get(url + "?level=planet").status_code == 400
    assert admin_client.get("/reports/rounds/99999").status_code == 404


def test_an_official_lists_only_the_units_they_see(login, dataset):
    client = login(dataset.official)
    html = client.get(f"/reports/rounds/{dataset.current.id}").get_data(as_text=True)
    assert sorted(_rows(html)) == sorted(["Phường Đông Hòa", "Tổ dân phố Bắc Sơn",
                                          "Tổ dân phố Kỳ Lân", "Tổ dân phố Đông Thịnh"])
    assert "Tỉnh Ninh Bình" not in html


def test_a_view_builds_only_the_summaries_of_its_page_and_then_none(admin_client, dataset,
                                                                   builds, monkeypatch, db):
    monkeypatch.setattr(web, "UNITS_PER_PAGE", 2)
    url = f"/reports/rounds/{dataset.previous.id}"
    html = admin_client.get(url).get_data(as_text=True)
    province = dataset.province
    assert sorted(builds) == sorted([province.id, dataset.communes["Phường Đông Hòa"].id])
    stored = db.session.scalar(select(func.count()).select_from(CachedSummary).where(
        CachedSummary.round_id == dataset.previous.id))
    assert stored == 2
    builds.clear()
    assert admin_client.get(url).get_data(as_text=True) == html
    assert builds == []

    # the figures are the summary's
    summary = build_round_summary(db.session, dataset.previous, province, summary_options())
    figures = headline_of(summary)
    assert figures["responses"] == 47 and figures["withheld"] is None
    row = db.session.scalar(select(CachedSummary).where(
        CachedSummary.round_id == dataset.previous.id, CachedSummary.unit_id == province.id))
    assert row.headline == figures


def test_a_response_makes_only_the_cards_it_changes_stale(admin_client, dataset, factory,
                                                         builds, db):
    closed = dataset.previous
    admin_client.get(f"/reports/rounds/{closed.id}")
    builds.clear()
    group = dataset.groups["Thôn Đồng Tâm"]
    factory.response(closed, group, dataset.volunteer, {"used_service": "no"}, skipped=[])
    admin_client.get(f"/reports/rounds/{closed.id}")
    # the province, the commune and the group see it; the other commune and groups do not
    assert sorted(builds) == sorted([dataset.province.id, dataset.communes["Xã Quỳnh Lưu"].id,
                                     group.id])


def test_an_open_round_shows_a_recent_summary_with_its_time(login, dataset, factory, builds,
                                                            monkeypatch):
    client = login(dataset.official)
    commune = dataset.communes["Phường Đông Hòa"]
    url = f"/reports/rounds/{dataset.current.id}/units/{commune.id}"
    assert "Số liệu lúc" not in client.get(url).get_data(as_text=True)
    pdf_before = report_pdf(dataset.current, commune, "vi")
    factory.response(dataset.current, dataset.groups["Tổ dân phố Bắc Sơn"], dataset.volunteer,
                     {"used_service": "no"}, skipped=[])
    builds.clear()
    html = client.get(url).get_data(as_text=True)
    assert builds == [] and "Số liệu lúc" in html
    assert "43 / 60" in html                              # the figures as they were
    assert report_pdf(dataset.current, commune, "vi") != pdf_before   # the PDF is exact
    monkeypatch.setattr(summaries, "RECENT_ENOUGH", timedelta(0))
    builds.clear()
    html = client.get(url).get_data(as_text=True)
    assert "44 / 60" in html and "Số liệu lúc" not in html
    # the PDF already stored the summary of the new data: nothing is built again
    assert builds == []


def test_the_country_root_is_seen_by_admins_and_central_staff(login, dataset, factory, db):
    country = add_unit(None, "Việt Nam", "country", code="vn")
    move_unit(dataset.province, country, None)
    staff = factory.user("mttq.trunguong", "official", units=[country])
    for user in (factory.user("quantri", "admin"), staff):
        assert [unit.id for unit in top_report_units(dataset.current, user)] == [country.id]
    client = login(staff)
    html = client.get("/reports").get_data(as_text=True)
    assert "Việt Nam" in html and "Cả nước" in html
    page = client.get(f"/reports/rounds/{dataset.current.id}/units/{country.id}")
    assert page.status_code == 200
    assert f'/reports/rounds/{dataset.current.id}/units/{dataset.province.id}"' in \
        page.get_data(as_text=True)
    province_page = client.get(
        f"/reports/rounds/{dataset.current.id}/units/{dataset.province.id}").get_data(as_text=True)
    assert f'/units/{country.id}">Việt Nam</a>' in province_page     # the way up
    assert report_pdf(dataset.current, country, "vi").startswith(b"%PDF")
    assert [unit.id for unit in top_report_units(dataset.current, dataset.official)] == \
        [dataset.communes["Phường Đông Hòa"].id]


def test_top_units_and_unit_in_round(dataset, factory):
    units = [dataset.province, *dataset.communes.values(), *dataset.groups.values()]
    assert top_units(units) == [dataset.province]
    assert top_units(list(dataset.communes.values())) == list(dataset.communes.values())
    round_ = dataset.current
    assert unit_in_round(round_, dataset.groups["Thôn Yên Trạch"])
    assert unit_in_round(round_, dataset.province)
    below = factory.unit("Khu A", "residential_group", parent=dataset.groups["Thôn Yên Trạch"])
    assert unit_in_round(round_, below)
    elsewhere = factory.unit("Tỉnh Khác", "province")
    assert not unit_in_round(round_, elsewhere)


def test_page_fingerprints_equal_the_single_ones_and_follow_what_the_report_shows(
        db, dataset, factory):
    round_ = dataset.current
    communes = list(dataset.communes.values())
    page = data_fingerprints(round_, [dataset.province, *communes])
    for commune in communes:
        assert data_fingerprints(round_, [commune])[commune.id] == page[commune.id]
    assert data_fingerprint(round_, communes[0], "vi") != data_fingerprint(round_, communes[0],
                                                                            "en")
    update_unit(dataset.groups["Tổ dân phố Bắc Sơn"], None, name="Tổ dân phố Bắc Sơn Mới")
    renamed = data_fingerprints(round_, [dataset.province, *communes])
    assert renamed[communes[0].id] != page[communes[0].id]      # its child's name is printed
    assert renamed[communes[1].id] == page[communes[1].id]
    assert renamed[dataset.province.id] == page[dataset.province.id]   # not a child of it
    # a residential group moved to the other commune: both communes and the province
    move_unit(dataset.groups["Thôn Yên Trạch"], communes[0], None)
    moved = data_fingerprints(round_, [dataset.province, *communes])
    assert all(moved[unit_id] != renamed[unit_id] for unit_id in moved)
    # a target changed
    set_unit_targets(round_, {dataset.groups["Thôn Đồng Tâm"].id: 30})
    retargeted = data_fingerprints(round_, [dataset.province, *communes])
    assert retargeted[communes[1].id] != moved[communes[1].id]
    assert retargeted[communes[0].id] == moved[communes[0].id]


def test_a_page_fingerprint_takes_a_few_queries_whatever_its_size(db, dataset):
    units = [dataset.province, *dataset.communes.values(), *dataset.groups.values()]
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        data_fingerprints(dataset.current, units)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    # 8: the closed earlier round's stored-aggregates header is looked up too (issue 15)
    assert len(statements) <= 8, statements
