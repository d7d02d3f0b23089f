"""A generated survey with known answers (used by tests/analytics and tests/reporting): a province, two communes, residential groups
(one too small to show), a previous round and the current round."""

import json
import random
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from server.db_types import utcnow
from server.demo.synthetic import clean_answers, random_raw_answers
from server.forms.compiled import definition_hash
from server.forms.models import Form, FormVersion

FORM_PATH = Path(__file__).with_name("survey_form.json")
COMMENTS = [
    "Cán bộ nhiệt tình, chu đáo.",
    "Cần cải thiện chỗ để xe ở bộ phận một cửa.",
    "Liên hệ tôi qua số 0912 345 678 nếu cần.",
    "Thủ tục <b>vẫn</b> rườm rà & chậm; <font size=40>quá lâu</font>",
    "Đường làng ngõ xóm sạch đẹp hơn trước.",
]
# groups per commune and responses (previous round, current round) per group
LAYOUT = {
    "Phường Đông Hòa": [("Tổ dân phố Đông Thịnh", 14, 22), ("Tổ dân phố Bắc Sơn", 12, 18),
                        ("Tổ dân phố Kỳ Lân", 2, 3)],
    "Xã Quỳnh Lưu": [("Thôn Đồng Tâm", 10, 15), ("Thôn Yên Trạch", 9, 12)],
}


@dataclass
class StoredResponse:
    round_id: int
    unit_id: int
    status: str
    answers: dict
    skipped: list


@dataclass
class Dataset:
    form_version: FormVersion
    definition: dict
    province: object
    communes: dict
    groups: dict
    previous: object
    current: object
    official: object
    volunteer: object
    responses: list = field(default_factory=list)

    def counted(self, round_, units) -> list[StoredResponse]:
        ids = {unit.id for unit in units}
        return [r for r in self.responses if r.round_id == round_.id and r.unit_id in ids
                and r.status != "rejected"]


def publish_test_form(db, definition: dict) -> FormVersion:
    form = Form(name=definition["name"], title=definition["title"])
    version = FormVersion(form=form, version=1, definition=definition, status="published",
                          content_hash=definition_hash(definition), published_at=utcnow())
    db.session.add_all([form, version])
    db.session.flush()
    return version


def build_dataset(db, factory, seed: int = 7) -> Dataset:
    rng = random.Random(seed)
    definition = json.loads(FORM_PATH.read_text(encoding="utf-8"))
    version = publish_test_form(db, definition)
    province = factory.unit("Tỉnh Ninh Bình", "province")
    communes, groups = {}, {}
    for commune_name, rows in LAYOUT.items():
        kind = "ward" if commune_name.startswith("Phường") else "commune"
        communes[commune_name] = factory.unit(commune_name, kind, parent=province)
        for group_name, _, _ in rows:
            group_kind = "residential_group" if group_name.startswith("Tổ") else "village"
            groups[group_name] = factory.unit(group_name, group_kind, parent=communes[commune_name])
    now = utcnow().replace(microsecond=0)
    all_groups = list(groups.values())
    previous = factory.round(version, all_groups, opens_at=now - timedelta(days=200),
                             closes_at=now - timedelta(days=170), target_per_unit=15,
                             title="Đợt 1 năm 2026")
    current = factory.round(version, all_groups, opens_at=now - timedelta(days=10),
                            closes_at=now + timedelta(days=20), target_per_unit=20,
                            title="Đợt 2 năm 2026")
    volunteer = factory.user("tnv", "volunteer", units=[province])
    official = factory.user("canbo", "official", units=[communes["Phường Đông Hòa"]])
    data = Dataset(version, definition, province, communes, groups, previous, current,
                   official, volunteer)
    for commune_rows in LAYOUT.values():
        for group_name, n_previous, n_current in commune_rows:
            for round_, n, mood in ((previous, n_previous, 0.55), (current, n_current, 0.7)):
                for index in range(n):
                    raw = random_raw_answers(definition, rng, mood, COMMENTS, comment_rate=0.3)
                    clean = clean_answers(definition, raw)
                    status = "flagged" if index == 1 else "accepted"
                    _store(data, factory, round_, groups[group_name], status, clean)
            # a rejected response never counts
            clean = clean_answers(definition, random_raw_answers(definition, rng, 0.0))
            _store(data, factory, current, groups[group_name], "rejected", clean)
    return data


def _store(data, factory, round_, unit, status, clean):
    completed = round_.opens_at + timedelta(days=1, minutes=len(data.responses))
    factory.response(round_, unit, data.volunteer, clean.answers, skipped=clean.skipped,
                     status=status, completed_at=completed)
    data.responses.append(StoredResponse(round_.id, unit.id, status, clean.answers,
                                         clean.skipped))
