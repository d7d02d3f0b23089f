"""Exactly once under races, all or nothing on a database error, and bulk queries only."""

import threading

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError
from sync_support import build_area, statuses, submit, valid_answers

from server.audit.models import AuditEntry
from server.extensions import db as _db
from server.sync import services
from server.sync.models import Response, ResponseConflict
from tests.conftest import auth_header


def _race(app, monkeypatch, tokens: list[str], bodies: list[list[dict]]) -> tuple[list, list]:
    """Post each body from its own thread at the same moment. On PostgreSQL both uploads
    are held until each has looked for existing UUIDs (none yet), so both go on to insert:
    a real race that only the unique constraint can settle. SQLite's write lock serialises
    the requests, so there they simply start together. Each upload has its own token (two
    phones, or two tabs): one token's last-used stamp would queue them on its row lock.
    Returns the responses and, on PostgreSQL, the sizes of every lookup of stored UUIDs."""
    lookups = []
    if _db.engine.dialect.name == "postgresql":
        looked = threading.Barrier(len(bodies), timeout=20)
        original = services._stored_responses
        calls = iter(range(1_000))

        def held_lookup(uuids):
            found = original(uuids)
            lookups.append(len(uuids))
            if next(calls) < len(bodies):  # the first lookup of each upload, not the fallback's
                looked.wait()
            return found

        monkeypatch.setattr(services, "_stored_responses", held_lookup)
    start = threading.Barrier(len(bodies), timeout=20)
    answers = [None] * len(bodies)

    def upload(index: int) -> None:
        client = app.test_client()
        start.wait()
        answers[index] = client.post("/api/v1/submissions", json={"submissions": bodies[index]},
                                     headers=auth_header(tokens[index]))

    threads = [threading.Thread(target=upload, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers, lookups


@pytest.fixture
def committed_area(committed_db, factory_committed):
    return build_area(factory_committed)


def _prepared(committed_db, area, *item_args):
    items = [area.item(**kwargs) for kwargs in item_args]
    committed_db.session.commit()  # and touch nothing until the threads are done
    return items


def test_the_same_uuid_racing_in_parallel_is_stored_once(app, committed_db, factory_committed,
                                                         committed_area, monkeypatch):
    area = committed_area
    tokens = [area.token, factory_committed.token(area.volunteer)]
    (item,) = _prepared(committed_db, area, {})
    answers, lookups = _race(app, monkeypatch, tokens, [[item], [item]])
    assert sorted(s for r in answers for s in statuses(r)) == ["created", "duplicate"]
    if lookups:  # PostgreSQL: the loser's bulk insert hit the constraint and fell back
        assert lookups == [1, 1, 1]
    committed_db.session.rollback()
    assert committed_db.session.scalar(select(func.count()).select_from(Response)) == 1
    assert committed_db.session.scalar(select(func.count()).select_from(ResponseConflict)) == 0
    created = committed_db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "submission.created")).all()
    assert len(created) == 1  # the loser's insert was rolled back with its audit row


def test_two_batches_racing_with_different_content_under_one_uuid(app, committed_db, factory_committed,
                                                                   committed_area, monkeypatch):
    area = committed_area
    tokens = [area.token, factory_committed.token(area.volunteer)]
    first, second, own_a, own_b = _prepared(
        committed_db, area, {"answers": valid_answers(1)}, {"answers": valid_answers(2)}, {}, {})
    second["uuid"] = first["uuid"]
    answers, lookups = _race(app, monkeypatch, tokens, [[own_a, first], [second, own_b]])
    results = [statuses(r) for r in answers]
    if lookups:
        assert lookups == [2, 2, 1]
    racing = sorted([results[0][1], results[1][0]])
    assert racing == ["conflict", "created"]
    assert results[0][0] == results[1][1] == "created"  # the neighbours are unaffected
    committed_db.session.rollback()
    assert committed_db.session.scalar(select(func.count()).select_from(Response)) == 3
    kept = committed_db.session.scalars(select(ResponseConflict)).all()
    assert len(kept) == 1 and kept[0].uuid == first["uuid"]


def _post_as_a_real_request(app, token: str, items: list[dict]):
    """Post from a thread of its own: the request gets its own app context and ends as in
    production (the test's held context would keep its session open past the request)."""
    answers = []
    thread = threading.Thread(target=lambda: answers.append(app.test_client().post(
        "/api/v1/submissions", json={"submissions": items}, headers=auth_header(token))))
    thread.start()
    thread.join(60)
    return answers[0]


def test_a_database_error_mid_batch_leaves_no_half_written_response(app, committed_db, committed_area,
                                                                    monkeypatch):
    area = committed_area
    batch = _prepared(committed_db, area, *[{"answers": valid_answers(seed)} for seed in range(4)])

    def failing_audit(outcomes, context):
        # the responses are inserted by now: the failure must take them back with it
        assert _db.session.scalar(select(func.count()).select_from(Response)) == 4
        raise OperationalError("INSERT INTO audit_entries", {}, Exception("database is locked"))

    monkeypatch.setattr(services, "_insert_audit", failing_audit)
    response = _post_as_a_real_request(app, area.token, batch)
    assert response.status_code == 503  # the app-wide answer to a lock error
    assert response.get_json()["error"]["code"] == "database_busy"
    assert response.headers["Retry-After"]
    committed_db.session.rollback()
    assert committed_db.session.scalar(select(func.count()).select_from(Response)) == 0
    committed_db.session.rollback()  # the test's own transaction holds SQLite's write lock
    monkeypatch.undo()
    assert statuses(_post_as_a_real_request(app, area.token, batch)) == ["created"] * 4


def test_a_batch_costs_the_same_few_queries_whatever_its_size(app, client, db, area):
    counted = []

    def count(*args):
        counted.append(args[2])

    def queries_for(size: int) -> int:
        items = [area.item(answers=valid_answers(seed), unit=area.groups[seed % 2]) for seed in range(size)]
        counted.clear()
        event.listen(_db.engine, "before_cursor_execute", count)
        try:
            response = submit(client, area, items)
        finally:
            event.remove(_db.engine, "before_cursor_execute", count)
        assert statuses(response) == ["created"] * size
        return len(counted)

    queries_for(2)  # warm up: the first request may load what later ones find cached
    small, large = queries_for(5), queries_for(100)
    assert small == large, counted
    # 18: with the UPDATE recording the sync on the user, and on SQLite the token check's
    # transaction ended (here a savepoint rolled back and a new one) and the token and user
    # read again in the next (server/sync/write_lock.py)
    assert large <= 18, counted
