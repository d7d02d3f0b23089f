"""The measurements of bench/national.py, each run in a fresh process of its own (a web
worker's memory from its start; a time limit stops one slow step without losing the rest):

    .venv/bin/python bench/national_tasks.py URL TASK 'JSON ARGUMENTS'

prints one line `RESULT {json}`, with the process's peak resident memory (VmHWM)."""

import contextvars
import gc
import importlib
import inspect
import json
import statistics
import sys
import tempfile
import time

# harness first: it puts the repository on sys.path for the server imports below
from harness import bench_app
from reports_page import PASSWORD
from sqlalchemy import delete, func, select

from server.extensions import db


def _peak_rss_mib() -> float:
    """The process's peak resident memory (VmHWM), MiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _login(app, username: str):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    answer = client.post("/login", data={"username": username, "password": PASSWORD,
                                         "csrf_token": token})
    if answer.status_code != 302:
        raise RuntimeError(f"login of {username} answered {answer.status_code}")
    return client


def _timed_get(client, path: str) -> tuple[float, int, int]:
    started = time.perf_counter()
    response = client.get(path)
    size = sum(len(chunk) for chunk in response.response)
    response.close()
    return time.perf_counter() - started, size, response.status_code


def _forget(round_id: int, unit_id: int | None = None) -> None:
    """Drop the stored summaries and PDFs (of one unit, or all): the next view is cold."""
    from server.reporting.models import CachedReport, CachedSummary

    for model in (CachedSummary, CachedReport):
        query = delete(model).where(model.round_id == round_id)
        if unit_id is not None:
            query = query.where(model.unit_id == unit_id)
        db.session.execute(query)
    db.session.commit()


def db_round_other(app, round_id: int, unit_id: int) -> int | None:
    """Another round's id, if any, with that unit's stored report dropped (so that asking
    for it draws a PDF)."""
    from sqlalchemy import select

    from server.rounds.models import Round

    with app.app_context():
        found = db.session.scalar(select(Round.id).where(Round.id != round_id).limit(1))
        if found is not None:
            _forget(found, unit_id)
        db.session.remove()
        return found


def task_report(app, round_id: int, unit_id: int) -> dict:
    """The raw summary (the SQL and its Python), then the PDF through its route, cold
    (nothing stored) and warm (the stored PDF, after the fingerprint check)."""
    from server.reporting.services import summary_options
    from server.reporting.summaries import build_summary
    from server.rounds.models import Round
    from server.units.models import Unit

    with app.app_context():
        _forget(round_id, unit_id)
        round_, unit = db.session.get(Round, round_id), db.session.get(Unit, unit_id)
        started = time.perf_counter()
        summary = build_summary(round_, unit, summary_options())
        summary_seconds = time.perf_counter() - started
        responses = summary.coverage.responses
        db.session.remove()
    client = _login(app, "admin.bench")
    # a worker that has served reports before (fonts parsed, code paths loaded): another
    # round's PDF of the same unit first, so "cold" is this report's own cost
    other = db_round_other(app, round_id, unit_id)
    if other is not None:
        _timed_get(client, f"/api/v1/rounds/{other}/units/{unit_id}/report.pdf")
    path = f"/api/v1/rounds/{round_id}/units/{unit_id}/report.pdf"
    cold, size, status = _timed_get(client, path)
    warm, _, _ = _timed_get(client, path)
    return {"summary": summary_seconds, "cold": cold, "warm": warm, "size": size,
            "status": status, "responses": responses}


def task_page(app, username: str, path: str, runs: int) -> dict:
    client = _login(app, username)
    cold, size, status = _timed_get(client, path)
    warm = [_timed_get(client, path)[0] for _ in range(runs)]
    return {"cold": cold, "warm": statistics.median(warm), "size": size, "status": status}


def task_forget(app, round_id: int) -> dict:
    with app.app_context():
        _forget(round_id)
    return {}


def task_export(app, round_id: int, extension: str, unit_id: int | None) -> dict:
    """One export as a fresh web worker makes it. The country through its route (the body
    read chunk by chunk and dropped, as a server sends it); a province through the same
    export functions scoped to the unit (the route has no unit parameter)."""
    from server.reporting import export
    from server.rounds.models import Round
    from server.units.models import Unit

    start_rss = _rss_mib()
    started = time.perf_counter()
    size, first, counted = 0, None, [0]
    if unit_id is None:
        from server.auth.tokens import issue_token
        from server.people.models import User

        with app.app_context():
            token = issue_token(db.session.scalar(select(User).where(User.username == "admin.bench")),
                                1, "bench").token
            db.session.commit()
            db.session.remove()
        started = time.perf_counter()

        def download():
            nonlocal size, first
            response = app.test_client().get(f"/api/v1/rounds/{round_id}/export.{extension}",
                                             headers={"Authorization": f"Bearer {token}"})
            if response.status_code != 200:
                raise RuntimeError(f"export answered {response.status_code}")
            for chunk in response.response:
                first = first or time.perf_counter() - started
                size += len(chunk)
            response.close()

        contextvars.Context().run(download)
    else:
        with app.test_request_context():
            plan = export.export_plan(db.session.get(Round, round_id),
                                      db.session.get(Unit, unit_id))
            def rows_counted():
                for row in export.response_rows(plan):
                    counted[0] += 1
                    yield row

            chunks = (export.csv_chunks(rows_counted()) if extension == "csv"
                      else export.xlsx_chunks(rows_counted(), "Phieu"))
            for chunk in chunks:
                first = first or time.perf_counter() - started
                size += len(chunk)
    figures = {"seconds": time.perf_counter() - started, "first": first or 0.0, "size": size,
               "start_rss": start_rss}
    if unit_id is not None:
        figures["rows"] = counted[0] - 1            # less the header
    return figures


def _adaptive_call(function, round_id: int):
    """Call an optional entry point of another module whatever its exact signature: a
    round id, a round, a session, an app are given by the name of the parameter."""
    from server.rounds.models import Round

    values = {}
    for name, parameter in inspect.signature(function).parameters.items():
        if name in ("round_id", "round_ids"):
            values[name] = round_id if name == "round_id" else [round_id]
        elif name in ("round_", "round"):
            values[name] = db.session.get(Round, round_id)
        elif name in ("session", "db_session"):
            values[name] = db.session
        elif name == "app":
            from flask import current_app
            values[name] = current_app._get_current_object()
        elif parameter.default is inspect.Parameter.empty and parameter.kind in (
                parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD):
            raise TypeError(f"{function.__qualname__}: cannot supply parameter {name!r}")
    return function(**values)


def task_aggregates(app, round_id: int) -> dict:
    try:
        module = importlib.import_module("server.analytics.aggregates")
        function = module.materialise_round_aggregates
    except (ImportError, AttributeError):
        return {"available": False}
    with app.app_context():
        started = time.perf_counter()
        result = _adaptive_call(function, round_id)
        db.session.commit()
        return {"available": True, "seconds": time.perf_counter() - started,
                "result": repr(result)[:120]}


PREGENERATION_RUNNERS = ("run_pregeneration", "pregenerate_round", "run_round", "run",
                         "pregenerate")


def task_pregeneration(app, round_id: int, sample: int) -> dict:
    """The app's pre-generation runner over the whole closed round where it exists (the
    parent stops it at its time limit and counts what was made); else the existing
    pregenerate_round_reports' work on a sample of communes, projected to the country."""
    try:
        module = importlib.import_module("server.reporting.pregeneration")
        name = next(n for n in PREGENERATION_RUNNERS if callable(getattr(module, n, None)))
    except (ImportError, StopIteration):
        return _pregeneration_sample(app, round_id, sample)
    with app.app_context():
        started = time.perf_counter()
        result = _adaptive_call(getattr(module, name), round_id)
        db.session.commit()
        return {"runner": f"server.reporting.pregeneration.{name}",
                "seconds": time.perf_counter() - started, "result": repr(result)[:200]}


