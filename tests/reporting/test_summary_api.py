"""GET /api/v1/rounds/<r>/units/<u>/summary: the headline figures as JSON, suppressed as in
the PDF; "too_few_responses" with the threshold and no figure for a unit under k, "no_data"
for a unit without responses; the PDF route's access rules."""

from datetime import timedelta

from sqlalchemy import select

from server.db_types import utcnow
from server.rounds.models import Round
from server.sync.models import Response

WITHHELD_KEYS = {"status", "threshold", "round", "round_status", "unit"}


def summary(client, headers, round_id, unit_id):
    return client.get(f"/api/v1/rounds/{round_id}/units/{unit_id}/summary", headers=headers)


def _numbers(value) -> list:
    """Every number anywhere in a JSON value."""
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [value]
    if isinstance(value, dict):
        return [n for item in value.values() for n in _numbers(item)]
    if isinstance(value, list):
        return [n for item in value for n in _numbers(item)]
    return []


def test_a_group_of_three_says_too_few_and_gives_no_figure(client, dataset, bearer):
    group = dataset.groups["Tổ dân phố Kỳ Lân"]       # 3 counted responses
    response = summary(client, bearer(dataset.official), dataset.current.id, group.id)
    assert response.status_code == 200
    body = response.json
    assert body["status"] == "too_few_responses" and body["threshold"] == 5
    assert set(body) == WITHHELD_KEYS
    assert body["unit"] == {"id": group.id, "name": "Tổ dân phố Kỳ Lân"}
    # no figure at all: the only numbers are the ids and k
    assert sorted(_numbers(body)) == sorted([5, group.id, dataset.current.id])
    assert 3 not in _numbers(body)


def test_a_commune_gets_its_headline_figures(client, dataset, bearer):
    commune = dataset.communes["Phường Đông Hòa"]
    body = summary(client, bearer(dataset.official), dataset.current.id, commune.id).json
    counted = dataset.counted(dataset.current, list(dataset.groups.values())[:3])
    assert body["status"] == "ok" and body["round_status"] == "open"
    assert body["responses"] == len(counted) == 43
    assert body["target"] == 60
    assert 0 <= body["overall_index"] <= 1
    assert body["overall_index_change"] is not None     # the previous round is compared
    assert body["groups"], body
    for group in body["groups"]:
        assert group["label"]["vi"] and group["items"]
        shown = [item for item in group["items"] if not item["suppressed"]]
        assert group["valid"] == max(item["valid"] for item in shown)
        for item in shown:
            assert 0 < item["valid"] <= 43 and 0 <= item["share"] <= 1
        for item in group["items"]:
            if item["suppressed"]:
                assert item["share"] is None and item["valid"] is None


def test_a_round_without_responses_says_no_data(client, dataset, factory, bearer):
    group = dataset.groups["Tổ dân phố Đông Thịnh"]
    now = utcnow()
    empty = factory.round(dataset.form_version, [group], opens_at=now - timedelta(days=1),
                          closes_at=now + timedelta(days=30), title="Đợt 3 năm 2026")
    body = summary(client, bearer(dataset.official), empty.id, group.id).json
    assert body["status"] == "no_data" and set(body) == WITHHELD_KEYS


def test_same_access_as_the_pdf(client, dataset, bearer, factory, login):
    commune = dataset.communes["Phường Đông Hòa"]
    stranger = factory.user("canbo_b", "official", units=[dataset.communes["Xã Quỳnh Lưu"]])
    refused = summary(client, bearer(stranger), dataset.current.id, commune.id)
    assert refused.status_code == 403 and refused.json["error"]["code"] == "forbidden"
    assert summary(client, bearer(dataset.volunteer), dataset.current.id,
                   commune.id).status_code == 403
    assert summary(client, {}, dataset.current.id, commune.id).status_code == 401
    headers = bearer(dataset.official)
    assert summary(client, headers, 999999, commune.id).status_code == 404
    outside = factory.unit("Xã Ngoài Đợt", "commune")
    admin = bearer(factory.user("quantri", "admin"))
    assert summary(client, admin, dataset.current.id, outside.id).status_code == 404
    assert summary(client, admin, dataset.current.id, dataset.province.id).json["status"] == "ok"
    # the officials' pages may call it with their session
    session = login(dataset.official)
    assert summary(session, {}, dataset.current.id, commune.id).json["status"] == "ok"


def test_the_summary_is_built_once_for_the_data_and_again_when_it_changes(
        client, dataset, bearer, db, factory, monkeypatch):
    """Issue 15: the country's summary took 1.3 s a call; the JSON now comes from the stored
    summary of the unit's data (the PDF's), made again only when a response changes it."""
    from server.reporting import summaries

    built = []
    real = summaries.build_round_summary
    monkeypatch.setattr(summaries, "build_round_summary",
                        lambda *args: built.append(args[2].id) or real(*args))
    commune = dataset.communes["Phường Đông Hòa"]
    headers = bearer(dataset.official)
    first = summary(client, headers, dataset.current.id, commune.id).json
    again = summary(client, headers, dataset.current.id, commune.id).json
    assert again == first and built == [commune.id]
    group = list(dataset.groups.values())[0]
    answers = db.session.scalar(select(Response.answers).where(
        Response.round_id == dataset.current.id, Response.unit_id == group.id).limit(1))
    factory.response(db.session.get(Round, dataset.current.id), group, dataset.volunteer,
                     answers)
    db.session.commit()
    changed = summary(client, headers, dataset.current.id, commune.id).json
    assert changed["responses"] == first["responses"] + 1 and built == [commune.id] * 2
