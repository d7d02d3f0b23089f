"""Plausible demo responses to the default form: varied by residential group, some
dissatisfaction, some comments, the earlier round a little worse than the later one."""

from __future__ import annotations

import hashlib
import json
import random
import uuid
from datetime import timedelta

from server.db_types import utcnow
from server.demo.synthetic import clean_answers, random_raw_answers
from server.extensions import db
from server.people.models import User
from server.rounds.models import Round
from server.rounds.services import previous_round
from server.sync.models import Response
from server.units.models import Unit

# shows that the report masks phone numbers: every demo round has it once at least
PHONE_COMMENT = "Có việc gấp xin liên hệ 0912 345 678 (anh Tuấn), tôi muốn phản ánh thêm."
COMMENTS = [
    "Cán bộ một cửa nhiệt tình, hướng dẫn rất chu đáo.",
    "Thời gian chờ giải quyết hồ sơ còn lâu, mong được rút ngắn.",
    "Đề nghị niêm yết thủ tục rõ hơn ở nhà văn hóa tổ dân phố.",
    "Tôi phải đi lại nhiều lần vì thiếu giấy tờ mà không được báo trước.",
    "Đường ngõ xóm đã sạch đẹp hơn, cảm ơn chính quyền phường.",
    "Cần thêm chỗ ngồi chờ và nước uống ở bộ phận tiếp nhận.",
    "Dịch vụ công trực tuyến khó dùng với người cao tuổi.",
    PHONE_COMMENT,
    "Cán bộ tiếp dân lịch sự, biết lắng nghe ý kiến của người dân.",
    "Hồ sơ đất đai bị trễ hẹn hơn hai tuần mà không có thư xin lỗi.",
]


def _moods(round_: Round, units: list[Unit], rng: random.Random) -> dict[int, float]:
    """A mood per residential group: the later round is better, one group clearly worse."""
    later = previous_round(round_) is not None
    base = 0.76 if later else 0.68
    moods = {unit.id: base + rng.uniform(-0.06, 0.08) for unit in units}
    if units:
        moods[units[-1].id] -= 0.18
    return moods


def _content_hash(answers: dict) -> str:
    body = json.dumps(answers, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def generate_demo_responses(round_: Round, units: list[Unit], volunteer: User, seed: int,
                            per_unit: tuple[int, int] = (20, 36)) -> int:
    """Add between per_unit[0] and per_unit[1] validated responses per unit; returns how
    many. Responses are spread over the part of the round's window already past."""
    rng = random.Random(seed)
    definition = round_.form_version.definition
    moods = _moods(round_, units, rng)
    now = utcnow().replace(microsecond=0)
    window_end = min(round_.closes_at, now)
    window = max((window_end - round_.opens_at).total_seconds(), 3600)
    made = 0
    for unit in units:
        for _ in range(rng.randint(*per_unit)):
            first = made == 0
            raw = random_raw_answers(definition, rng, moods[unit.id],
                                     [PHONE_COMMENT] if first else COMMENTS,
                                     comment_rate=1.0 if first else 0.18)
            clean = clean_answers(definition, raw, round_.opens_at.date().isoformat())
            completed = round_.opens_at + timedelta(seconds=rng.uniform(0, window))
            db.session.add(Response(
                uuid=str(uuid.UUID(int=rng.getrandbits(128), version=4)), round_id=round_.id,
                form_version_id=round_.form_version_id, unit_id=unit.id,
                volunteer_id=volunteer.id, started_at=completed - timedelta(minutes=rng.randint(5, 15)),
                completed_at=completed, received_at=min(completed + timedelta(hours=2), now),
                answers=clean.answers, skipped=clean.skipped,
                content_hash=_content_hash(clean.answers), status="accepted",
                client={"demo": True}))
            made += 1
    db.session.flush()
    return made
