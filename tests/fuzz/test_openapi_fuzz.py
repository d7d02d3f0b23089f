"""Fuzz every operation in /api/v1/openapi.json, as an admin and as a volunteer: whatever is
sent, valid by the document or not, the answer is never a server error, and it has the
documented shape.

Bounded for CI: FUZZ_EXAMPLES examples per operation and generation mode (positive: data the
document allows; negative: data it forbids), derandomized. Raise it for a longer run:
`FUZZ_EXAMPLES=200 .venv/bin/python -m pytest tests/fuzz -p no:cacheprovider -s`.

The app runs as in production: real commits, and no app context held open around a request.
"""

import json
import logging
import os
import random
import traceback
import uuid as uuid_lib
from datetime import timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.errors import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from server.auth.tokens import issue_token
from server.db_types import utcnow
from server.demo.synthetic import clean_answers, random_raw_answers
from server.extensions import db as _db
from server.people.models import User
from server.sync.models import ResponseConflict
from tests.conftest import DEFAULT_FORM, Factory, auth_header

pytestmark = [pytest.mark.slow, pytest.mark.db]  # db: it runs on PostgreSQL in CI too

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
    phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
# Ids the fuzzer may aim at: an odd generated id is swapped for a real one, so half the
# cases reach the code behind the lookup instead of stopping at 404.
AIMED_NAMES = {"round_id": "round", "unit_id": "group", "user_id": "bystander",
               "form_id": "form", "version_id": "version", "form_version_id": "version",
               "conflict_id": "conflict", "parent_id": "commune"}


@pytest.fixture(scope="module")
def world(app):
    """A commune with a residential group, an admin, a volunteer, a bystander user, the default
    form published, an open round, one stored response and one conflict. Committed; every
    table is emptied afterwards."""
    with app.app_context():
        factory = Factory(_db)
        commune = factory.unit("Phường Hoa Lư", "ward")
        group = factory.unit("Tổ dân phố 1", "residential_group", parent=commune)
        admin = factory.user("fuzz.admin", "admin")
        volunteer = factory.user("fuzz.tnv", "volunteer", units=[group])
        bystander = factory.user("fuzz.other", "volunteer", units=[group])
        version = factory.form_version()
        round_ = factory.round(form_version=version, units=[group])
        world = {"commune": commune.id, "group": group.id, "bystander": bystander.id,
                 "form": version.form_id, "version": version.id, "round": round_.id,
                 "admin_id": admin.id, "volunteer_id": volunteer.id,
                 "tokens": {"admin": factory.token(admin), "volunteer": factory.token(volunteer)}}
        _db.session.commit()
        _db.session.remove()
    # One UUID sent twice with different answers: a stored response and a conflict, made the
    # way a phone makes them.
    definition = json.loads(DEFAULT_FORM.read_text(encoding="utf-8"))
    uuid, completed = str(uuid_lib.uuid4()), utcnow() - timedelta(minutes=5)
    client = app.test_client()
    for seed in (1, 2):
        answers = clean_answers(definition, random_raw_answers(
            definition, random.Random(seed), 0.7)).answers
        item = {"uuid": uuid, "round_id": world["round"], "form_version_id": world["version"],
                "unit_id": world["group"], "completed_at": completed.isoformat(), "answers": answers}
        response = client.post("/api/v1/submissions", json={"submissions": [item]},
                               headers=auth_header(world["tokens"]["volunteer"]))
        assert response.status_code == 200, response.get_json()
    assert response.get_json()["results"][0]["status"] == "conflict"
    with app.app_context():
        world["conflict"] = _db.session.scalar(_db.select(ResponseConflict.id))
        _db.session.remove()
    yield world
    with app.app_context():
        _db.session.remove()
        with _db.engine.begin() as connection:
            for table in reversed(_db.metadata.sorted_tables):
                connection.execute(table.delete())


def _aim(value, world: dict, depth: int = 0):
    """Swap odd ids under AIMED_NAMES for real ones, in a body or a parameter mapping."""
    if depth > 4:
        return value
    if isinstance(value, list):
        return [_aim(item, world, depth + 1) for item in value]
    if not isinstance(value, dict):
        return value
    aimed = {}
    for key, item in value.items():
        target = world.get(AIMED_NAMES.get(key, ""))
        if target is not None and type(item) is int and item % 2:
            aimed[key] = target
        elif key == "unit_ids" and isinstance(item, list):
            aimed[key] = [world["group"] if type(i) is int and i % 2 else i for i in item]
        else:
            aimed[key] = _aim(item, world, depth + 1)
    return aimed


def _fresh_token(app, world: dict, role: str) -> str:
    # DELETE /auth/token revokes the token it is sent with: give it one of its own.
    with app.app_context():
        token = issue_token(_db.session.get(User, world[f"{role}_id"]), 1, "fuzz").token
        _db.session.commit()
        _db.session.remove()
    return token


class _ServerErrors(logging.Handler):
    """Keeps where the last server error that server.errors logged was raised (for the report)."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.last = ""

    def emit(self, record):
        if record.exc_info:
            frames = traceback.extract_tb(record.exc_info[2])
            where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"
            self.last = f"{record.exc_info[0].__name__}: {record.exc_info[1]} at {where}"


def _run_operation(app, world, operation, mode, role, report, server_errors) -> None:
    @FUZZ_SETTINGS
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        report["cases"] += 1
        for location in ("path_parameters", "query"):
            if getattr(case, location):
                setattr(case, location, _aim(getattr(case, location), world))
        if isinstance(case.body, dict | list):
            case.body = _aim(case.body, world)
        token = world["tokens"][role]
        if operation.method.upper() == "DELETE" and operation.path.endswith("/auth/token"):
            token = _fresh_token(app, world, role)
        server_errors.last = ""
        # Identity: the schema check reads the body as sent; compression has its own tests.
        response = case.call(headers={**auth_header(token), "Accept-Encoding": "identity"})
        report["statuses"][response.status_code] = report["statuses"].get(response.status_code, 0) + 1
        try:
            case.validate_response(response, checks=CHECKS)
        except FailureGroup as failures:
            titles = ", ".join(sorted({failure.title for failure in failures.exceptions}))
            key = (operation.label, titles, server_errors.last)
            if key not in report["problems"]:
                report["problems"][key] = (f"{role}, {mode.value} data: {operation.label} -> "
                                           f"{response.status_code} {titles}\n  {server_errors.last}"
                                           f"\n  {case.as_curl_command()}")

    try:
        run()
    except Unsatisfiable:
        if mode is GenerationMode.POSITIVE:
            raise
        report["no_negative"] += 1  # nothing in the operation can be made invalid (GET /users)


@pytest.mark.parametrize("role", ["admin", "volunteer"])
def test_no_request_gets_a_server_error(app, world, role):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    report = {"cases": 0, "statuses": {}, "problems": {}, "no_negative": 0}
    operations = [result.ok() for result in schema.get_all_operations()]
    server_errors = _ServerErrors()
    logging.getLogger("server").addHandler(server_errors)
    try:
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                _run_operation(app, world, operation, mode, role, report, server_errors)
    finally:
        logging.getLogger("server").removeHandler(server_errors)
    print(f"\nfuzz as {role}: {len(operations)} operations, {report['cases']} cases "
          f"({EXAMPLES} examples per operation and mode; {report['no_negative']} operations "
          "have nothing to make invalid), "
          f"statuses {dict(sorted(report['statuses'].items()))}")
    assert not report["problems"], "\n\n".join(report["problems"].values())
    assert report["cases"] >= len(operations) * 2  # every operation really ran
