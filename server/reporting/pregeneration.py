"""Pre-generating a closed round's reports: every commune and every unit above it, in the
languages of PREGENERATED_LANGUAGES, fanned out over worker processes.

Not the residential groups (village, hamlet, residential_group): a national round has
~33,000 of them, ten times the communes, and their readers are few (the commune's report
already breaks its figures down by group). Pre-generating them would multiply the work by
ten, mostly for reports nobody opens; each is small (one group's answers), so it is made
when first asked for and cached like any report (services.report_pdf).

A run (one PregenerationRun row, its figures updated as batches finish):
1. materialises the round's per-unit aggregates first, when server.analytics.aggregates
   provides them, in a transaction of its own;
2. plans the report units at commune level and above, the largest first (the country and
   the provinces are the longest single reports: they must not be the last to start);
3. hands batches of unit ids to worker processes, each an app of its own made with the
   parent's config, one language after the other: every Vietnamese report (the document
   an official signs) before the first English one, so the Vietnamese set is complete
   as early as it can be. A worker reads its batch's fingerprints in one go, skips the
   reports already current, draws each report from the unit's stored summary (built
   and stored by the first language's pass, read back by the next) and commits each
   report as soon as it is stored: a crash loses the report being made, and the next run
   makes only what is missing. A report that fails is logged and counted; the others go
   on;
4. marks round.reports_generated_at only when every planned report is current, so the
   scheduler's next slot runs the round again (finding the rest current) after a failure.

Workers: the given number, else REPORT_PREGEN_WORKERS, else os.cpu_count(); on SQLite one
unless set (one writer at a time). One worker works in this process.
"""

from __future__ import annotations

import logging
import os
import pickle
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from multiprocessing import get_context

from flask import Flask, current_app
from sqlalchemy import select, update

from server.analytics.scope import RESIDENTIAL_KINDS
from server.db_types import utcnow
from server.extensions import db
from server.reporting.access import report_unit_ids
from server.reporting.pregeneration_models import PregenerationRun
from server.reporting.services import (
    PREGENERATED_LANGUAGES,
    current_reports,
    data_fingerprints,
    make_report,
    report_summary,
)
from server.rounds.models import Round
from server.units.models import Unit

log = logging.getLogger(__name__)

# Units of the lowest planned level (the communes) per batch: their fingerprints are read
# in one go. Units above it (provinces, the country) go one a batch.
BATCH_UNITS = 8
# A run not finished whose figures have not moved for this long has died.
STALE_AFTER = timedelta(minutes=10)
ERROR_MAX = 500


@dataclass
class Tally:
    """What a batch (or a whole run) did, in reports: one unit in one language."""

    made: int = 0
    skipped: int = 0
    failed: int = 0
    last_error: str | None = None
    pids: set[int] = field(default_factory=set)

    def add(self, other: Tally) -> None:
        self.made += other.made
        self.skipped += other.skipped
        self.failed += other.failed
        self.last_error = other.last_error or self.last_error
        self.pids |= other.pids


@dataclass(frozen=True)
class RunFigures:
    run_id: int
    round_id: int
    workers: int
    planned: int
    made: int
    skipped: int
    failed: int
    seconds: float
    pids: frozenset[int]
    last_error: str | None = None
    complete: bool = False      # every planned report is current
    # (language, seconds into the run when its last batch finished), in the order made
    languages_done: tuple[tuple[str, float], ...] = ()

    @property
    def done(self) -> int:
        return self.made + self.skipped + self.failed


def worker_count(requested: int | None = None) -> int:
    configured = requested or current_app.config.get("REPORT_PREGEN_WORKERS") \
        or os.environ.get("REPORT_PREGEN_WORKERS")
    if configured:
        return max(1, int(configured))
    if db.engine.dialect.name == "sqlite":
        return 1
    return os.cpu_count() or 1


def plan_batches(round_: Round) -> list[list[int]]:
    """Batches of unit ids: the round's report units at commune level and above, the
    highest levels first, each unit above the lowest level in a batch of its own."""
    rows = db.session.execute(select(Unit.id, Unit.path).where(
        Unit.id.in_(report_unit_ids(round_.id)), Unit.kind.not_in(RESIDENTIAL_KINDS)))
    units = sorted(((path.count("/"), path, unit_id) for unit_id, path in rows))
    if not units:
        return []
    lowest = units[-1][0]
    batches = [[unit_id] for depth, _, unit_id in units if depth < lowest]
    bottom = [unit_id for depth, _, unit_id in units if depth == lowest]
    batches += [bottom[start:start + BATCH_UNITS] for start in range(0, len(bottom), BATCH_UNITS)]
    return batches


