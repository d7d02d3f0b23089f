"""Reports are cached by a fingerprint of their data and pre-generated when a round closes."""

from sqlalchemy import func, select

from server.reporting.models import CachedReport
from server.reporting.services import pregenerate_round_reports, report_pdf


def test_same_data_gives_the_cached_report_and_a_new_response_a_new_one(db, dataset, factory):
    commune = dataset.communes["Phường Đông Hòa"]
    first = report_pdf(dataset.current, commune, "vi")
    assert report_pdf(dataset.current, commune, "vi") == first   # same bytes: from the cache
    factory.response(dataset.current, dataset.groups["Tổ dân phố Bắc Sơn"], dataset.volunteer,
                     {"used_service": "no", "access_location": "1"},
                     skipped=["proc_public", "proc_fees", "harassment", "late"])
    second = report_pdf(dataset.current, commune, "vi")
    assert second != first
    assert report_pdf(dataset.current, commune, "vi") == second
    rows = db.session.scalar(select(func.count()).select_from(CachedReport))
    assert rows == 1


def test_a_response_elsewhere_or_rejected_leaves_the_report_cached(db, dataset, factory):
    commune = dataset.communes["Phường Đông Hòa"]
    first = report_pdf(dataset.current, commune, "vi")
    factory.response(dataset.current, dataset.groups["Thôn Đồng Tâm"], dataset.volunteer,
                     {"used_service": "no"}, skipped=[])
    factory.response(dataset.current, dataset.groups["Tổ dân phố Bắc Sơn"], dataset.volunteer,
                     {"used_service": "no"}, skipped=[], status="rejected")
    assert report_pdf(dataset.current, commune, "vi") == first


def test_pregeneration_caches_every_commune_and_above_in_both_languages(db, dataset):
    made = pregenerate_round_reports(dataset.previous.id)
    # province and two communes, vi and en; the five residential groups stay on demand
    assert made == 3 * 2
    assert db.session.scalar(select(func.count()).select_from(CachedReport).where(
        CachedReport.round_id == dataset.previous.id)) == 6
    assert dataset.previous.reports_generated_at is not None
