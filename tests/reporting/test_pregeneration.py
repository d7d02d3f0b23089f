"""Pre-generating a closed round's reports (server/reporting/pregeneration.py): communes and
above in both languages, each report committed on its own, resumable after a crash, a
failing report counted without stopping the others, fanned out over worker processes."""

import sys
import types

import pytest
from sqlalchemy import func, select

from server.analytics.scope import RESIDENTIAL_KINDS
from server.reporting import pregeneration, services, summaries
from server.reporting.models import CachedReport
from server.reporting.pregeneration import plan_batches, run_pregeneration, worker_count
from server.reporting.pregeneration_models import PregenerationRun
from server.reporting.services import PREGENERATED_LANGUAGES, current_reports, data_fingerprints
from server.rounds.models import Round
from server.units.models import Unit
from tests.reporting.conftest import survey_data

# the survey dataset: a province, a ward and a commune above five residential groups
PLANNED_UNITS = 3
PLANNED = PLANNED_UNITS * len(PREGENERATED_LANGUAGES)
DRAW = services.render_round_report


class Crash(BaseException):
    """Stands for the process dying: not an error a report may be counted failed for."""


def count_renders(monkeypatch, crash_after: int | None = None, fail_unit: int | None = None):
    """Count the PDFs drawn; optionally die after some, or fail one unit's English PDF."""
    drawn = []

    def render(summary, lang):
        if crash_after is not None and len(drawn) == crash_after:
            raise Crash()
        if summary.unit.id == fail_unit and lang == "en":
            raise ValueError("the PDF could not be drawn")
        drawn.append((summary.unit.id, lang))
        return DRAW(summary, lang)

    monkeypatch.setattr(services, "render_round_report", render)
    return drawn


def stored_reports(session, round_id: int) -> int:
    return session.scalar(select(func.count()).select_from(CachedReport)
                          .where(CachedReport.round_id == round_id))


def all_current(session, round_id: int) -> bool:
    round_ = session.get(Round, round_id)
    units = list(session.scalars(select(Unit).where(Unit.kind.not_in(RESIDENTIAL_KINDS))))
    data = data_fingerprints(round_, units)
    current = current_reports(round_, data, PREGENERATED_LANGUAGES)
    return len(current) == len(units) * len(PREGENERATED_LANGUAGES)


def committed_dataset(database, factory):
    """The survey dataset, committed (workers and killed runs need real commits): its
    previous round is closed."""
    dataset = survey_data.build_dataset(database, factory)
    database.session.commit()
    return dataset


@pytest.fixture
def closed(committed_db, factory_committed):
    return committed_dataset(committed_db, factory_committed)


def test_the_plan_is_communes_and_above_the_province_first(db, dataset):
    batches = plan_batches(dataset.previous)
    assert batches[0] == [dataset.province.id]
    assert sorted(batches[1]) == sorted(unit.id for unit in dataset.communes.values())
    assert len(batches) == 2


def test_every_planned_report_is_made_current_and_the_round_marked(db, dataset, monkeypatch):
    drawn = count_renders(monkeypatch)
    figures = run_pregeneration(dataset.previous.id, workers=1)
    assert (figures.planned, figures.made, figures.skipped, figures.failed) == (PLANNED, PLANNED,
                                                                                0, 0)
    assert figures.complete and len(drawn) == PLANNED
    assert all_current(db.session, dataset.previous.id)
    groups = [group.id for group in dataset.groups.values()]
    assert db.session.scalar(select(func.count()).select_from(CachedReport)
                             .where(CachedReport.unit_id.in_(groups))) == 0   # on demand
    assert db.session.get(Round, dataset.previous.id).reports_generated_at is not None
    run = db.session.get(PregenerationRun, figures.run_id)
    assert (run.planned, run.made, run.failed, run.workers) == (PLANNED, PLANNED, 0, 1)
    assert run.finished_at is not None and run.last_error is None


def test_every_vietnamese_report_is_made_before_the_first_english_one(db, dataset,
                                                                      monkeypatch):
    drawn = count_renders(monkeypatch)
    figures = run_pregeneration(dataset.previous.id, workers=1)
    langs = [lang for _, lang in drawn]
    assert langs == ["vi"] * PLANNED_UNITS + ["en"] * PLANNED_UNITS
    assert drawn[0] == (dataset.province.id, "vi")   # the longest report still starts first
    assert [lang for lang, _ in figures.languages_done] == ["vi", "en"]
    vi_done, en_done = (seconds for _, seconds in figures.languages_done)
    assert 0 < vi_done <= en_done <= figures.seconds


def test_the_jobs_are_every_batch_in_one_language_then_the_next():
    assert pregeneration.language_jobs([[1], [2, 3]], ("vi", "en")) == [
        ([1], "vi"), ([2, 3], "vi"), ([1], "en"), ([2, 3], "en")]


