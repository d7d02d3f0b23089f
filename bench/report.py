"""Time to build a round summary from the database and render its PDF, next to the time of
the single raw GROUP BY the summary rests on (the floor).

    .venv/bin/python bench/report.py [--sqlite-only] [--pg-url URL]

Cases: a commune of 5 residential groups with 1,000 responses, and a province of 100 such
communes with 100,000 responses (current round; the previous round has as many again, so
the comparison is computed too). The data is bulk-inserted into a temporary SQLite file and
into a PostgreSQL database `lang_nghe_bench_report` (created and dropped here). Each figure is
the median of 3 runs. Targets: commune PDF < 1 s, province PDF < 5 s.
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))   # run from anywhere

from sqlalchemy import create_engine, insert, text  # noqa: E402

from reports.pdf import render_round_report  # noqa: E402
from server import create_app  # noqa: E402
from server.analytics import queries  # noqa: E402
from server.analytics.build import SummaryOptions, build_round_summary  # noqa: E402
from server.analytics.spec import form_spec  # noqa: E402
from server.db_types import utcnow  # noqa: E402
from server.demo.responses import COMMENTS  # noqa: E402
from server.demo.synthetic import clean_answers, random_raw_answers  # noqa: E402
from server.extensions import db  # noqa: E402
from server.forms.compiled import definition_hash  # noqa: E402
from server.forms.models import Form, FormVersion  # noqa: E402
from server.people.models import User  # noqa: E402
from server.rounds.services import create_round  # noqa: E402
from server.sync.models import Response  # noqa: E402
from server.units.services import create_unit  # noqa: E402

COMMUNES, GROUPS_PER_COMMUNE, PER_COMMUNE = 100, 5, 1000
DISTINCT_ANSWER_SETS = 3000      # validated once, then drawn from (validation is not timed)
PG_DATABASE = "lang_nghe_bench_report"
FORM_CANDIDATES = [ROOT / "forms" / "resident_survey.json",
                   ROOT / "tests" / "analytics" / "survey_form.json"]


def _definition() -> tuple[dict, Path]:
    path = next(p for p in FORM_CANDIDATES if p.exists())
    return json.loads(path.read_text(encoding="utf-8")), path


def _answer_pool(definition: dict, mood: float, seed: int) -> list:
    rng = random.Random(seed)
    return [clean_answers(definition, random_raw_answers(definition, rng, mood, COMMENTS))
            for _ in range(DISTINCT_ANSWER_SETS)]


def _populate(definition: dict) -> dict:
    form = Form(name=definition["name"], title=definition["title"])
    version = FormVersion(form=form, version=1, definition=definition, status="published",
                          content_hash=definition_hash(definition), published_at=utcnow())
    volunteer = User(username="bench", display_name="Bench", password_hash="-", role="volunteer")
    db.session.add_all([form, version, volunteer])
    db.session.flush()
    province = create_unit("Tỉnh Thử Nghiệm", "province")
    communes, groups = [], []
    for c in range(COMMUNES):
        commune = create_unit(f"Xã Thử Nghiệm {c + 1}", "commune", parent=province)
        communes.append(commune)
        groups += [create_unit(f"Thôn {g + 1} xã {c + 1}", "village", parent=commune)
                   for g in range(GROUPS_PER_COMMUNE)]
    now = utcnow()
    previous = create_round("Đợt 1", version, groups, now - timedelta(days=200),
                            now - timedelta(days=170), target_per_unit=200)
    current = create_round("Đợt 2", version, groups, now - timedelta(days=10),
                           now + timedelta(days=20), target_per_unit=220)
    db.session.commit()
    rng = random.Random(1)
    for round_, mood, seed in ((previous, 0.6, 11), (current, 0.68, 12)):
        pool = _answer_pool(definition, mood, seed)
        rows = []
        for group in groups:
            for _ in range(PER_COMMUNE // GROUPS_PER_COMMUNE):
                answers = rng.choice(pool)
                moment = round_.opens_at + timedelta(minutes=rng.randint(0, 40000))
                rows.append({"uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                             "round_id": round_.id, "form_version_id": version.id,
                             "unit_id": group.id, "volunteer_id": volunteer.id,
                             "completed_at": moment, "received_at": moment,
                             "answers": answers.answers, "skipped": answers.skipped,
                             "content_hash": "-", "status": "accepted", "reasons": [],
                             "is_late": False, "client": {}})
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(Response), rows[start:start + 5000])
        db.session.commit()
    return {"province": province, "commune": communes[0], "round": current}


def _median(function, runs: int = 3) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _measure(label: str, database_url: str, definition: dict) -> None:
    with tempfile.TemporaryDirectory() as instance:
        os.environ["LANG_NGHE_INSTANCE"] = instance
        app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SCHEDULER_ENABLED": False})
        with app.app_context():
            db.drop_all()
            db.create_all()
            start = time.perf_counter()
            made = _populate(definition)
            print(f"[{label}] inserted 200,000 responses in {time.perf_counter() - start:.1f} s")
            if db.engine.dialect.name == "postgresql":
                with db.engine.begin() as connection:
                    connection.execute(text("ANALYZE"))
            spec = form_spec(definition)
            round_ = made["round"]
            render_round_report(build_round_summary(db.session, round_, made["commune"]), "vi")
            for name, unit in (("commune, 1,000 responses", made["commune"]),
                               ("province, 100 communes, 100,000 responses", made["province"])):
                scope = queries.Scope(round_.id, unit.path)
                keys = tuple(question.name for question in spec.questions)
                raw, _ = _median(lambda s=scope, k=keys: queries.answer_counts(
                    db.session, s, k, spec.choice_names))
                built, summary = _median(lambda u=unit: build_round_summary(
                    db.session, round_, u, SummaryOptions()))
                drawn, pdf = _median(lambda s=summary: render_round_report(s, "vi"))
                print(f"[{label}] {name}: raw GROUP BY {raw:.3f} s | summary {built:.3f} s | "
                      f"PDF render {drawn:.3f} s | summary + PDF {built + drawn:.3f} s "
                      f"({len(pdf) / 1024:.0f} KiB, {summary.coverage.responses} responses)")
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def _pg_database(admin_url: str, action: str) -> None:
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {PG_DATABASE}"))
        if action == "create":
            connection.execute(text(f"CREATE DATABASE {PG_DATABASE}"))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
                        help="a PostgreSQL URL of a database to connect to for CREATE DATABASE")
    args = parser.parse_args()
    definition, path = _definition()
    print(f"form: {path.relative_to(ROOT)} ({len(form_spec(definition).questions)} questions)")
    with tempfile.TemporaryDirectory() as folder:
        _measure("sqlite", f"sqlite:///{folder}/bench.db", definition)
    if not args.sqlite_only:
        _pg_database(args.pg_url, "create")
        try:
            _measure("postgresql", args.pg_url.rsplit("/", 1)[0] + "/" + PG_DATABASE, definition)
        finally:
            _pg_database(args.pg_url, "drop")


if __name__ == "__main__":
    main()
