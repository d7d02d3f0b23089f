"""A page view never builds the summary of a broad unit (a province, the country) of an open
round: it shows the last stored one with its time, or "being computed"; the warming job
(server/reporting/warming.py) makes them. The round's units page costs a fixed number of
statements whatever the number of units."""

from datetime import timedelta

import pytest
from sqlalchemy import insert, select

from server.db_types import utcnow
from server.reporting import summaries, web
from server.reporting.models import CachedSummary
from server.reporting.services import report_pdf
from server.reporting.warming import open_round_ids, warm_open_round_summaries
from server.rounds.models import round_units
from tests.query_count import statements_of_get

PENDING = "Đang tính số liệu…"


@pytest.fixture
def builds(monkeypatch):
    """The units whose summary of the open round is built (a closed round's: tagged)."""
    made = []
    real = summaries.build_round_summary

    def counting(session, round_, unit, *args, **kwargs):
        made.append(unit.id if round_.effective_status() == "open" else ("closed round", unit.id))
        return real(session, round_, unit, *args, **kwargs)

    monkeypatch.setattr(summaries, "build_round_summary", counting)
    return made


@pytest.fixture(autouse=True)
def a_big_province(monkeypatch):
    """The dataset's province has 5 residential groups: made a national one's size for the
    rule (a smaller one is built on view, open or closed)."""
    monkeypatch.setattr(summaries, "INLINE_UNITS", 4)


@pytest.fixture
def admin_client(login, factory, monkeypatch):
    monkeypatch.setattr(web, "VIEW_BUILD_BUDGET", None)   # builds counted: no time budget
    return login(factory.user("quantri", "admin"))


def test_an_open_rounds_province_is_never_built_by_a_view(admin_client, dataset, builds, db):
    province = dataset.province
    url = f"/reports/rounds/{dataset.current.id}"
    html = admin_client.get(url).get_data(as_text=True)
    assert province.id not in builds and PENDING in html
    # the communes and groups of the page are built on view (each well under a second)
    assert set(builds) == {unit.id for unit in [*dataset.communes.values(),
                                                *dataset.groups.values()]}
    assert "reporting/refresh.js" in html
    cards = admin_client.get("/reports").get_data(as_text=True)
    assert province.id not in builds and PENDING in cards       # the admin's top unit
    unit_page = admin_client.get(f"{url}/units/{province.id}")
    assert unit_page.status_code == 200
    text = unit_page.get_data(as_text=True)
    assert PENDING in text and "Tải báo cáo PDF" in text       # the PDF is made on download
    assert "Phường Đông Hòa" in text                             # its units are listed
    assert province.id not in builds

    builds.clear()
    assert warm_open_round_summaries(utcnow()) == "1 summaries made, 0 left"
    assert builds == [province.id]
    html = admin_client.get(url).get_data(as_text=True)
    # an open round's province: its figures with their time, never compared with the data
    # on view (its fingerprint alone reads the whole round)
    assert PENDING not in html and "số liệu lúc" in html


def test_a_stale_province_is_shown_with_its_time_until_the_job_remakes_it(
        admin_client, dataset, factory, builds, monkeypatch, db):
    province = dataset.province
    warm_open_round_summaries(utcnow())
    url = f"/reports/rounds/{dataset.current.id}/units/{province.id}"
    figures = _stored_headline(db, dataset.current, province)
    shown = f"{figures['responses']} / {figures['target']}"
    assert shown in admin_client.get(url).get_data(as_text=True)
    factory.response(dataset.current, dataset.groups["Tổ dân phố Bắc Sơn"], dataset.volunteer,
                     {"used_service": "no"}, skipped=[])
    monkeypatch.setattr(summaries, "RECENT_ENOUGH", timedelta(0))   # however old it is
    builds.clear()
    html = admin_client.get(url).get_data(as_text=True)
    assert builds == [] and "Số liệu lúc" in html and shown in html     # as they were
    assert "có thể chưa gồm các phiếu mới nhất" in html
    listed = admin_client.get(f"/reports/rounds/{dataset.current.id}").get_data(as_text=True)
    assert province.id not in builds and "có thể chưa gồm các phiếu mới nhất" in listed
    builds.clear()
    assert warm_open_round_summaries(utcnow()) == "1 summaries made, 0 left"
    assert builds == [province.id]                 # only the stale one; communes are on view
    now_shown = f"{figures['responses'] + 1} / {figures['target']}"
    assert now_shown in admin_client.get(url).get_data(as_text=True)
    assert warm_open_round_summaries(utcnow()) == "0 summaries made, 0 left"


def _stored_headline(db, round_, unit) -> dict:
    return db.session.scalar(select(CachedSummary.headline).where(
        CachedSummary.round_id == round_.id, CachedSummary.unit_id == unit.id))