def test_a_resumed_run_makes_the_missing_english_reports_only(db, dataset, monkeypatch):
    count_renders(monkeypatch, crash_after=PLANNED_UNITS + 1)   # every vi, one en
    with pytest.raises(Crash):
        run_pregeneration(dataset.previous.id, workers=1)
    db.session.rollback()
    drawn = count_renders(monkeypatch)
    resumed = run_pregeneration(dataset.previous.id, workers=1)
    assert {lang for _, lang in drawn} == {"en"} and len(drawn) == PLANNED_UNITS - 1
    assert resumed.skipped == PLANNED_UNITS + 1 and resumed.complete


def test_each_summary_is_built_once_for_both_languages(db, dataset, monkeypatch):
    built = []
    real = summaries.build_round_summary

    def counting(session, round_, unit, *args, **kwargs):
        built.append(unit.id)
        return real(session, round_, unit, *args, **kwargs)

    monkeypatch.setattr(summaries, "build_round_summary", counting)
    run_pregeneration(dataset.previous.id, workers=1)
    assert len(built) == PLANNED_UNITS == len(set(built))


def test_a_second_run_skips_every_current_report(db, dataset, monkeypatch):
    run_pregeneration(dataset.previous.id, workers=1)
    drawn = count_renders(monkeypatch)
    again = run_pregeneration(dataset.previous.id, workers=1)
    assert drawn == [] and (again.made, again.skipped) == (0, PLANNED) and again.complete


def test_a_run_that_dies_keeps_what_it_made_and_the_next_makes_only_the_rest(
        closed, committed_db, monkeypatch):
    round_id = closed.previous.id
    count_renders(monkeypatch, crash_after=3)
    with pytest.raises(Crash):
        run_pregeneration(round_id, workers=1)
    committed_db.session.rollback()
    assert stored_reports(committed_db.session, round_id) == 3     # each one committed
    died = committed_db.session.scalar(select(PregenerationRun))
    assert died.finished_at is None and died.last_error.startswith("interrupted: Crash")
    assert committed_db.session.get(Round, round_id).reports_generated_at is None

    drawn = count_renders(monkeypatch)
    resumed = run_pregeneration(round_id, workers=1)
    assert len(drawn) == PLANNED - 3
    assert (resumed.made, resumed.skipped, resumed.complete) == (PLANNED - 3, 3, True)
    committed_db.session.expire_all()
    assert committed_db.session.get(Round, round_id).reports_generated_at is not None


def test_a_failing_report_is_counted_and_the_others_kept(db, dataset, monkeypatch):
    commune = dataset.communes["Xã Quỳnh Lưu"]
    count_renders(monkeypatch, fail_unit=commune.id)
    figures = run_pregeneration(dataset.previous.id, workers=1)
    assert (figures.made, figures.failed, figures.complete) == (PLANNED - 1, 1, False)
    assert f"unit {commune.id} en" in figures.last_error
    assert stored_reports(db.session, dataset.previous.id) == PLANNED - 1
    assert db.session.get(Round, dataset.previous.id).reports_generated_at is None
    run = db.session.get(PregenerationRun, figures.run_id)
    assert run.failed == 1 and "could not be drawn" in run.last_error

    drawn = count_renders(monkeypatch)     # fixed: the next run makes the one missing
    again = run_pregeneration(dataset.previous.id, workers=1)
    assert drawn == [(commune.id, "en")] and again.complete


def test_several_worker_processes_share_the_work(closed, committed_db, monkeypatch):
    """Each worker is a process with an app of its own (SQLite too, when asked for)."""
    import os

    monkeypatch.setattr(pregeneration, "BATCH_UNITS", 1)   # a batch per commune
    figures = run_pregeneration(closed.previous.id, workers=2)
    assert figures.workers == 2 and figures.complete
    assert (figures.made, figures.failed) == (PLANNED, 0)
    assert len(figures.pids) == 2 and os.getpid() not in figures.pids
    assert all_current(committed_db.session, closed.previous.id)


def test_worker_count_one_on_sqlite_unless_set(app, monkeypatch):
    import os

    monkeypatch.delenv("REPORT_PREGEN_WORKERS", raising=False)
    with app.app_context():
        expected = 1 if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") \
            else os.cpu_count()
        assert worker_count() == expected
        assert worker_count(3) == 3
        monkeypatch.setitem(app.config, "REPORT_PREGEN_WORKERS", "4")
        assert worker_count() == 4


def test_the_round_aggregates_are_materialised_before_planning(db, dataset, monkeypatch):
    calls = []
    planned = []
    fake = types.ModuleType("server.analytics.aggregates")
    fake.materialise_round_aggregates = lambda round_id: calls.append(round_id)
    monkeypatch.setitem(sys.modules, "server.analytics.aggregates", fake)
    real_plan = pregeneration.plan_batches
    monkeypatch.setattr(pregeneration, "plan_batches",
                        lambda round_: planned.append(list(calls)) or real_plan(round_))
    run_pregeneration(dataset.previous.id, workers=1)
    assert calls == [dataset.previous.id] and planned == [[dataset.previous.id]]


def test_without_the_aggregates_function_the_run_goes_on(db, dataset, monkeypatch):
    monkeypatch.setitem(sys.modules, "server.analytics.aggregates",
                        types.ModuleType("server.analytics.aggregates"))
    assert run_pregeneration(dataset.previous.id, workers=1).complete
