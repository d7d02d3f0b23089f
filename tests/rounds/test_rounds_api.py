"""GET /api/v1/rounds: each round's report units the caller sees, the same list the report
pages use (server/reporting/access.py report_unit_rows), in a few statements whatever the
number of units, and an ETag with 304 when the caller's copy still holds."""

from datetime import timedelta

import pytest
from sqlalchemy import event, insert, update

from server.db_types import utcnow
from server.extensions import db as _db
from server.reporting.access import report_unit_rows
from server.rounds.models import round_units
from server.units.models import Unit

pytestmark = pytest.mark.db


@pytest.fixture
def bearer(factory):
    def headers(user):
        return {"Authorization": f"Bearer {factory.token(user)}"}

    return headers


@pytest.fixture
def tree(db, factory):
    province = factory.unit("Tỉnh Ninh Bình", "province")
    a = factory.unit("Phường Hoa Lư", "ward", parent=province)
    b = factory.unit("Xã Gia Viễn", "commune", parent=province)
    c = factory.unit("Xã Yên Mô", "commune", parent=province)     # in no round
    groups = [factory.unit(f"Tổ dân phố {n}", "residential_group", parent=a) for n in (1, 2, 10)]
    villages = [factory.unit(name, "village", parent=b) for name in ("Thôn Đồng Tâm", "Thôn Yên Trạch")]
    current = factory.round(units=[*groups, villages[0]], title="Đợt 2")
    previous = factory.round(units=[b], title="Đợt 1", status="closed",
                             opens_at=utcnow() - timedelta(days=200),
                             closes_at=utcnow() - timedelta(days=170))
    return {"province": province, "a": a, "b": b, "c": c, "groups": groups,
            "villages": villages, "rounds": [current, previous],
            "admin": factory.user("quantri", "admin"),
            "official_a": factory.user("canbo.a", "official", units=[a]),
            "official_b": factory.user("canbo.b", "official", units=[b])}


def _expected(round_, user) -> list[dict]:
    """The list as the report pages make it (the API's documented contract)."""
    return [{"id": row.id, "name": row.name, "kind": row.kind, "parent_id": row.parent_id}
            for row in report_unit_rows(round_, user)]


@pytest.mark.parametrize("who", ["admin", "official_a", "official_b"])
def test_units_are_the_report_units_the_caller_sees(client, bearer, tree, who):
    user = tree[who]
    body = client.get("/api/v1/rounds", headers=bearer(user)).json
    by_id = {round_.id: round_ for round_ in tree["rounds"]}
    assert body["rounds"], who
    for item in body["rounds"]:
        assert item["units"] == _expected(by_id[item["id"]], user)
    assert set(body["rounds"][0]) == {"id", "title", "slug", "opens_at", "closes_at",
                                      "target_per_unit", "form_version", "status", "units"}


def test_what_each_caller_sees(client, bearer, tree):
    admin = client.get("/api/v1/rounds", headers=bearer(tree["admin"])).json["rounds"]
    current = {unit["name"] for unit in admin[0]["units"]}
    assert current == {"Tỉnh Ninh Bình", "Phường Hoa Lư", "Xã Gia Viễn", "Tổ dân phố 1",
                       "Tổ dân phố 2", "Tổ dân phố 10", "Thôn Đồng Tâm"}
    assert [unit["name"] for unit in admin[1]["units"]] == ["Tỉnh Ninh Bình", "Xã Gia Viễn"]
    official = client.get("/api/v1/rounds", headers=bearer(tree["official_a"])).json["rounds"]
    assert [r["id"] for r in official] == [tree["rounds"][0].id]      # B's round is not hers
    assert {unit["name"] for unit in official[0]["units"]} == {
        "Phường Hoa Lư", "Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 10"}
    assert official[0]["units"][0] == {"id": tree["a"].id, "name": "Phường Hoa Lư",
                                       "kind": "ward", "parent_id": tree["province"].id}


