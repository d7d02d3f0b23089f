"""The national world of bench/national.py: a fresh schema by the app's migrations, the
country's tree (a country root, 34 provinces, 3,321 communes, 33,210 residential groups),
two rounds over the groups, one volunteer per commune, and the responses by PostgreSQL COPY.
Imported by bench/national.py (run as a script, so this folder is on sys.path)."""

import json
import random
import time
import uuid
from datetime import timedelta

# harness first: it puts the repository on sys.path for the server imports below
from harness import DEFINITION
from reports_page import NATIONAL, PASSWORD, _unit_rows
from sqlalchemy import create_engine, func, insert, select, text

from server.db_types import utcnow
from server.demo.responses import COMMENTS
from server.demo.synthetic import clean_answers, random_raw_answers
from server.extensions import db

BATCH = 5000
ANSWER_SETS = 2000
PER_COMMUNE = 200
COPY_COLUMNS = ("uuid", "round_id", "form_version_id", "unit_id", "volunteer_id", "started_at",
                "completed_at", "received_at", "answers", "skipped", "content_hash", "status",
                "reasons", "is_late", "client")

def fresh_schema(app, url: str) -> str:
    """An empty public schema, then the app's migrations (what `flask db upgrade` runs)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
    from flask_migrate import upgrade
    with app.app_context():
        try:
            upgrade()
            return "migrations (flask db upgrade)"
        except Exception as error:  # a migration half-written by someone: say so, go on
            db.session.rollback()
            db.drop_all()
            db.create_all()
            return f"models (create_all): the migrations failed: {error!r:.200}"


def _copy_text(value: str) -> str:
    """A value in COPY's text format (JSON text has no raw tab or newline: only backslashes)."""
    return value.replace("\\", "\\\\")


def _answer_pool() -> list[tuple[str, str]]:
    rng = random.Random(4)
    pool = []
    for _ in range(ANSWER_SETS):
        clean = clean_answers(DEFINITION, random_raw_answers(DEFINITION, rng, rng.uniform(0.5, 0.9),
                                                             COMMENTS))
        pool.append((_copy_text(json.dumps(clean.answers, ensure_ascii=False)),
                     _copy_text(json.dumps(clean.skipped, ensure_ascii=False))))
    return pool


def _people(tree: dict) -> dict:
    """An admin, an official of the first commune, one volunteer per commune (bulk, sharing
    one password hash: hashing 3,321 passwords would time the hash, not the app)."""
    from server.people.models import User, user_units
    from server.people.services import create_user

    admin = create_user("admin.bench", PASSWORD, "admin")
    official = create_user("canbo.bench", PASSWORD, "official")
    first = create_user("tnv.bench", PASSWORD, "volunteer")
    db.session.flush()
    now = utcnow()
    rows = [{"username": f"tnv.bench{n}", "display_name": f"Tình nguyện viên {n}",
             "password_hash": first.password_hash, "role": "volunteer", "is_active": True,
             "is_demo": False, "created_at": now} for n in range(1, len(tree["communes"]))]
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(User), rows[start:start + BATCH])
    ids = dict(db.session.execute(select(User.username, User.id).where(User.role == "volunteer")).all())
    volunteers = [first.id] + [ids[f"tnv.bench{n}"] for n in range(1, len(tree["communes"]))]
    links = [{"user_id": official.id, "unit_id": tree["communes"][0]["id"]}]
    links += [{"user_id": v, "unit_id": c["id"]} for v, c in zip(volunteers, tree["communes"], strict=True)]
    for start in range(0, len(links), BATCH):
        db.session.execute(insert(user_units), links[start:start + BATCH])
    return {"admin": admin.id, "official": official.id, "volunteers": volunteers}


def _copy_batches(tree: dict, ids: dict, rounds: list[tuple[int, object]], per_commune: int,
                  pool: list[tuple[str, str]]):
    """The responses as COPY text, BATCH rows a chunk: (bytes, rows)."""
    rng = random.Random(5)
    lines = []
    for round_id, opens in rounds:
        for groups, volunteer in zip(tree["groups"], ids["volunteers"], strict=True):
            for n in range(per_commune):
                completed = opens + timedelta(seconds=rng.randint(0, 9 * 24 * 3600))
                answers, skipped = pool[rng.randrange(ANSWER_SETS)]
                lines.append("\t".join((
                    str(uuid.UUID(int=rng.getrandbits(128), version=4)), str(round_id),
                    str(ids["version"]), str(groups[n % len(groups)]["id"]), str(volunteer),
                    (completed - timedelta(minutes=9)).isoformat(), completed.isoformat(),
                    completed.isoformat(), answers, skipped, "-", "accepted", "[]", "f", "{}")))
                if len(lines) == BATCH:
                    yield ("\n".join(lines) + "\n").encode("utf-8"), len(lines)
                    lines = []
    if lines:
        yield ("\n".join(lines) + "\n").encode("utf-8"), len(lines)