def _error_text(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:ERROR_MAX]


def make_batch(round_id: int, unit_ids: list[int],
               langs: tuple[str, ...] = PREGENERATED_LANGUAGES) -> Tally:
    """Make the reports of these units that are not current, committing each one."""
    tally = Tally(pids={os.getpid()})
    try:
        round_ = db.session.get(Round, round_id)
        units = list(db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids))))
        data = data_fingerprints(round_, units)
        current = current_reports(round_, data, langs)
        db.session.commit()   # end the read: each report is a transaction of its own
    except Exception as error:
        db.session.rollback()
        log.exception("pre-generation of round %s: batch %s not planned", round_id, unit_ids)
        return replace(tally, failed=len(unit_ids) * len(langs), last_error=_error_text(error))
    for unit in sorted(units, key=lambda unit: unit_ids.index(unit.id)):
        missing = [lang for lang in langs if (unit.id, lang) not in current]
        tally.skipped += len(langs) - len(missing)
        if missing:
            _make_unit_reports(round_, unit, data[unit.id], missing, tally)
    return tally


def _make_unit_reports(round_: Round, unit: Unit, data: str, langs: list[str],
                       tally: Tally) -> None:
    """One summary, then each language's PDF committed on its own."""
    unit_id = unit.id
    try:
        summary = report_summary(round_, unit, data)
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        log.exception("pre-generation of round %s: no summary for unit %s", round_.id, unit_id)
        tally.failed += len(langs)
        tally.last_error = f"unit {unit_id}: {_error_text(error)}"[:ERROR_MAX]
        return
    for lang in langs:
        try:
            make_report(round_, unit, summary, data, lang)
            db.session.commit()
            tally.made += 1
        except Exception as error:
            db.session.rollback()
            log.exception("pre-generation of round %s: report of unit %s (%s) failed",
                          round_.id, unit_id, lang)
            tally.failed += 1
            tally.last_error = f"unit {unit_id} {lang}: {_error_text(error)}"[:ERROR_MAX]


# --- worker processes: an app each, given ids only ---------------------------------------

_worker_app: Flask | None = None


def worker_config(app: Flask) -> dict:
    """The parent's config as a worker's app factory takes it (what pickles), without
    the scheduler: a worker only makes reports."""
    config = {}
    for key, value in app.config.items():
        try:
            pickle.dumps(value)
        except Exception:
            continue
        config[key] = value
    config["SCHEDULER_ENABLED"] = False
    return config


def _start_worker(config: dict) -> None:
    global _worker_app
    from server import create_app

    _worker_app = create_app(config)


def _run_batch(round_id: int, unit_ids: list[int], langs: tuple[str, ...]) -> Tally:
    with _worker_app.app_context():
        return make_batch(round_id, unit_ids, langs)


Job = tuple[list[int], str]     # a batch of unit ids, and the language to make


def language_jobs(batches: list[list[int]],
                  langs: tuple[str, ...] = PREGENERATED_LANGUAGES) -> list[Job]:
    """Every batch in the first language, then every batch in the next: the pool starts
    jobs in this order, so the first language's set is done before the next is begun
    (bar the last few jobs, which overlap)."""
    return [(batch, lang) for lang in langs for batch in batches]


def _outcomes(round_id: int, jobs: list[Job], workers: int) -> Iterator[tuple[str, Tally]]:
    """Each job's language and tally as it finishes: in this process for one worker, else
    from a pool of fresh processes (spawned, not forked: a scheduler process has threads
    and open connections that a fork would copy)."""
    if workers == 1:
        for batch, lang in jobs:
            yield lang, make_batch(round_id, batch, (lang,))
        return
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                               initializer=_start_worker,
                               initargs=(worker_config(current_app._get_current_object()),))
    try:
        futures = {pool.submit(_run_batch, round_id, batch, (lang,)): lang
                   for batch, lang in jobs}
        for future in as_completed(futures):
            yield futures[future], future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# --- the run ------------------------------------------------------------------------------

def materialise_aggregates(round_id: int) -> bool:
    """The round's per-unit aggregates, when the analytics provide them (committed)."""
    try:
        from server.analytics.aggregates import materialise_round_aggregates
    except ModuleNotFoundError as missing:
        if missing.name != "server.analytics.aggregates":
            raise
        return False
    except ImportError:   # the module is there without the function
        return False
    materialise_round_aggregates(round_id)
    db.session.commit()
    return True


