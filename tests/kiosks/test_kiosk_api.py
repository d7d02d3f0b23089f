"""/api/v1/kiosks: desks, pairing with a one-time code, and the tablet's ratings: exactly once
by client UUID, flagged (never lost) when too soon or in an implausible burst."""

from datetime import timedelta

from sqlalchemy import func, select

from server.audit.models import AuditEntry
from server.db_types import utcnow
from server.extensions import db
from server.kiosks.models import KioskPairingCode, KioskRating
from tests.conftest import auth_header
from tests.kiosks.conftest import API, SERVICES, paired_token, rating


def _as(factory, world, role):
    return auth_header(factory.token(world.users[role]))


def _send(client, token, *ratings):
    return client.post(f"{API}/device/ratings", json={"ratings": list(ratings)},
                       headers=auth_header(token))


def _stored(desk_id) -> list[KioskRating]:
    return list(db.session.scalars(select(KioskRating).where(KioskRating.desk_id == desk_id)
                                   .order_by(KioskRating.rated_at)))


def test_a_desk_is_made_by_the_units_official_and_hidden_from_another(client, factory, world):
    a, b = _as(factory, world, "official_a"), _as(factory, world, "official_b")
    made = client.post(API, json={"unit_id": world.group_a1.id, "name": " Quầy 2 ",
                                  "services": ["Hộ tịch", " Hộ tịch ", "Đất đai", ""]},
                       headers=a)
    assert made.status_code == 400        # an empty service name is refused by the schema
    made = client.post(API, json={"unit_id": world.group_a1.id, "name": " Quầy 2 ",
                                  "services": ["Hộ tịch", " Hộ tịch ", "Đất đai"]}, headers=a)
    assert made.status_code == 201, made.get_json()
    desk = made.get_json()
    assert desk["name"] == "Quầy 2" and desk["services"] == ["Hộ tịch", "Đất đai"]
    assert desk["min_interval_seconds"] == 20 and desk["paired_devices"] == 0
    assert client.get(f"{API}/{desk['id']}", headers=b).status_code == 404
    assert client.post(API, json={"unit_id": world.commune_a.id, "name": "X"},
                       headers=b).status_code == 403
    assert [d["id"] for d in client.get(API, headers=b).get_json()] == []
    changed = client.patch(f"{API}/{desk['id']}", json={"min_interval_seconds": 45}, headers=a)
    assert changed.get_json()["min_interval_seconds"] == 45
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action.in_(["kiosk.desk_created", "kiosk.desk_updated"]),
        AuditEntry.object_id == str(desk["id"]))) == 2


def test_control_characters_and_broken_text_in_a_desk_are_never_a_500(client, factory, world):
    a = _as(factory, world, "official_a")
    made = client.post(API, json={"unit_id": world.group_a1.id, "name": "Quầy\x00 3",
                                  "services": ["Hộ\x00 tịch", "Đất\x01 đai"]}, headers=a)
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["name"] == "Quầy 3"
    assert made.get_json()["services"] == ["Hộ tịch", "Đất đai"]
    broken = client.post(API, json={"unit_id": world.group_a1.id, "name": "Quầy 4",
                                    "services": ["Hộ \ud800 tịch"]}, headers=a)
    assert broken.status_code == 400
    assert broken.get_json()["error"]["code"] == "invalid_text"
    assert broken.get_json()["error"]["details"]["field"] == "services"
    blank = client.post(API, json={"unit_id": world.group_a1.id, "name": "\x00 "}, headers=a)
    assert blank.status_code == 400
    assert blank.get_json()["error"]["code"] == "name_required"


def test_volunteers_and_strangers_cannot_manage_desks(client, factory, world):
    volunteer = _as(factory, world, "volunteer")
    assert client.get(API, headers=volunteer).status_code == 403
    assert client.post(f"{API}/{world.desk.id}/pairing-codes", headers=volunteer).status_code == 403
    assert client.get(API).status_code == 401


