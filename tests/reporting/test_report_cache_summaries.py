"""The summaries stored beside the PDFs: one summary for every language's PDF, rebuilt when
its data changes or when it cannot be read back."""

from sqlalchemy import select, update

from server.reporting import summaries
from server.reporting.models import CachedSummary
from server.reporting.services import data_fingerprints, pregenerate_round_reports, report_pdf


def _count_builds(monkeypatch) -> list:
    made = []
    real = summaries.build_round_summary

    def counting(session, round_, unit, *args, **kwargs):
        made.append(unit.id)
        return real(session, round_, unit, *args, **kwargs)

    monkeypatch.setattr(summaries, "build_round_summary", counting)
    return made


def test_both_languages_are_drawn_from_one_summary(db, dataset, monkeypatch):
    builds = _count_builds(monkeypatch)
    commune = dataset.communes["Phường Đông Hòa"]
    vi, en = report_pdf(dataset.current, commune, "vi"), report_pdf(dataset.current, commune, "en")
    assert vi != en and builds == [commune.id]
    row = db.session.scalar(select(CachedSummary).where(CachedSummary.unit_id == commune.id))
    assert row.fingerprint == data_fingerprints(dataset.current, [commune])[commune.id]
    assert row.headline["responses"] == 43 and row.headline["target"] == 60


def test_pregeneration_builds_each_summary_once(db, dataset, monkeypatch):
    builds = _count_builds(monkeypatch)
    # province and two communes (residential groups stay on demand), vi and en
    assert pregenerate_round_reports(dataset.previous.id) == 6
    assert sorted(builds) == sorted({*builds}) and len(builds) == 3


def test_an_unreadable_stored_summary_is_made_again(db, dataset, monkeypatch):
    commune = dataset.communes["Xã Quỳnh Lưu"]
    first = report_pdf(dataset.previous, commune, "vi")
    db.session.execute(update(CachedSummary).values(summary=b"not a pickle"))
    builds = _count_builds(monkeypatch)
    report_pdf(dataset.previous, commune, "en")
    assert builds == [commune.id]
    assert report_pdf(dataset.previous, commune, "vi") == first   # the PDF cache still holds
