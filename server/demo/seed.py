"""The demo: one province, three communes with residential groups, three users,
the default form published, a closed previous round and an open current round."""

import json
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, select

from server import PROJECT_ROOT
from server.db_types import utcnow
from server.demo.responses import generate_demo_responses
from server.extensions import db
from server.people.models import User
from server.people.services import create_user
from server.rounds.services import create_round
from server.units.models import Unit
from server.units.services import create_unit

DEFAULT_FORM_PATH = PROJECT_ROOT / "forms" / "resident_survey.json"

PROVINCE = "Tỉnh Ninh Bình"
COMMUNES = {
    ("ward", "Phường Hoa Lư"): [
        ("residential_group", "Tổ dân phố Đông Thịnh"), ("residential_group", "Tổ dân phố Bắc Sơn"),
        ("residential_group", "Tổ dân phố Phúc Chỉnh"), ("residential_group", "Tổ dân phố Kỳ Lân"),
        ("residential_group", "Tổ dân phố Tràng An"),
    ],
    ("commune", "Xã Gia Viễn"): [
        ("village", "Thôn Đồng Tâm"), ("village", "Thôn Yên Trạch"), ("village", "Thôn Tập Ninh"),
        ("village", "Thôn Đông Xuân"),
    ],
    ("commune", "Xã Cúc Phương"): [
        ("village", "Thôn Đồng Quân"), ("village", "Bản Đăng"), ("village", "Thôn Sấm"),
        ("village", "Thôn Nga 3"), ("village", "Bản Nàng"), ("village", "Thôn Cúc Chính"),
    ],
}
DEMO_COMMUNE = "Phường Hoa Lư"


class DemoRefused(RuntimeError):
    pass


@dataclass
class SeedOutcome:
    already_seeded: bool
    created: list[str] = field(default_factory=list)

    def describe(self, password: str) -> str:
        head = ("Demo đã có sẵn / demo already seeded." if self.already_seeded
                else "Đã tạo demo / demo seeded: " + ", ".join(self.created) + ".")
        return "\n".join([
            head,
            f"  admin     / {password}   (quản trị / admin)",
            f"  official  / {password}   (cán bộ {DEMO_COMMUNE} / commune official)",
            f"  volunteer / {password}   (tình nguyện viên / volunteer)",
        ])


def holds_real_data() -> bool:
    try:
        _refuse_real_data()
    except DemoRefused:
        return True
    return False


def _refuse_real_data() -> bool:
    """True when the demo is already there; raises when the database holds other data."""
    real_users = db.session.scalar(select(func.count()).select_from(User).where(User.is_demo.is_(False)))
    if real_users:
        raise DemoRefused("Cơ sở dữ liệu đã có dữ liệu thật; không tạo demo. "
                          "The database holds non-demo data; refusing to seed the demo.")
    if db.session.scalar(select(User.id).where(User.username == "admin", User.is_demo.is_(True))):
        return True
    if db.session.scalar(select(func.count()).select_from(Unit)):
        raise DemoRefused("Cơ sở dữ liệu đã có đơn vị nhưng không phải demo; không tạo demo. "
                          "The database holds units that are not the demo's; refusing.")
    return False


def _publish_default_form():
    from server.forms.services import publish_definition

    definition = json.loads(DEFAULT_FORM_PATH.read_text(encoding="utf-8"))
    return publish_definition(definition)


def seed_demo(password: str) -> SeedOutcome:
    if _refuse_real_data():
        return SeedOutcome(already_seeded=True)
    province = create_unit(PROVINCE, "province", code="ninh-binh")
    groups_by_commune: dict[str, list[Unit]] = {}
    for (kind, name), groups in COMMUNES.items():
        commune = create_unit(name, kind, parent=province)
        groups_by_commune[name] = [create_unit(g_name, g_kind, parent=commune) for g_kind, g_name in groups]
    demo_commune = db.session.scalar(select(Unit).where(Unit.name == DEMO_COMMUNE))
    demo_groups = groups_by_commune[DEMO_COMMUNE]

    create_user("admin", password, "admin", "Quản trị hệ thống", is_demo=True)
    create_user("official", password, "official", "Nguyễn Thị Lan (UBND Phường Hoa Lư)",
                units=[demo_commune], is_demo=True)
    volunteer = create_user("volunteer", password, "volunteer", "Trần Văn Bình (MTTQ)",
                            units=demo_groups[:3], is_demo=True)
    create_user("volunteer2", password, "volunteer", "Lê Thị Hoa (MTTQ)",
                units=demo_groups[3:], is_demo=True)

    form_version = _publish_default_form()
    now = utcnow().replace(microsecond=0)
    previous = create_round("Khảo sát mức độ hài lòng – đợt 1 năm 2026", form_version, demo_groups,
                            opens_at=now - timedelta(days=200), closes_at=now - timedelta(days=170),
                            target_per_unit=30)
    current = create_round("Khảo sát mức độ hài lòng – đợt 2 năm 2026", form_version, demo_groups,
                           opens_at=now - timedelta(days=10), closes_at=now + timedelta(days=20),
                           target_per_unit=40)
    created = ["1 tỉnh", f"{len(COMMUNES)} xã/phường",
               f"{sum(len(g) for g in groups_by_commune.values())} thôn/tổ dân phố",
               "4 người dùng", f"biểu mẫu v{form_version.version}", "2 đợt khảo sát"]
    count = generate_demo_responses(previous, demo_groups, volunteer, seed=2026_1, per_unit=(18, 30))
    count += generate_demo_responses(current, demo_groups, volunteer, seed=2026_2, per_unit=(20, 36))
    created.append(f"{count} phiếu mẫu")
    db.session.flush()
    return SeedOutcome(already_seeded=False, created=created)
