"""A small world for the suggestion box: a province, two communes (A with a residential group),
an admin, an official of each commune, a volunteer, and a box in A's residential group."""

import uuid
from dataclasses import dataclass

import pytest

from tests.admin.conftest import log_in, web_login  # noqa: F401  (fixture)
from tests.live_site import browser, contexts  # noqa: F401  (fixtures of the browser test)


@dataclass
class World:
    province: object
    commune_a: object
    group_a1: object
    commune_b: object
    users: dict
    box: object


@pytest.fixture
def world(factory):
    from server.suggestions.boxes import create_box

    province = factory.unit("Tỉnh Ninh Bình", "province")
    commune_a = factory.unit("Phường Hoa Lư", "ward", parent=province)
    group_a1 = factory.unit("Tổ dân phố Đông Thịnh", "residential_group", parent=commune_a)
    commune_b = factory.unit("Xã Gia Viễn", "commune", parent=province)
    users = {
        "admin": factory.user("admin", "admin", display_name="Quản trị"),
        "official_a": factory.user("can.bo.a", "official", units=[commune_a],
                                   display_name="Nguyễn Văn An"),
        "official_a2": factory.user("can.bo.a2", "official", units=[commune_a],
                                    display_name="Trần Thị Bình"),
        "official_b": factory.user("can.bo.b", "official", units=[commune_b],
                                   display_name="Lê Văn Cường"),
        "volunteer": factory.user("tnv", "volunteer", units=[group_a1]),
    }
    box = create_box(users["official_a"], group_a1, "Nhà văn hóa tổ dân phố Đông Thịnh")
    return World(province, commune_a, group_a1, commune_b, users, box)


def submission(**fields) -> dict:
    body = {"client_uuid": str(uuid.uuid4()), "message": "Đèn đường ngõ 3 bị hỏng đã hai tuần."}
    body.update(fields)
    return body


def submit_url(box) -> str:
    return f"/api/v1/suggestion-boxes/public/{box.code}/messages"