def _record(run_id: int, tally: Tally, planned: int | None = None,
            finished: bool = False, error: str | None = None) -> None:
    """Write the run's figures and commit at once (on SQLite, holding no transaction
    while the workers write)."""
    values = {"made": tally.made, "skipped": tally.skipped, "failed": tally.failed,
              "last_error": error or tally.last_error, "updated_at": utcnow()}
    if planned is not None:
        values["planned"] = planned
    if finished:
        values["finished_at"] = values["updated_at"]
    db.session.execute(update(PregenerationRun).where(PregenerationRun.id == run_id)
                       .values(**values))
    db.session.commit()


def run_pregeneration(round_id: int, workers: int | None = None,
                      progress: Callable[[RunFigures], None] | None = None) -> RunFigures:
    """Make every pre-generated report of the round that is not current; commits as it
    goes. `progress` is called after each batch."""
    if db.session.get(Round, round_id) is None:
        raise LookupError(f"no round {round_id}")
    workers = worker_count(workers)
    run = PregenerationRun(round_id=round_id, workers=workers)
    db.session.add(run)
    db.session.commit()
    run_id, started, tally = run.id, time.perf_counter(), Tally()
    languages_done: list[tuple[str, float]] = []

    def figures(planned: int, complete: bool = False) -> RunFigures:
        return RunFigures(run_id, round_id, workers, planned, tally.made, tally.skipped,
                          tally.failed, time.perf_counter() - started, frozenset(tally.pids),
                          tally.last_error, complete, tuple(languages_done))

    planned, pool_died = 0, False
    try:
        materialise_aggregates(round_id)
        batches = plan_batches(db.session.get(Round, round_id))
        planned = sum(map(len, batches)) * len(PREGENERATED_LANGUAGES)
        jobs = language_jobs(batches)
        workers = min(workers, max(1, len(jobs)))
        db.session.execute(update(PregenerationRun).where(PregenerationRun.id == run_id)
                           .values(workers=workers))
        _record(run_id, tally, planned=planned)
        left = {lang: len(batches) for lang in PREGENERATED_LANGUAGES}
        for lang, outcome in _outcomes(round_id, jobs, workers):
            tally.add(outcome)
            left[lang] -= 1
            if not left[lang]:
                languages_done.append((lang, time.perf_counter() - started))
                log.info("pre-generation of round %s: every %s report done in %.1f s",
                         round_id, lang, languages_done[-1][1])
            _record(run_id, tally)
            if progress is not None:
                progress(figures(planned))
    except BrokenProcessPool as error:
        # a worker died (killed, out of memory): what it committed is kept
        log.error("pre-generation of round %s: a worker process died", round_id)
        tally.last_error = f"a worker process died: {_error_text(error)}"[:ERROR_MAX]
        pool_died = True
    except BaseException as error:
        db.session.rollback()
        try:
            _record(run_id, tally, error=f"interrupted: {_error_text(error)}"[:ERROR_MAX])
        except Exception:
            log.exception("pre-generation run %s: its figures could not be saved", run_id)
        raise
    complete = not pool_died and tally.failed == 0 and tally.made + tally.skipped == planned
    if complete:
        db.session.execute(update(Round).where(Round.id == round_id)
                           .values(reports_generated_at=utcnow()))
    _record(run_id, tally, finished=True)
    result = figures(planned, complete)
    log.info("pre-generation of round %s: %s planned, %s made, %s current, %s failed in "
             "%.1f s with %s workers", round_id, planned, result.made, result.skipped,
             result.failed, result.seconds, workers)
    return result


def running_elsewhere(round_id: int, now: datetime | None = None) -> bool:
    """A run of the round that has not finished and whose figures moved recently: another
    process is making its reports (the scheduler then leaves the round to it)."""
    now = now or utcnow()
    latest = db.session.scalar(select(PregenerationRun.updated_at).where(
        PregenerationRun.round_id == round_id, PregenerationRun.finished_at.is_(None))
        .order_by(PregenerationRun.updated_at.desc()).limit(1))
    return latest is not None and now - latest < STALE_AFTER


def latest_runs(round_id: int, limit: int = 5) -> list[PregenerationRun]:
    return list(db.session.scalars(select(PregenerationRun)
                                   .where(PregenerationRun.round_id == round_id)
                                   .order_by(PregenerationRun.id.desc()).limit(limit)))
