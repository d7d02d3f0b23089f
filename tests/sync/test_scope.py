"""Who may submit where, and who sees what: only a volunteer's own rounds and units."""

import copy
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sync_support import DEFINITION, build_area, statuses, submit

from server.db_types import utcnow
from server.people.models import DeviceToken
from server.sync.models import Response
from tests.conftest import auth_header


def _codes(response) -> list[list[str]]:
    return [[e["code"] for e in r.get("errors", [])] for r in response.get_json()["results"]]


def test_a_unit_outside_the_assignment_is_rejected(client, db, area):
    # groups[2] is in the round but not assigned; other_group is another commune's
    batch = [area.item(unit=area.groups[2]), area.item(unit=area.other_group), area.item()]
    response = submit(client, area, batch)
    assert statuses(response) == ["rejected", "rejected", "created"]
    assert _codes(response)[:2] == [["unit_not_assigned"], ["unit_not_assigned"]]
    assert "phân công" in response.get_json()["results"][0]["errors"][0]["message"]["vi"]


def test_a_round_the_volunteer_is_not_assigned_to_is_rejected(client, factory, area):
    elsewhere = factory.round(form_version=area.round.form_version, units=[area.other_group])
    missing_round = area.item()
    missing_round["round_id"] = 999_999
    response = submit(client, area, [area.item(round_=elsewhere, unit=area.other_group), missing_round])
    assert statuses(response) == ["rejected", "rejected"]
    assert _codes(response) == [["round_not_assigned"], ["round_not_assigned"]]


def test_a_form_version_not_of_the_round_is_rejected(client, factory, area):
    other_definition = copy.deepcopy(DEFINITION)
    other_definition["title"] = {"vi": "Phiếu khác", "en": "Another form"}
    other_version = factory.form_version(other_definition)
    assert other_version.id != area.round.form_version_id
    response = submit(client, area, [area.item(form_version_id=other_version.id)])
    assert statuses(response) == ["rejected"]
    assert _codes(response) == [["form_version_mismatch"]]


def test_draft_rounds_take_nothing(client, factory, area):
    draft = factory.round(form_version=area.round.form_version, units=area.groups, status="draft")
    assert statuses(submit(client, area, [area.item(round_=draft)])) == ["rejected"]


def test_a_volunteer_of_a_village_collects_in_a_round_run_in_the_whole_commune(client, factory, area):
    commune_round = factory.round(form_version=area.round.form_version, units=[area.commune])
    assert statuses(submit(client, area, [area.item(round_=commune_round, unit=area.groups[1])])) == ["created"]
    # but not in the commune itself, nor in a group that is not theirs
    response = submit(client, area, [area.item(round_=commune_round, unit=area.commune),
                                     area.item(round_=commune_round, unit=area.groups[2])])
    assert statuses(response) == ["rejected", "rejected"]


@pytest.mark.parametrize("role", ["official", "admin"])
def test_official_and_admin_tokens_cannot_submit(client, db, factory, area, role):
    # an official of the other commune, or an admin, cannot submit as anyone
    user = factory.user(f"{role}.x", role, units=[area.other_commune] if role == "official" else [])
    response = submit(client, auth_header(factory.token(user)), [area.item(unit=area.groups[0])])
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "not_a_volunteer"
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_another_communes_volunteer_cannot_submit_into_this_commune(client, db, factory, area):
    other = factory.user("tnv.khac", "volunteer", units=[area.other_group])
    headers = auth_header(factory.token(other))
    response = submit(client, headers, [area.item(unit=area.groups[0]), area.item(unit=area.other_group)])
    assert statuses(response) == ["rejected", "created"]
    stored = db.session.scalar(select(Response))
    assert stored.volunteer_id == other.id and stored.unit_id == area.other_group.id