def test_a_pairing_code_works_once(client, factory, world):
    admin = _as(factory, world, "admin")
    code = client.post(f"{API}/{world.desk.id}/pairing-codes", headers=admin).get_json()["code"]
    assert len(code) == 9 and code[4] == "-"
    first = client.post(f"{API}/pair", json={"code": code.lower().replace("-", " ")})
    assert first.status_code == 201
    body = first.get_json()
    assert body["desk"] == {"id": world.desk.id, "name": "Bộ phận một cửa",
                            "unit_name": "Phường Hoa Lư", "services": SERVICES,
                            "min_interval_seconds": 20}
    again = client.post(f"{API}/pair", json={"code": code})
    assert again.status_code == 400 and again.get_json()["error"]["code"] == "pairing_code_invalid"
    device = client.get(f"{API}/device", headers=auth_header(body["token"]))
    assert device.status_code == 200 and device.get_json()["id"] == world.desk.id
    assert client.get(f"{API}/{world.desk.id}", headers=admin).get_json()["paired_devices"] == 1


def test_expired_wrong_and_replaced_codes_are_refused_alike(client, factory, world):
    admin = _as(factory, world, "admin")
    old = client.post(f"{API}/{world.desk.id}/pairing-codes", headers=admin).get_json()["code"]
    new = client.post(f"{API}/{world.desk.id}/pairing-codes", headers=admin).get_json()["code"]
    for wrong in (old, "ZZZZ-ZZZZ", "x", "<script>"):
        answer = client.post(f"{API}/pair", json={"code": wrong})
        assert answer.status_code == 400, wrong
        assert "Mã ghép nối" in answer.get_json()["error"]["message"]
    row = db.session.scalars(select(KioskPairingCode).order_by(KioskPairingCode.id.desc())).first()
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.post(f"{API}/pair", json={"code": new}).status_code == 400


