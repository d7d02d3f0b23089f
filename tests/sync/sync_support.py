"""Helpers for the sync tests: a commune with residential groups, a volunteer assigned to
some of them, an open round, and a builder for submissions the way the PWA sends them.
(tests/sync is on sys.path: import as `sync_support`.)"""

import json
import random
import uuid as uuid_lib
from dataclasses import dataclass
from datetime import timedelta

from server.db_types import utcnow
from server.demo.synthetic import clean_answers, random_raw_answers
from tests.conftest import DEFAULT_FORM, auth_header

DEFINITION = json.loads(DEFAULT_FORM.read_text(encoding="utf-8"))


def valid_answers(seed: int = 1) -> dict:
    raw = random_raw_answers(DEFINITION, random.Random(seed), 0.7, comments=["Cán bộ nhiệt tình."])
    return clean_answers(DEFINITION, raw).answers


@dataclass
class SyncArea:
    commune: object
    groups: list
    other_commune: object
    other_group: object
    volunteer: object
    round: object
    token: str

    @property
    def headers(self) -> dict:
        return auth_header(self.token)

    def item(self, answers=None, unit=None, round_=None, uuid=None, completed_at=None, **fields) -> dict:
        round_ = round_ or self.round
        completed_at = completed_at or utcnow() - timedelta(minutes=5)
        item = {"uuid": uuid or str(uuid_lib.uuid4()), "round_id": round_.id,
                "form_version_id": round_.form_version_id,
                "unit_id": (unit or self.groups[0]).id,
                "started_at": (completed_at - timedelta(minutes=9)).isoformat(),
                "completed_at": completed_at.isoformat(),
                "answers": valid_answers() if answers is None else answers,
                "client": {"app_version": "1.0.0", "device": "Redmi 9A"}}
        item.update(fields)
        return item


def build_area(factory) -> SyncArea:
    commune = factory.unit("Phường Hoa Lư", "ward")
    groups = [factory.unit(f"Tổ dân phố {n}", "residential_group", parent=commune) for n in (1, 2, 3)]
    other_commune = factory.unit("Xã Gia Viễn", "commune")
    other_group = factory.unit("Thôn Đông", "village", parent=other_commune)
    volunteer = factory.user("tnv.binh", "volunteer", units=groups[:2], display_name="Trần Văn Bình")
    round_ = factory.round(units=[*groups, other_group], title="Khảo sát đợt 2 năm 2026")
    return SyncArea(commune, groups, other_commune, other_group, volunteer, round_,
                    factory.token(volunteer))


def submit(client, area_or_headers, items, **kwargs):
    headers = area_or_headers.headers if isinstance(area_or_headers, SyncArea) else area_or_headers
    return client.post("/api/v1/submissions", json={"submissions": items}, headers=headers, **kwargs)


def statuses(response) -> list[str]:
    assert response.status_code == 200, response.get_json()
    return [result["status"] for result in response.get_json()["results"]]
