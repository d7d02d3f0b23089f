"""An upload prepares and validates its batch before its first query, and on SQLite without
the write lock (issue 15): another writer is not kept waiting meanwhile, and what was
checked early counts only against the form version read under the lock."""

import threading

from sqlalchemy import select
from sync_support import build_area, statuses, submit, valid_answers

from server.extensions import db as _db
from server.forms.models import FormVersion
from server.sync import early_validation, rules, services
from server.sync.form_checks import FormCheck, form_checks, remembered
from server.sync.models import Response
from tests.conftest import auth_header


def _counting(monkeypatch, module) -> list:
    calls = []
    real = module.validate_response

    def counted(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(module, "validate_response", counted)
    return calls


def test_each_response_is_validated_once_when_the_version_is_known(client, db, area, monkeypatch):
    form_checks({area.round.form_version_id})  # this process has read the version
    early = _counting(monkeypatch, early_validation)
    late = _counting(monkeypatch, rules)
    items = [area.item(answers=valid_answers(seed)) for seed in range(3)] + [area.item(answers={})]
    assert statuses(submit(client, area, items)) == ["created"] * 3 + ["rejected"]
    assert len(early) == 4 and late == []


def test_the_version_remembered_is_the_one_last_read(db, area):
    version_id = area.round.form_version_id
    read = form_checks({version_id})[version_id]
    assert remembered(version_id) == read and remembered(10 ** 9) is None
    db.session.execute(FormVersion.__table__.update().where(FormVersion.id == version_id)
                       .values(definition={**read.definition, "title": "Edited"}, content_hash="e" * 64))
    assert remembered(version_id) == read  # not read again yet
    edited = form_checks({version_id})[version_id]
    assert remembered(version_id) == edited and edited.content_hash == "e" * 64


def test_an_early_check_against_another_version_of_the_form_is_not_trusted(client, db, area, monkeypatch):
    version_id = area.round.form_version_id
    real = form_checks({version_id})[version_id]
    # what this process remembers is stale: a version where nothing is required
    lenient = {**real.definition, "questions": [
        {**question, "required": False} for question in real.definition["questions"]]}
    stale = FormCheck(lenient, "0" * 64)
    monkeypatch.setattr(early_validation, "remembered", lambda _: stale)
    missing = area.item(answers={})  # valid only under the stale version
    body = submit(client, area, [missing, area.item(answers=valid_answers(2))]).get_json()
    assert [r["status"] for r in body["results"]] == ["rejected", "created"]
    assert "required" in {error["code"] for error in body["results"][0]["errors"]}


def test_an_upload_prepares_its_batch_without_holding_the_write_lock(app, committed_db, factory_committed,
                                                                      monkeypatch):
    # SQLite: the token check's transaction is ended (it held the one write lock);
    # PostgreSQL: it is kept (reads lock nothing there): either way another writer goes on
    sqlite = committed_db.engine.dialect.name == "sqlite"
    area = build_area(factory_committed)
    items = [area.item(answers=valid_answers(seed)) for seed in range(2)]
    committed_db.session.commit()
    committed_db.session.close()  # this test's own transaction would hold the lock
    seen = []
    real = services.validate_early

    def probing(submissions):
        seen.append(_db.session().in_transaction())
        # another worker's writer, that would fail at once if the lock were held
        other = _db.engine.raw_connection()
        try:
            cursor = other.cursor()
            if sqlite:
                cursor.execute("PRAGMA busy_timeout=0")
                cursor.execute("BEGIN IMMEDIATE")
            else:
                cursor.execute("SET lock_timeout = 1")
                cursor.execute("UPDATE units SET name = name")
            cursor.execute("ROLLBACK")
            seen.append("lock free")
        finally:
            other.invalidate()  # not back to the pool with its busy timeout changed
        return real(submissions)

    monkeypatch.setattr(services, "validate_early", probing)
    answers = []
    thread = threading.Thread(target=lambda: answers.append(app.test_client().post(
        "/api/v1/submissions", json={"submissions": items}, headers=auth_header(area.token))))
    thread.start()
    thread.join(60)
    assert statuses(answers[0]) == ["created", "created"]
    assert seen == [not sqlite, "lock free"]
    stored = committed_db.session.scalars(select(Response.uuid)).all()
    assert sorted(stored) == sorted(item["uuid"] for item in items)