def test_guessing_pairing_codes_is_throttled_per_address(app, client, factory, world,
                                                         monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_ADDRESS", 4)
    admin = _as(factory, world, "admin")
    code = client.post(f"{API}/{world.desk.id}/pairing-codes", headers=admin).get_json()["code"]
    guesses = [client.post(f"{API}/pair", json={"code": f"ZZZZ-ZZZ{n}"}).status_code
               for n in range(2, 8)]
    assert guesses == [400] * 4 + [429] * 2
    blocked = client.post(f"{API}/pair", json={"code": code})   # even the right code waits
    assert blocked.status_code == 429
    error = blocked.get_json()["error"]
    assert error["code"] == "too_many_attempts" and "thử lại sau" in error["message"]
    assert 0 < int(blocked.headers["Retry-After"]) <= app.config["LOGIN_WINDOW_MINUTES"] * 60
    assert error["details"]["retry_after"] == int(blocked.headers["Retry-After"])
    # Another address is not blocked, and password logins keep their own count.
    other = client.post(f"{API}/pair", json={"code": code},
                        environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 201
    login = client.post("/api/v1/auth/token", json={"username": "admin", "password": "pw"})
    assert login.status_code == 200


def test_a_good_pairing_code_gives_its_attempt_back(app, client, factory, world, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_FAILURES_PER_ADDRESS", 2)
    admin = _as(factory, world, "admin")
    for _ in range(4):       # an office pairing its tablets one after another
        code = client.post(f"{API}/{world.desk.id}/pairing-codes",
                           headers=admin).get_json()["code"]
        assert client.post(f"{API}/pair", json={"code": code}).status_code == 201
    assert client.post(f"{API}/pair", json={"code": "ZZZZ-ZZZZ"}).status_code == 400


def test_a_users_login_is_not_a_tablets_credential(client, factory, world):
    admin_token = factory.token(world.users["admin"])
    answer = client.post(f"{API}/device/ratings", json={"ratings": [rating(utcnow())]},
                         headers=auth_header(admin_token))
    assert answer.status_code == 401 and answer.get_json()["error"]["code"] == "kiosk_not_paired"


def test_the_same_rating_sent_twice_is_stored_once(client, factory, world):
    token = paired_token(client, _as(factory, world, "admin"), world.desk.id)
    one = rating(utcnow() - timedelta(minutes=3), 4, service="Hộ tịch", comment="Nhanh\x00 gọn\n")
    first = _send(client, token, one)
    assert first.status_code == 200
    assert first.get_json()["results"] == [{"client_uuid": one["client_uuid"],
                                            "result": "created", "flag": None, "error": None}]
    second = _send(client, token, one, one)
    assert [r["result"] for r in second.get_json()["results"]] == ["duplicate", "duplicate"]
    stored = _stored(world.desk.id)
    assert len(stored) == 1 and stored[0].comment == "Nhanh gọn" and stored[0].service == "Hộ tịch"


def test_a_rating_too_soon_after_the_last_is_stored_flagged(client, factory, world):
    token = paired_token(client, _as(factory, world, "admin"), world.desk.id)
    start = utcnow() - timedelta(minutes=10)
    batch = [rating(start), rating(start + timedelta(seconds=5)),
             rating(start + timedelta(seconds=30))]
    # Sent out of order, as an offline queue may: judged in the order tapped.
    results = _send(client, token, batch[2], batch[1], batch[0]).get_json()["results"]
    assert [r["flag"] for r in results] == [None, "too_soon", None]
    assert [r.flag for r in _stored(world.desk.id)] == [None, "too_soon", None]


def test_an_implausible_burst_is_flagged_even_without_an_interval(client, factory, world):
    admin = _as(factory, world, "admin")
    client.patch(f"{API}/{world.desk.id}", json={"min_interval_seconds": 0}, headers=admin)
    token = paired_token(client, admin, world.desk.id)
    start = utcnow() - timedelta(minutes=5)
    burst = [rating(start + timedelta(seconds=2 * i)) for i in range(30)]   # 30 in a minute
    results = _send(client, token, *burst).get_json()["results"]
    flags = [r["flag"] for r in results]
    assert flags[:9] == [None] * 9 and set(flags[9:]) == {"burst"}
    assert len(_stored(world.desk.id)) == 30


def test_counts_by_hour(client, factory, world, app):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    admin = _as(factory, world, "admin")
    token = paired_token(client, admin, world.desk.id)
    zone = ZoneInfo(app.config["DISPLAY_TIMEZONE"])
    day = (datetime.now(zone) - timedelta(days=1)).date()
    at = lambda h, m: datetime(day.year, day.month, day.day, h, m, tzinfo=zone)  # noqa: E731
    _send(client, token, rating(at(8, 0), 5), rating(at(8, 30), 2), rating(at(8, 30), 4),
          rating(at(14, 15), 4))
    hours = client.get(f"{API}/{world.desk.id}/hourly?date={day.isoformat()}",
                       headers=admin).get_json()["hours"]
    assert hours == [{"hour": 8, "total": 3, "flagged": 1, "satisfied": 1},
                     {"hour": 14, "total": 1, "flagged": 0, "satisfied": 1}]
    assert client.get(f"{API}/{world.desk.id}/hourly",
                      headers=_as(factory, world, "official_b")).status_code == 404


def test_bad_ratings_are_refused_per_batch_or_item(client, factory, world):
    token = paired_token(client, _as(factory, world, "admin"), world.desk.id)
    now = utcnow()
    for bad in ({"ratings": []}, {"ratings": [rating(now, 6)]},
                {"ratings": [dict(rating(now), rated_at="2026-01-01T10:00:00")]},
                {"ratings": [dict(rating(now), client_uuid="nope")]},
                {"ratings": [rating(now, comment="x" * 201)]}):
        answer = client.post(f"{API}/device/ratings", json=bad, headers=auth_header(token))
        assert answer.status_code == 400, bad
    old = rating(now - timedelta(days=31))
    future = rating(now + timedelta(days=1))
    results = _send(client, token, old, future).get_json()["results"]
    assert results[0]["result"] == "rejected" and results[0]["error"]["code"] == "too_old"
    assert results[1]["result"] == "created"
    assert _stored(world.desk.id)[0].rated_at <= utcnow()


def test_unpairing_ends_the_tablets_credential(client, factory, world):
    admin = _as(factory, world, "admin")
    token = paired_token(client, admin, world.desk.id)
    assert client.post(f"{API}/{world.desk.id}/devices/revoke",
                       headers=admin).get_json()["paired_devices"] == 0
    assert client.get(f"{API}/device", headers=auth_header(token)).status_code == 401


def test_the_kiosk_api_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/api/v1/kiosks", "/api/v1/kiosks/{desk_id}/pairing-codes",
                 "/api/v1/kiosks/pair", "/api/v1/kiosks/device/ratings",
                 "/api/v1/kiosks/{desk_id}/hourly"):
        assert path in paths, path
