"""`flask reports`: pre-generate a closed round's reports by hand (after a crash, or ahead
of the scheduler), and see the runs."""

import time

import click
from flask.cli import AppGroup

from server.cli import require_migrated
from server.db_types import utcnow
from server.reporting.pregeneration import (
    STALE_AFTER,
    RunFigures,
    latest_runs,
    run_pregeneration,
    running_elsewhere,
)

reports_cli = AppGroup("reports", help="Pre-generate round reports and see the runs.")

PROGRESS_EVERY = 2.0   # seconds between progress lines


def _rate(figures: RunFigures) -> float:
    return figures.done / figures.seconds if figures.seconds > 0 else 0.0


LANGUAGE_NAMES = {"vi": "Vietnamese", "en": "English", "km": "Khmer"}


def _language_line(lang: str, seconds: float) -> str:
    return f"  every {LANGUAGE_NAMES.get(lang, lang)} ({lang}) report current after {seconds:.1f} s"


def _progress_printer():
    last = [0.0]
    languages_shown = [0]

    def show(figures: RunFigures) -> None:
        for lang, seconds in figures.languages_done[languages_shown[0]:]:
            click.echo(_language_line(lang, seconds))
        languages_shown[0] = len(figures.languages_done)
        if figures.done < figures.planned and time.monotonic() - last[0] < PROGRESS_EVERY:
            return
        last[0] = time.monotonic()
        click.echo(f"  {figures.done:,}/{figures.planned:,} reports: {figures.made:,} made, "
                   f"{figures.skipped:,} already current, {figures.failed:,} failed "
                   f"({figures.seconds:.1f} s)")
    return show


@reports_cli.command("pregenerate")
@click.argument("round_id", type=int)
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: REPORT_PREGEN_WORKERS, else one per core; "
                   "one on SQLite).")
def pregenerate_command(round_id, workers):
    """Make every commune's and higher unit's report of the round that is not current
    (residential groups: on demand), every Vietnamese one before the English ones. Resumes
    where a run stopped; exit status 1 when some report is not current at the end."""
    require_migrated()
    if running_elsewhere(round_id):
        click.echo(f"Warning: another run of round {round_id} is in progress; both make "
                   "the same reports.", err=True)
    try:
        figures = run_pregeneration(round_id, workers, progress=_progress_printer())
    except LookupError as missing:
        raise click.ClickException(str(missing)) from None
    click.echo(f"Round {round_id}: {figures.planned:,} reports planned, {figures.made:,} made, "
               f"{figures.skipped:,} already current, {figures.failed:,} failed in "
               f"{figures.seconds:.1f} s ({_rate(figures):.1f} reports/s, "
               f"{figures.workers} workers)")
    for lang, seconds in figures.languages_done:
        click.echo(_language_line(lang, seconds))
    if not figures.complete:
        click.echo(f"Not every report is current (last error: {figures.last_error}); run "
                   "the command again to make the rest.", err=True)
        raise SystemExit(1)


@reports_cli.command("runs")
@click.argument("round_id", type=int)
def runs_command(round_id):
    """The round's latest pre-generation runs, newest first."""
    require_migrated()
    runs = latest_runs(round_id)
    if not runs:
        click.echo(f"Round {round_id}: no pre-generation run yet.")
    now = utcnow()
    for run in runs:
        if run.finished_at is not None:
            state = f"finished {run.finished_at:%Y-%m-%d %H:%M:%S} UTC"
        elif now - run.updated_at < STALE_AFTER:
            state = "running"
        else:
            state = f"died (no progress since {run.updated_at:%Y-%m-%d %H:%M:%S} UTC)"
        click.echo(f"run {run.id}: started {run.started_at:%Y-%m-%d %H:%M:%S} UTC, "
                   f"{run.workers} workers, {run.made + run.skipped + run.failed:,}/"
                   f"{run.planned:,} reports ({run.made:,} made, {run.skipped:,} already "
                   f"current, {run.failed:,} failed), {state}"
                   + (f"; last error: {run.last_error}" if run.last_error else ""))
