"""A small world for the kiosk: a province, two communes (A with a residential group), an
admin, an official of each commune, a volunteer, and a desk of commune A."""

import uuid
from dataclasses import dataclass
from datetime import datetime

import pytest

from tests.admin.conftest import log_in, web_login  # noqa: F401  (fixture)
from tests.live_site import browser, contexts  # noqa: F401  (fixtures of the browser test)

API = "/api/v1/kiosks"
SERVICES = ["Chứng thực", "Hộ tịch", "Đất đai"]


@dataclass
class World:
    province: object
    commune_a: object
    group_a1: object
    commune_b: object
    users: dict
    desk: object


@pytest.fixture
def world(factory):
    from server.kiosks.desks import create_desk

    province = factory.unit("Tỉnh Ninh Bình", "province")
    commune_a = factory.unit("Phường Hoa Lư", "ward", parent=province)
    group_a1 = factory.unit("Tổ dân phố Đông Thịnh", "residential_group", parent=commune_a)
    commune_b = factory.unit("Xã Gia Viễn", "commune", parent=province)
    users = {
        "admin": factory.user("admin", "admin"),
        "official_a": factory.user("can.bo.a", "official", units=[commune_a]),
        "official_b": factory.user("can.bo.b", "official", units=[commune_b]),
        "volunteer": factory.user("tnv", "volunteer", units=[group_a1]),
    }
    desk = create_desk(users["admin"], commune_a, "Bộ phận một cửa", SERVICES, 20)
    return World(province, commune_a, group_a1, commune_b, users, desk)


def rating(at: datetime, score: int = 5, **fields) -> dict:
    body = {"client_uuid": str(uuid.uuid4()), "score": score, "rated_at": at.isoformat()}
    body.update(fields)
    return body


def paired_token(client, headers, desk_id: int) -> str:
    """Make a code as staff, pair with it as a tablet; the tablet's bearer token."""
    made = client.post(f"{API}/{desk_id}/pairing-codes", headers=headers)
    assert made.status_code == 201, made.get_json()
    paired = client.post(f"{API}/pair", json={"code": made.get_json()["code"]})
    assert paired.status_code == 201, paired.get_json()
    return paired.get_json()["token"]