def _copy_responses(app, tree: dict, ids: dict, rounds: list[tuple[int, object]],
                    per_commune: int, pool: list[tuple[str, str]]) -> int:
    """Every response by COPY ... FROM STDIN, in one transaction."""
    count = 0
    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            with raw.driver_connection.cursor() as cursor:
                # the rows are consistent by construction: no foreign-key trigger per row
                # (what pg_restore --disable-triggers does); the indexes are kept up
                cursor.execute("SET LOCAL session_replication_role = replica")
                with cursor.copy(f"COPY responses ({', '.join(COPY_COLUMNS)}) FROM STDIN") as copy:
                    for chunk, rows in _copy_batches(tree, ids, rounds, per_commune, pool):
                        copy.write(chunk)
                        count += rows
            raw.commit()
        finally:
            raw.close()
    return count


def load(app, url: str, scale: float) -> dict:
    from server.forms.services import publish_definition
    from server.rounds.models import round_units
    from server.rounds.services import create_round
    from server.units.models import Unit

    started = time.perf_counter()
    schema = fresh_schema(app, url)
    per_commune = max(1, round(PER_COMMUNE * scale))
    with app.app_context():
        version = publish_definition(DEFINITION)
        rows, tree = _unit_rows(NATIONAL)
        for start in range(0, len(rows), BATCH):
            db.session.execute(insert(Unit), rows[start:start + BATCH])
        db.session.execute(text("SELECT setval('units_id_seq', (SELECT max(id) FROM units))"))
        now = utcnow()
        target = per_commune // 10 + 1
        previous = create_round("Đợt 1", version, [], now - timedelta(days=200),
                                now - timedelta(days=170), target_per_unit=target)
        current = create_round("Đợt 2", version, [], now - timedelta(days=10),
                               now + timedelta(days=20), target_per_unit=target)
        group_ids = [group["id"] for groups in tree["groups"] for group in groups]
        for round_ in (previous, current):
            members = [{"round_id": round_.id, "unit_id": g, "target": None} for g in group_ids]
            for start in range(0, len(members), BATCH):
                db.session.execute(insert(round_units), members[start:start + BATCH])
        ids = {"version": version.id, "previous": previous.id, "current": current.id,
               **_people(tree)}
        rounds = [(previous.id, previous.opens_at), (current.id, current.opens_at)]
        db.session.commit()
    tree_seconds = time.perf_counter() - started
    pool = _answer_pool()      # validated by the form's rules: not part of the load rate
    copy_started = time.perf_counter()
    responses = _copy_responses(app, tree, ids, rounds, per_commune, pool)
    copy_seconds = time.perf_counter() - copy_started
    vacuum_started = time.perf_counter()
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql("VACUUM ANALYZE")
        size = connection.exec_driver_sql(
            "SELECT pg_size_pretty(pg_database_size(current_database()))").scalar()
    engine.dispose()
    return {"schema": schema, "responses": responses, "per_commune": per_commune,
            "tree_seconds": tree_seconds, "copy_seconds": copy_seconds,
            "vacuum_seconds": time.perf_counter() - vacuum_started,
            "total_seconds": time.perf_counter() - started, "size": size}


def world(app) -> dict:
    """The ids the measurements need, read back from the loaded database."""
    from server.people.models import User
    from server.rounds.models import Round, round_units
    from server.sync.models import Response
    from server.units.models import Unit

    with app.app_context():
        def first(kind):
            return db.session.scalar(select(func.min(Unit.id)).where(Unit.kind == kind))

        rounds = dict(db.session.execute(select(Round.title, Round.id)).all())
        user = dict(db.session.execute(select(User.username, User.id).where(
            User.username.in_(["admin.bench", "canbo.bench"]))).all())
        province = first("province")
        counts = dict(db.session.execute(select(Response.round_id, func.count())
                                         .group_by(Response.round_id)).all())
        return {"previous": rounds["Đợt 1"], "current": rounds["Đợt 2"],
                "country": first("country"), "province": province, "commune": first("commune"),
                "second_province": db.session.scalar(select(func.min(Unit.id)).where(
                    Unit.kind == "province", Unit.id > province)),
                "admin": user["admin.bench"], "official": user["canbo.bench"],
                "units": db.session.scalar(select(func.count()).select_from(Unit)),
                "round_units": db.session.scalar(select(func.count()).select_from(round_units)
                                                 .where(round_units.c.round_id == rounds["Đợt 2"])),
                "responses": counts}

