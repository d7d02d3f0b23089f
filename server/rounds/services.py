"""The rules of a round that the API, the console pages and the scheduler share:
creating one, its per-unit targets, its late-submission policy."""

import unicodedata
from datetime import datetime

from sqlalchemy import func, select, update

from server.audit.services import record
from server.db_types import utcnow
from server.errors import RuleError
from server.extensions import db
from server.forms.models import FormVersion
from server.rounds.models import LATE_POLICIES, Round, round_units
from server.units.models import Unit
from server.units.services import slugify

TITLE_MIN, TITLE_MAX = 3, 200
TARGET_MIN, TARGET_MAX = 1, 100_000


class RoundRuleError(RuleError):
    """A change a round's rules forbid; carries the message in both languages so a page can
    flash it and the API can answer it (always 400, the API's documented status)."""

    def __init__(self, code: str, message_vi: str, message_en: str):
        super().__init__(code, message_vi, message_en, 400)


def create_round(title: str, form_version: FormVersion, units: list[Unit], opens_at: datetime,
                 closes_at: datetime, target_per_unit: int = 20, status: str = "scheduled", *,
                 late_policy: str = "accept", unit_targets: dict[int, int | None] | None = None,
                 recurring_plan_id: int | None = None) -> Round:
    if closes_at <= opens_at:
        raise ValueError("a round must close after it opens")
    if form_version.status != "published":
        raise ValueError("a round runs a published form version")
    if late_policy not in LATE_POLICIES:
        raise ValueError(f"unknown late policy {late_policy!r}")
    title = unicodedata.normalize("NFC", title.strip())
    round_ = Round(title=title, slug=slugify(title), form_version=form_version, units=list(units),
                   opens_at=opens_at, closes_at=closes_at, target_per_unit=target_per_unit,
                   status=status, late_policy=late_policy, recurring_plan_id=recurring_plan_id)
    db.session.add(round_)
    db.session.flush()
    if unit_targets:
        set_unit_targets(round_, unit_targets)
    return round_


def check_window(opens_at: datetime, closes_at: datetime, now: datetime | None = None) -> None:
    """A round closes after it opens; with `now`, it must also close in the future."""
    if closes_at <= opens_at:
        raise RoundRuleError("close_before_open", "Thời gian đóng phải sau thời gian mở.",
                             "The closing time must be after the opening time.")
    if now is not None and closes_at <= now:
        raise RoundRuleError("close_in_past", "Thời gian đóng phải ở tương lai.",
                             "The closing time must be in the future.")


def plan_new_round(actor_id: int | None, *, title: str, form_version_id: int, units: list[Unit],
                   opens_at: datetime, closes_at: datetime, target_per_unit: int,
                   late_policy: str = "accept",
                   unit_targets: dict[int, int | None] | None = None) -> Round:
    """An admin plans a round (API and console alike): checked, created and audited."""
    if not TITLE_MIN <= len((title or "").strip()) <= TITLE_MAX:
        raise RoundRuleError("bad_title", "Tên đợt phải dài từ 3 đến 200 ký tự.",
                             "The title must be 3 to 200 characters long.")
    version = db.session.get(FormVersion, form_version_id)
    if version is None or version.status != "published":
        raise RoundRuleError("form_version_not_published",
                             "Phiên bản biểu mẫu không tồn tại hoặc chưa được công bố.",
                             "The form version does not exist or is not published.")
    if not units:
        raise RoundRuleError("no_units", "Hãy chọn ít nhất một đơn vị.",
                             "Choose at least one unit.")
    check_window(opens_at, closes_at)
    if late_policy not in LATE_POLICIES:
        raise RoundRuleError("bad_late_policy", "Cách xử lý phiếu nộp muộn không hợp lệ.",
                             "Unknown late-submission policy.")
    round_ = create_round(title, version, units, opens_at, closes_at, target_per_unit,
                          late_policy=late_policy, unit_targets=unit_targets)
    record(actor_id, "round.created", "round", round_.id, {"after": {
        "title": round_.title, "form_version_id": version.id, "opens_at": opens_at.isoformat(),
        "closes_at": closes_at.isoformat(), "target_per_unit": target_per_unit,
        "late_policy": late_policy, "unit_ids": [unit.id for unit in units],
        "unit_targets": {str(k): v for k, v in (unit_targets or {}).items()}}})
    return round_


def targets_of(round_id: int) -> dict[int, int | None]:
    """Each unit of the round with its own target (None: the round's target_per_unit)."""
    rows = db.session.execute(select(round_units.c.unit_id, round_units.c.target)
                              .where(round_units.c.round_id == round_id))
    return {unit_id: target for unit_id, target in rows}


def set_unit_targets(round_: Round, targets: dict[int, int | None]) -> dict[int, tuple]:
    """Set the targets of units already in the round (None: back to the round's default),
    all checked before any is written. Returns {unit_id: (before, after)} for what changed."""
    current = targets_of(round_.id)
    for unit_id, target in targets.items():
        if unit_id not in current:
            raise RoundRuleError("unit_not_in_round", "Đơn vị không thuộc đợt khảo sát này.",
                                 "The unit is not part of this round.")
        if target is not None and not TARGET_MIN <= target <= TARGET_MAX:
            raise RoundRuleError("bad_target", "Chỉ tiêu phải từ 1 đến 100.000 phiếu.",
                                 "A target is between 1 and 100,000 responses.")
    changed = {unit_id: (current[unit_id], target) for unit_id, target in targets.items()
               if current[unit_id] != target}
    for unit_id, (_, target) in changed.items():
        db.session.execute(update(round_units)
                           .where(round_units.c.round_id == round_.id,
                                  round_units.c.unit_id == unit_id)
                           .values(target=target))
    return changed


def effective_target():
    """The SQL expression of a round unit's target: its own, else the round's default.
    Use it where round_units is joined to rounds (progress, coverage)."""
    return func.coalesce(round_units.c.target, Round.target_per_unit)


def accepts_late(round_: Round) -> bool:
    """Whether a response completed while the round was open, but received after it closed,
    is stored (marked late) or refused. The sync rules call this for every late response."""
    return round_.late_policy != "refuse"


def rounds_due_for_reports(now: datetime | None = None) -> list[int]:
    now = now or utcnow()
    query = select(Round.id).where(Round.closes_at <= now, Round.reports_generated_at.is_(None),
                                   Round.status != "draft")
    return list(db.session.scalars(query))


def latest_published_version(form_id: int) -> FormVersion | None:
    """The newest published version of a form family."""
    return db.session.scalar(select(FormVersion)
                             .where(FormVersion.form_id == form_id,
                                    FormVersion.status == "published")
                             .order_by(FormVersion.version.desc()).limit(1))


def previous_round(round_: Round) -> Round | None:
    """The latest earlier round of the same form family (for comparisons)."""
    query = (
        select(Round)
        .join(FormVersion, Round.form_version_id == FormVersion.id)
        .where(FormVersion.form_id == round_.form_version.form_id, Round.id != round_.id,
               Round.closes_at <= round_.opens_at, Round.status != "draft")
        .order_by(Round.closes_at.desc())
        .limit(1)
    )
    return db.session.scalar(query)
