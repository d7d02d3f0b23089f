"""A small province round with known numbers, for the progress and responses tests.

Province P: ward A (groups A1, A2, A3), commune B (groups B1, B2), commune C (group C1, not in
the round). The round opened 10 days ago and closes in 20 (30 days), 10 responses a unit,
A2's own target 4. Responses: A1 five counted by vA (one late, one flagged) plus one rejected
and one excluded; A2 two by vA; B1 three by vB. Uploads refused at sync: one UUID twice in A1
by vA (counts once) and one UUID stored since (does not count).

Loaded with importlib by the tests that use it (test folders are not packages).
"""

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import update

from server.audit.services import record
from server.db_types import utcnow
from server.rounds.models import round_units

ANSWERS = {"age_band": "30_44", "sex": "female", "dealt_with_commune": "no",
           "know_listen": "4", "know_explain": "5", "know_trust": "3", "know_apologise": "na",
           "know_thank": "5", "overall_satisfaction": "4", "compared_6_months": "same",
           "other_comments": "Cán bộ nhiệt tình."}
SKIPPED = ["access_location", "access_facilities", "access_online", "proc_public",
           "proc_documents", "proc_fees", "off_attitude", "off_guidance", "off_competence",
           "res_on_time", "res_correct", "fb_channels", "fb_handling"]


@dataclass
class World:
    province: object
    units: dict
    round: object
    version: object
    users: dict
    responses: dict = field(default_factory=dict)
    now: object = None


def build_world(db, factory) -> World:
    now = utcnow().replace(microsecond=0)
    province = factory.unit("Tỉnh Ninh Bình", "province")
    a = factory.unit("Phường Hoa Lư", "ward", parent=province)
    b = factory.unit("Xã Gia Viễn", "commune", parent=province)
    c = factory.unit("Xã Yên Mô", "commune", parent=province)
    units = {"P": province, "A": a, "B": b, "C": c,
             "A1": factory.unit("Tổ dân phố 1", "residential_group", parent=a),
             "A2": factory.unit("Tổ dân phố 2", "residential_group", parent=a),
             "A3": factory.unit("Tổ dân phố 10", "residential_group", parent=a),
             "B1": factory.unit("Thôn Đồng Tâm", "village", parent=b),
             "B2": factory.unit("Thôn Yên Trạch", "village", parent=b),
             "C1": factory.unit("Thôn Bình Hải", "village", parent=c)}
    version = factory.form_version()
    round_ = factory.round(version, [units[k] for k in ("A1", "A2", "A3", "B1", "B2")],
                           opens_at=now - timedelta(days=10), closes_at=now + timedelta(days=20),
                           target_per_unit=10, title="Đợt 1 năm 2026")
    db.session.execute(update(round_units).where(
        round_units.c.round_id == round_.id, round_units.c.unit_id == units["A2"].id
    ).values(target=4))
    users = {
        "admin": factory.user("quantri", "admin", display_name="Quản Trị"),
        "official_a": factory.user("canbo.a", "official", units=[a]),
        "official_b": factory.user("canbo.b", "official", units=[b]),
        "vA": factory.user("tnv.a", "volunteer", units=[units["A1"], units["A2"]],
                           display_name="Nguyễn Văn An"),
        "vB": factory.user("tnv.b", "volunteer", units=[units["B1"]], display_name="Trần Thị Bình"),
        "vIdle": factory.user("tnv.idle", "volunteer", units=[units["A3"]],
                              display_name="Lê Văn Chờ"),
        "vOther": factory.user("tnv.other", "volunteer", units=[units["C1"]],
                               display_name="Phạm Văn Khác"),
    }
    users["vA"].last_sync_at = now - timedelta(hours=3)
    users["vA"].last_app_version = "1.4.0"
    users["vA"].last_queued_count = 2
    world = World(province, units, round_, version, users, now=now)

    def add(key, unit, volunteer, day, **kw):
        completed = round_.opens_at + timedelta(days=day, hours=3)
        world.responses[key] = factory.response(round_, units[unit], users[volunteer],
                                                dict(ANSWERS), completed_at=completed,
                                                skipped=list(SKIPPED), **kw)

    for n in range(3):
        add(f"A1-{n}", "A1", "vA", n)
    add("A1-late", "A1", "vA", 4, is_late=True)
    add("A1-flagged", "A1", "vA", 4, status="flagged")
    add("A1-rejected", "A1", "vA", 5, status="rejected")
    add("A1-excluded", "A1", "vA", 5)
    excluded = world.responses["A1-excluded"]
    excluded.excluded_at, excluded.excluded_reason = now, "phiếu thử"
    excluded.excluded_by_id = users["admin"].id
    add("A2-0", "A2", "vA", 1)
    add("A2-1", "A2", "vA", 2)
    for n in range(3):
        add(f"B1-{n}", "B1", "vB", n + 1)
    refused = str(uuid.uuid4())
    for target_uuid in (refused, refused, world.responses["A2-0"].uuid):
        record(users["vA"].id, "submission.rejected", "response", target_uuid,
               {"round_id": round_.id, "unit_id": units["A1"].id, "content_hash": None,
                "codes": ["round_closed"]})
    db.session.flush()
    return world
