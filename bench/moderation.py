"""Time of the comment moderation list (every comment below a unit, grouped and masked) and
of the report's comment query with and without hidden comments.

    .venv/bin/python bench/moderation.py [--pg-url URL]

The data is bench/report.py's: a commune of 1,000 responses, a province of 100 communes and
100,000 responses (current round), in a temporary SQLite file (and, with --pg-url, in a
PostgreSQL database `lang_nghe_bench_moderation`, created and dropped here). 1,000 comments of
the province are then hidden. Each figure is the median of 3 runs.
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # run from anywhere

from report import _definition, _median, _populate  # noqa: E402  (bench/report.py)
from sqlalchemy import create_engine, insert, text  # noqa: E402

from server import create_app  # noqa: E402
from server.analytics import queries  # noqa: E402
from server.analytics.spec import form_spec  # noqa: E402
from server.db_types import utcnow  # noqa: E402
from server.extensions import db  # noqa: E402
from server.moderation.comments import comment_groups  # noqa: E402
from server.moderation.models import HiddenComment  # noqa: E402

PG_DATABASE = "lang_nghe_bench_moderation"
HIDDEN = 1000


def _timings(label: str, made: dict, names: tuple[str, ...]) -> None:
    round_ = made["round"]
    for name, unit in (("commune", made["commune"]), ("province", made["province"])):
        listed, groups = _median(lambda u=unit: comment_groups(round_, u))
        scope = queries.Scope(round_.id, unit.path)
        rows, found = _median(lambda s=scope: queries.comment_rows(db.session, s, names))
        print(f"[{label}] {name}: moderation list {listed:.3f} s "
              f"({sum(g.count for g in groups):,} comments in {len(groups):,} groups) | "
              f"report comment query {rows:.3f} s ({len(found):,} rows)")


def _measure(label: str, database_url: str) -> None:
    definition, _ = _definition()
    names = form_spec(definition).comments
    with tempfile.TemporaryDirectory() as instance:
        os.environ["LANG_NGHE_INSTANCE"] = instance
        app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SCHEDULER_ENABLED": False})
        with app.app_context():
            db.drop_all()
            db.create_all()
            made = _populate(definition)
            if db.engine.dialect.name == "postgresql":
                with db.engine.begin() as connection:
                    connection.execute(text("ANALYZE"))
            _timings(label, made, names)
            groups = comment_groups(made["round"], made["province"])
            chosen = [o for g in groups for o in g.occurrences][:HIDDEN]
            db.session.execute(insert(HiddenComment), [
                {"round_id": made["round"].id, "response_id": o.response_id,
                 "question": o.question, "reason": "offensive", "hidden_at": utcnow()}
                for o in chosen])
            db.session.commit()
            _timings(f"{label}, {len(chosen):,} hidden", made, names)
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", help="a PostgreSQL URL to connect to for CREATE DATABASE")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        _measure("sqlite", f"sqlite:///{folder}/bench.db")
    if args.pg_url:
        admin = create_engine(args.pg_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {PG_DATABASE}"))
            connection.execute(text(f"CREATE DATABASE {PG_DATABASE}"))
        try:
            _measure("postgresql", args.pg_url.rsplit("/", 1)[0] + "/" + PG_DATABASE)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)"))
            admin.dispose()


if __name__ == "__main__":
    main()