@pytest.mark.parametrize("problem", ["revoked", "expired"])
def test_revoked_or_expired_token_gets_401_with_a_message(client, db, area, problem):
    record = db.session.scalar(select(DeviceToken).where(DeviceToken.user_id == area.volunteer.id))
    if problem == "revoked":
        record.revoked_at = utcnow()
    else:
        record.expires_at = utcnow() - timedelta(minutes=1)
    db.session.flush()
    for response in (submit(client, area, [area.item()]),
                     client.get("/api/v1/me/assignments", headers=area.headers),
                     client.get("/api/v1/me/submissions", headers=area.headers),
                     client.get(f"/api/v1/form-versions/{area.round.form_version_id}", headers=area.headers)):
        assert response.status_code == 401
        error = response.get_json()["error"]
        assert error["code"] == f"token_{problem}"
        assert "đăng nhập lại" in error["message"]
        assert error["details"]["message_en"]
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_no_token_is_401(client, area):
    response = client.post("/api/v1/submissions", json={"submissions": []})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "not_authenticated"


def test_assignments_list_only_the_volunteers_rounds_and_units(client, factory, area):
    version = area.round.form_version
    now = utcnow()
    upcoming = factory.round(form_version=version, units=area.groups, title="Đợt sắp tới",
                             opens_at=now + timedelta(days=10), closes_at=now + timedelta(days=40))
    factory.round(form_version=version, units=area.groups, title="Đợt đã xong",
                  opens_at=now - timedelta(days=40), closes_at=now - timedelta(days=10))
    factory.round(form_version=version, units=area.groups, title="Đợt nháp", status="draft")
    factory.round(form_version=version, units=area.groups, title="Đợt đóng sớm", status="closed")
    factory.round(form_version=version, units=[area.other_group], title="Đợt xã khác")
    response = client.get("/api/v1/me/assignments", headers=area.headers)
    assert response.status_code == 200
    rounds = response.get_json()["rounds"]
    assert [(r["id"], r["status"]) for r in rounds] == [(area.round.id, "open"), (upcoming.id, "planned")]
    current = rounds[0]
    assert sorted(current["units"], key=lambda u: u["id"]) == [
        {"id": g.id, "name": g.name, "kind": "residential_group", "parent_name": "Phường Hoa Lư",
         "target": 20, "received": 0}
        for g in area.groups[:2]]
    assert current["form_version_id"] == area.round.form_version_id
    assert current["title"] == "Khảo sát đợt 2 năm 2026" and current["target_per_unit"] == 20
    assert set(current) == {"id", "title", "form_version_id", "opens_at", "closes_at", "status",
                            "units", "target_per_unit"}


def test_officials_have_nothing_to_collect(client, factory, area):
    official = factory.user("canbo", "official", units=[area.commune])
    response = client.get("/api/v1/me/assignments", headers=auth_header(factory.token(official)))
    assert response.status_code == 200 and response.get_json()["rounds"] == []


def test_me_submissions_lists_only_what_this_volunteer_sent(client, factory, area):
    mine = [area.item(), area.item(unit=area.groups[1])]
    submit(client, area, mine)
    other = factory.user("tnv.khac", "volunteer", units=[area.other_group])
    submit(client, auth_header(factory.token(other)), [area.item(unit=area.other_group)])
    held = client.get("/api/v1/me/submissions", headers=area.headers).get_json()["submissions"]
    assert sorted(h["uuid"] for h in held) == sorted(i["uuid"] for i in mine)
    assert all(h["status"] == "accepted" and h["round_id"] == area.round.id for h in held)
    none = client.get("/api/v1/me/submissions?round_id=999999", headers=area.headers)
    assert none.get_json() == {"submissions": []}
    by_round = client.get(f"/api/v1/me/submissions?round_id={area.round.id}", headers=area.headers)
    assert len(by_round.get_json()["submissions"]) == 2
    bad = client.get("/api/v1/me/submissions?round_id=abc", headers=area.headers)
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "validation_error"


def test_assignments_carry_each_units_own_target(client, factory):
    from server.rounds.services import set_unit_targets
    area = build_area(factory)
    set_unit_targets(area.round, {area.groups[0].id: 35})
    rounds = client.get("/api/v1/me/assignments", headers=area.headers).get_json()["rounds"]
    targets = {unit["id"]: unit["target"] for unit in rounds[0]["units"]}
    assert targets == {area.groups[0].id: 35, area.groups[1].id: 20}