def _pregeneration_sample(app, round_id: int, sample: int) -> dict:
    from server.reporting.services import PREGENERATED_LANGUAGES, report_pdf
    from server.rounds.models import Round
    from server.units.models import Unit

    with app.app_context():
        _forget(round_id)
        round_ = db.session.get(Round, round_id)
        seconds = {}
        for kind, count in (("commune", sample), ("province", 2)):
            units = db.session.scalars(select(Unit).where(Unit.kind == kind)
                                       .order_by(Unit.id).limit(count)).all()
            started = time.perf_counter()
            for unit in units:
                for lang in PREGENERATED_LANGUAGES:
                    report_pdf(round_, unit, lang)
                db.session.commit()        # one report at a time, as a resumable run would
            seconds[kind] = (time.perf_counter() - started) / len(units)
        communes = db.session.scalar(select(func.count()).select_from(Unit).where(Unit.kind == "commune"))
        provinces = db.session.scalar(select(func.count()).select_from(Unit).where(Unit.kind == "province"))
    return {"runner": f"pregenerate_round_reports' work on {sample} communes and 2 provinces "
                      f"({'+'.join(PREGENERATED_LANGUAGES)}), one process",
            "per_commune": seconds["commune"], "per_province": seconds["province"],
            "projected": seconds["commune"] * communes + seconds["province"] * provinces}


def task_job(app, job_name: str) -> dict:
    """One scheduled job run now, as the scheduler runs it (its own app context, it commits):
    the open round's aggregates built or folded, the broad summaries warmed."""
    from server.db_types import utcnow
    from server.scheduling.schedule import JOBS

    function = JOBS[job_name].function()
    with app.app_context():
        started = time.perf_counter()
        outcome = function(utcnow())
        db.session.commit()
        return {"seconds": time.perf_counter() - started, "outcome": repr(outcome)[:160]}


TASKS = {"job": task_job, "report": task_report, "page": task_page, "forget": task_forget,
         "export": task_export, "aggregates": task_aggregates, "pregeneration": task_pregeneration}


def main() -> None:
    url, task, arguments = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    app = bench_app(url, tempfile.mkdtemp(prefix="lang-nghe-bench-instance-"))
    gc.freeze()         # as each production worker does once the app is loaded (gunicorn.conf.py)
    result = TASKS[task](app, *arguments)
    result["peak_rss"] = _peak_rss_mib()
    print("RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
