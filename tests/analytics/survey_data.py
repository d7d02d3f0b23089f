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


# --- a history across rounds (issue 10, honest figures) -----------------------------------
# Commune "Xã An Hòa": its groups answered in round 1 and in the current round but not in
# round 2 (only "Xã Bình Minh" did), so An Hòa is compared with round 1 and Bình Minh with
# round 2; "Thôn Cũ" answered only in round 1, "Thôn Mới" (under k) only now; in round 1
# every "proc_fees" answer is "not applicable".
HISTORY = {
    "Xã An Hòa": {"Thôn Thượng": (40, 0, 42), "Thôn Hạ": (34, 0, 36), "Thôn Cũ": (12, 0, 0),
                  "Thôn Mới": (0, 0, 3)},
    "Xã Bình Minh": {"Thôn Đông": (0, 31, 33)},
}


@dataclass
class History:
    definition: dict
    province: object
    communes: dict
    groups: dict
    rounds: list              # oldest first; the last is the current (closed) round
    official: object
    responses: list = field(default_factory=list)

    def counted(self, round_, units) -> list[StoredResponse]:
        ids = {unit.id for unit in units}
        return [r for r in self.responses if r.round_id == round_.id and r.unit_id in ids]


def build_history(db, factory, seed: int = 11) -> History:
    rng = random.Random(seed)
    definition = json.loads(FORM_PATH.read_text(encoding="utf-8"))
    version = publish_test_form(db, definition)
    province = factory.unit("Tỉnh Hà Tĩnh", "province")
    communes, groups = {}, {}
    for commune_name, rows in HISTORY.items():
        communes[commune_name] = factory.unit(commune_name, "commune", parent=province)
        for group_name in rows:
            groups[group_name] = factory.unit(group_name, "village",
                                              parent=communes[commune_name])
    now = utcnow().replace(microsecond=0)
    windows = [(400, 370), (200, 170), (30, 2)]
    # "Thôn Cũ" is not in the current round at all ("not surveyed")
    members = [list(groups.values())] * 2 + [[g for n, g in groups.items() if n != "Thôn Cũ"]]
    rounds = [factory.round(version, units, opens_at=now - timedelta(days=a),
                            closes_at=now - timedelta(days=b), target_per_unit=30,
                            title=f"Đợt {index + 1}")
              for index, ((a, b), units) in enumerate(zip(windows, members, strict=True))]
    volunteer = factory.user("tnv_history", "volunteer", units=[province])
    official = factory.user("canbo_history", "official", units=[province])
    data = History(definition, province, communes, groups, rounds, official)
    for rows in HISTORY.values():
        for group_name, sizes in rows.items():
            for index, (round_, n) in enumerate(zip(rounds, sizes, strict=True)):
                for _ in range(n):
                    clean = clean_answers(definition, random_raw_answers(
                        definition, rng, 0.45 + 0.15 * index, COMMENTS, comment_rate=0.2))
                    answers = dict(clean.answers)
                    if index == 0 and "proc_fees" in answers:
                        answers["proc_fees"] = "na"
                    completed = round_.opens_at + timedelta(days=1, minutes=len(data.responses))
                    factory.response(round_, groups[group_name], volunteer, answers,
                                     skipped=clean.skipped, status="accepted",
                                     completed_at=completed)
                    data.responses.append(StoredResponse(round_.id, groups[group_name].id,
                                                         "accepted", answers, clean.skipped))
    return data