def test_the_pdf_of_an_open_rounds_province_stays_exact(db, dataset, factory):
    province = dataset.province
    warm_open_round_summaries(utcnow())
    stored = _stored_headline(db, dataset.current, province)
    factory.response(dataset.current, dataset.groups["Tổ dân phố Bắc Sơn"], dataset.volunteer,
                     {"used_service": "no"}, skipped=[])
    assert report_pdf(dataset.current, province, "vi").startswith(b"%PDF")
    remade = _stored_headline(db, dataset.current, province)
    assert remade["responses"] == stored["responses"] + 1


def test_the_job_stops_at_its_time_budget_and_skips_closed_rounds(db, dataset, builds):
    assert open_round_ids(utcnow()) == [dataset.current.id]
    assert warm_open_round_summaries(utcnow(), budget=timedelta(seconds=-1)) == \
        "0 summaries made, 1 left"
    assert builds == []
    later = dataset.current.closes_at + timedelta(days=1)
    assert open_round_ids(later) == []


def test_a_closed_rounds_province_is_built_on_view_only_when_small(
        admin_client, dataset, builds, monkeypatch, db):
    url = f"/reports/rounds/{dataset.previous.id}"
    monkeypatch.setattr(summaries, "INLINE_UNITS", 4)     # the province has 5 groups
    html = admin_client.get(url).get_data(as_text=True)
    assert ("closed round", dataset.province.id) not in builds and PENDING in html
    assert ("closed round", dataset.communes["Xã Quỳnh Lưu"].id) in builds
    assert 'data-reload-seconds="90"' in html              # a job makes it
    monkeypatch.setattr(summaries, "INLINE_UNITS", 5)
    html = admin_client.get(url).get_data(as_text=True)
    assert ("closed round", dataset.province.id) in builds and PENDING not in html
    # an open round's province by the same rule
    assert summaries.views_may_build(dataset.current, [dataset.province]) == {dataset.province.id}
    monkeypatch.setattr(summaries, "INLINE_UNITS", 4)
    assert not summaries.views_may_build(dataset.current, [dataset.province])


def test_a_small_open_rounds_province_is_built_on_view(admin_client, dataset, builds,
                                                        monkeypatch, db):
    html = admin_client.get("/reports").get_data(as_text=True)   # the admin's top unit
    assert dataset.province.id not in builds and PENDING in html
    monkeypatch.setattr(summaries, "INLINE_UNITS", 5)
    html = admin_client.get("/reports").get_data(as_text=True)
    assert dataset.province.id in builds and PENDING not in html


def test_a_view_builds_until_its_time_budget_and_the_next_view_goes_on(
        admin_client, dataset, builds, monkeypatch, db):
    monkeypatch.setattr(web, "VIEW_BUILD_BUDGET", 0)      # one summary a view
    monkeypatch.setattr(summaries, "INLINE_UNITS", 5)     # the province is built on view too
    url = f"/reports/rounds/{dataset.previous.id}"
    html = admin_client.get(url).get_data(as_text=True)
    assert len(builds) == 1 and PENDING in html and 'data-reload-seconds="3"' in html
    for _ in range(7):
        html = admin_client.get(url).get_data(as_text=True)
    assert len(builds) == 8 and PENDING not in html and "data-reload-seconds" not in html


def test_the_units_page_takes_as_many_statements_whatever_the_units(admin_client, dataset,
                                                                    factory, db, monkeypatch):
    monkeypatch.setattr(web, "UNITS_PER_PAGE", 4)
    round_ = dataset.previous
    url = f"/reports/rounds/{round_.id}"
    admin_client.get(url)                       # the page's summaries stored
    few = statements_of_get(admin_client, url)
    commune = dataset.communes["Xã Quỳnh Lưu"]
    extra = [factory.unit(f"Tổ dân phố Mới {n}", "residential_group", parent=commune)
             for n in range(40)]
    db.session.execute(insert(round_units), [{"round_id": round_.id, "unit_id": unit.id,
                                              "target": None} for unit in extra])
    admin_client.get(url)
    many = statements_of_get(admin_client, url)
    assert many == few
    html = admin_client.get(url + "?page=12").get_data(as_text=True)
    assert "Tổ dân phố Mới" in html and "(48 đơn vị)" in html


def test_a_big_closed_rounds_province_is_kept_fresh_by_the_job_once_reported(
        admin_client, dataset, factory, builds, monkeypatch, db):
    closed = dataset.previous
    monkeypatch.setattr(summaries, "INLINE_UNITS", 4)     # the province has 5 groups
    now = closed.closes_at + timedelta(days=2)
    assert warm_open_round_summaries(now) == "0 summaries made, 0 left"   # not reported yet
    closed.reports_generated_at = closed.closes_at + timedelta(hours=1)
    db.session.flush()
    assert warm_open_round_summaries(now) == "1 summaries made, 0 left"
    assert ("closed round", dataset.province.id) in builds
    builds.clear()
    html = admin_client.get(f"/reports/rounds/{closed.id}").get_data(as_text=True)
    assert ("closed round", dataset.province.id) not in builds and PENDING not in html
    assert warm_open_round_summaries(closed.closes_at + timedelta(days=40)) == \
        "0 summaries made, 0 left"                  # closed long ago: left alone