def test_etag_answers_304_until_something_it_shows_changes(client, bearer, tree, db):
    headers = bearer(tree["admin"])
    first = client.get("/api/v1/rounds", headers=headers)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "private, no-cache"
    again = client.get("/api/v1/rounds", headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    db.session.execute(update(Unit).where(Unit.id == tree["groups"][0].id)
                       .values(name="Tổ dân phố Một"))
    changed = client.get("/api/v1/rounds", headers={**headers, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert "Tổ dân phố Một" in {u["name"] for u in changed.json["rounds"][0]["units"]}
    other = client.get("/api/v1/rounds", headers={**bearer(tree["official_b"]),
                                                  "If-None-Match": changed.headers["ETag"]})
    assert other.status_code == 200                     # another caller's list differs


def _statements(client, headers) -> int:
    """The statements one GET of the list runs (as tests/query_count.py counts them)."""
    seen = []

    def count(*args):
        seen.append(args[2])

    event.listen(_db.engine, "before_cursor_execute", count)
    try:
        assert client.get("/api/v1/rounds", headers=headers).status_code == 200
    finally:
        event.remove(_db.engine, "before_cursor_execute", count)
    return len(seen)


def test_statements_do_not_grow_with_the_units(client, bearer, tree, factory, db):
    headers = bearer(tree["admin"])
    client.get("/api/v1/rounds", headers=headers)     # the token's first use is noted once
    before = _statements(client, headers)
    more = [factory.unit(f"Tổ {n}", "residential_group", parent=tree["c"]) for n in range(30)]
    db.session.execute(insert(round_units), [{"round_id": tree["rounds"][0].id,
                                              "unit_id": unit.id} for unit in more])
    db.session.flush()
    body = client.get("/api/v1/rounds", headers=headers).json
    after = _statements(client, headers)
    assert len(body["rounds"][0]["units"]) == 7 + 1 + 30      # Yên Mô and its 30 groups
    assert after == before


def test_no_units_seen_no_rounds(client, bearer, factory, tree):
    stranger = factory.user("xa_la", "official")
    assert client.get("/api/v1/rounds", headers=bearer(stranger)).json == {"rounds": []}
    assert client.get("/api/v1/rounds").status_code == 401


def test_units_a_page_at_a_time(client, bearer, tree):
    headers = bearer(tree["admin"])
    current = tree["rounds"][0]
    every = client.get("/api/v1/rounds", headers=headers).json["rounds"][0]["units"]
    first = client.get(f"/api/v1/rounds/{current.id}/units?per_page=3", headers=headers).json
    second = client.get(f"/api/v1/rounds/{current.id}/units?per_page=3&page=2",
                        headers=headers).json
    assert first["total"] == len(every) == 7 and (first["page"], first["per_page"]) == (1, 3)
    assert first["units"][0]["name"] == "Tỉnh Ninh Bình"           # the top first
    paged = first["units"] + second["units"]
    assert len({unit["id"] for unit in paged}) == 6
    assert {unit["id"] for unit in paged} <= {unit["id"] for unit in every}
    found = client.get(f"/api/v1/rounds/{current.id}/units?q=dong tam", headers=headers).json
    assert [unit["name"] for unit in found["units"]] == ["Thôn Đồng Tâm"]
    groups = client.get(f"/api/v1/rounds/{current.id}/units?kind=residential_group",
                        headers=headers).json
    assert groups["total"] == 3


def test_units_of_a_round_the_caller_does_not_see_are_404(client, bearer, tree):
    previous = tree["rounds"][1]                        # in commune B only
    answer = client.get(f"/api/v1/rounds/{previous.id}/units",
                        headers=bearer(tree["official_a"]))
    assert answer.status_code == 404
    assert client.get(f"/api/v1/rounds/{previous.id}/units?per_page=501",
                      headers=bearer(tree["admin"])).status_code == 400
    assert client.get(f"/api/v1/rounds/{previous.id}/units").status_code == 401
