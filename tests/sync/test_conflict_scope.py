"""A conflict is kept for review only when the upload passes every check a new response
must, may replace the stored one, and its volunteer has room; the review list pages
(issue 9, item 7)."""

import copy

import pytest
from sqlalchemy import func, select
from sync_support import DEFINITION, statuses, submit, valid_answers

from server.sync.models import ResponseConflict
from tests.conftest import auth_header


def _conflicts(db) -> int:
    return db.session.scalar(select(func.count()).select_from(ResponseConflict))


def _stored_in_commune_a(client, area) -> dict:
    first = area.item(answers=valid_answers(1))
    assert statuses(submit(client, area, [first])) == ["created"]
    return first


def _errors(response) -> list[str]:
    (result,) = response.get_json()["results"]
    assert result["status"] == "rejected", result
    return [error["code"] for error in result["errors"]]


@pytest.fixture
def outsider(factory, area):
    """A volunteer of the other commune, with a token."""
    user = factory.user("tnv.khac", "volunteer", units=[area.other_group])
    return auth_header(factory.token(user))


def test_another_communes_volunteer_cannot_conflict_with_a_stored_uuid(client, db, area, outsider):
    first = _stored_in_commune_a(client, area)
    # in the outsider's own unit: passes scope as a new response, but may not replace this one
    own_unit = {**first, "unit_id": area.other_group.id, "answers": valid_answers(2)}
    assert _errors(submit(client, outsider, [own_unit])) == ["uuid_in_use"]
    # in commune A's unit: not theirs to collect in
    their_unit = {**first, "answers": valid_answers(2)}
    assert _errors(submit(client, outsider, [their_unit])) == ["unit_not_assigned"]
    assert _conflicts(db) == 0
    # the volunteer who collected it may still send another version, from another of their units
    corrected = {**first, "unit_id": area.groups[1].id}
    assert statuses(submit(client, area, [corrected])) == ["conflict"]
    assert _conflicts(db) == 1


def test_a_conflict_that_fails_the_form_is_rejected_not_kept(client, db, area):
    first = _stored_in_commune_a(client, area)
    invalid = {**first, "answers": {**valid_answers(2), "age_band": "200_plus", "nonsense": "x"}}
    assert sorted(_errors(submit(client, area, [invalid]))) == ["not_in_choices", "unknown_question"]
    assert _conflicts(db) == 0


def test_a_conflict_in_another_round_or_outside_the_round_is_rejected(client, db, factory, area):
    first = _stored_in_commune_a(client, area)
    other_round = factory.round(units=area.groups, title="Đợt khác")
    moved = {**first, "round_id": other_round.id, "form_version_id": other_round.form_version_id,
             "answers": valid_answers(2)}
    assert _errors(submit(client, area, [moved])) == ["uuid_in_use"]
    other_version = factory.form_version({**copy.deepcopy(DEFINITION), "title": {"vi": "Mẫu khác"}})
    wrong_version = {**first, "form_version_id": other_version.id, "answers": valid_answers(2)}
    assert _errors(submit(client, area, [wrong_version])) == ["form_version_mismatch"]
    assert _conflicts(db) == 0


def test_open_conflicts_per_volunteer_are_bounded(app, client, db, factory, area, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_OPEN_CONFLICTS_PER_VOLUNTEER", 3)
    stored = [area.item(answers=valid_answers(1)) for _ in range(5)]
    assert statuses(submit(client, area, stored)) == ["created"] * 5
    changed = [{**item, "answers": valid_answers(2)} for item in stored]
    body = submit(client, area, changed).get_json()
    assert [r["status"] for r in body["results"]] == ["conflict"] * 3 + ["rejected"] * 2
    refusal = body["results"][3]["errors"][0]
    assert refusal["code"] == "too_many_conflicts" and "3" in refusal["message"]["vi"]
    assert _conflicts(db) == 3
    # a resend of a kept conflict is acknowledged without taking room
    assert statuses(submit(client, area, changed[:1])) == ["conflict"]
    assert _conflicts(db) == 3
    # once an admin decides one, there is room for one more
    admin = auth_header(factory.token(factory.user("admin", "admin")))
    conflict_id = client.get("/api/v1/conflicts", headers=admin).get_json()["conflicts"][0]["id"]
    assert client.post(f"/api/v1/conflicts/{conflict_id}/resolve", headers=admin,
                       json={"resolution": "kept_stored"}).status_code == 200
    assert statuses(submit(client, area, changed[3:])) == ["conflict", "rejected"]


def test_the_conflict_list_pages_with_a_total(client, db, factory, area):
    stored = [area.item(answers=valid_answers(1)) for _ in range(5)]
    submit(client, area, stored)
    submit(client, area, [{**item, "answers": valid_answers(2)} for item in stored])
    admin = auth_header(factory.token(factory.user("admin", "admin")))
    pages = [client.get(f"/api/v1/conflicts?per_page=2&page={page}", headers=admin).get_json()
             for page in (1, 2, 3, 4)]
    assert [len(page["conflicts"]) for page in pages] == [2, 2, 1, 0]
    assert all(page["total"] == 5 and page["per_page"] == 2 for page in pages)
    seen = [c["uuid"] for page in pages for c in page["conflicts"]]
    assert sorted(seen) == sorted(item["uuid"] for item in stored)  # each once, none skipped
    default = client.get("/api/v1/conflicts", headers=admin).get_json()
    assert default["page"] == 1 and default["per_page"] == 20 and len(default["conflicts"]) == 5
    for bad in ("per_page=0", "per_page=101", "page=0", "page=99999999999999999999"):
        response = client.get(f"/api/v1/conflicts?{bad}", headers=admin)
        assert response.status_code == 400 and response.get_json()["error"]["code"]


def test_the_paged_list_is_documented(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operation = spec["paths"]["/api/v1/conflicts"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert {"page", "per_page", "resolved"} <= set(parameters)
    assert parameters["per_page"]["schema"]["maximum"] == 100
    body = operation["responses"]["200"]["content"]["application/json"]["schema"]
    reference = body["$ref"].rsplit("/", 1)[-1]
    assert {"conflicts", "total", "page", "per_page"} <= set(spec["components"]["schemas"][reference]["properties"])
