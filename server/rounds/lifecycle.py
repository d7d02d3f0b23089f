"""A round's life: planned, open, closed. The scheduler moves it at its times; an admin may
close it early, extend it, reopen it or move a planned round. Every change is audited with
its before and after."""

from datetime import datetime

from sqlalchemy import update

from server.audit.services import record
from server.db_types import utcnow
from server.extensions import db
from server.rounds.models import LATE_POLICIES, Round
from server.rounds.services import (
    TARGET_MAX,
    TARGET_MIN,
    TITLE_MAX,
    TITLE_MIN,
    RoundRuleError,
    check_window,
    set_unit_targets,
)

SYSTEM = {"by": "scheduler"}


def _window(round_: Round) -> dict:
    return {"status": round_.status, "opens_at": round_.opens_at.isoformat(),
            "closes_at": round_.closes_at.isoformat()}


def _audit(actor_id: int | None, action: str, round_: Round, before: dict, after: dict) -> None:
    record(actor_id, action, "round", round_.id, {"before": before, "after": after})


def _refuse(code: str, vi: str, en: str):
    raise RoundRuleError(code, vi, en)


def close_early(round_: Round, actor_id: int | None, now: datetime | None = None) -> None:
    """Close an open round now: later uploads count as late (or are refused, by its policy)."""
    now = now or utcnow()
    if round_.effective_status(now) != "open":
        _refuse("round_not_open", "Chỉ đóng sớm được đợt đang diễn ra.",
                "Only an open round can be closed early.")
    before = _window(round_)
    round_.status, round_.closes_at = "closed", now
    db.session.flush()
    _audit(actor_id, "round.closed_early", round_, before, _window(round_))


def extend(round_: Round, closes_at: datetime, actor_id: int | None,
           now: datetime | None = None) -> None:
    """Move the close of a planned or open round later."""
    now = now or utcnow()
    if round_.effective_status(now) not in ("planned", "open", "draft"):
        _refuse("round_closed", "Đợt đã kết thúc: hãy mở lại thay vì gia hạn.",
                "The round has closed: reopen it instead of extending it.")
    if closes_at <= round_.closes_at:
        _refuse("not_later", "Thời gian đóng mới phải sau thời gian đóng hiện tại.",
                "The new closing time must be after the current one.")
    before = _window(round_)
    round_.closes_at = closes_at
    db.session.flush()
    _audit(actor_id, "round.extended", round_, before, _window(round_))


def reopen(round_: Round, closes_at: datetime, actor_id: int | None,
           now: datetime | None = None) -> None:
    """Open a closed round again until closes_at; its reports are made again at the close."""
    now = now or utcnow()
    if round_.effective_status(now) != "closed":
        _refuse("round_not_closed", "Chỉ mở lại được đợt đã kết thúc.",
                "Only a closed round can be reopened.")
    if closes_at <= now:
        _refuse("close_in_past", "Thời gian đóng mới phải ở tương lai.",
                "The new closing time must be in the future.")
    before = _window(round_)
    round_.status = "open" if round_.opens_at <= now else "scheduled"
    round_.closes_at = closes_at
    round_.reports_generated_at = None
    db.session.flush()
    _audit(actor_id, "round.reopened", round_, before, _window(round_))


def reschedule(round_: Round, opens_at: datetime, closes_at: datetime, actor_id: int | None,
               now: datetime | None = None) -> None:
    """Move the whole window of a round that has not opened yet."""
    now = now or utcnow()
    if round_.effective_status(now) not in ("planned", "draft"):
        _refuse("round_started", "Đợt đã bắt đầu: chỉ có thể gia hạn hoặc đóng sớm.",
                "The round has started: it can only be extended or closed early.")
    check_window(opens_at, closes_at, now)
    before = _window(round_)
    round_.opens_at, round_.closes_at = opens_at, closes_at
    db.session.flush()
    _audit(actor_id, "round.rescheduled", round_, before, _window(round_))


def set_draft(round_: Round, to_draft: bool, actor_id: int | None,
              now: datetime | None = None) -> None:
    """Hide a planned round as a draft, or publish a draft (it opens by its dates)."""
    now = now or utcnow()
    if (round_.status == "draft") == to_draft:
        return
    if to_draft and round_.effective_status(now) != "planned":
        _refuse("round_started", "Chỉ đợt chưa bắt đầu mới chuyển về nháp được.",
                "Only a round that has not started can go back to draft.")
    before = _window(round_)
    round_.status = "draft" if to_draft else "scheduled"
    db.session.flush()
    _audit(actor_id, "round.drafted" if to_draft else "round.published", round_, before,
           _window(round_))


def update_settings(round_: Round, actor_id: int | None, **changes) -> dict:
    """Title, default target and late policy, all checked before any is applied;
    returns {field: [before, after]} for what changed."""
    checks = {
        "title": lambda v: isinstance(v, str) and TITLE_MIN <= len(v.strip()) <= TITLE_MAX,
        "target_per_unit": lambda v: isinstance(v, int) and TARGET_MIN <= v <= TARGET_MAX,
        "late_policy": lambda v: v in LATE_POLICIES,
    }
    for name, value in changes.items():
        if not checks[name](value):
            _refuse(f"bad_{name}", "Giá trị không hợp lệ.", f"Invalid {name}.")
    changes = {name: value.strip() if name == "title" else value for name, value in changes.items()}
    changed = {name: [getattr(round_, name), value] for name, value in changes.items()
               if getattr(round_, name) != value}
    for name, (_, value) in changed.items():
        setattr(round_, name, value)
    if changed:
        db.session.flush()
        record(actor_id, "round.updated", "round", round_.id,
               {"before": {k: v[0] for k, v in changed.items()},
                "after": {k: v[1] for k, v in changed.items()}})
    return changed


def change_targets(round_: Round, targets: dict[int, int | None], actor_id: int | None) -> dict:
    changed = set_unit_targets(round_, targets)
    if changed:
        record(actor_id, "round.targets_changed", "round", round_.id,
               {"before": {str(k): v[0] for k, v in changed.items()},
                "after": {str(k): v[1] for k, v in changed.items()}})
    return changed


def _move(from_status: str, to_status: str, condition, now: datetime, action: str) -> list[int]:
    """Move every round matching the condition in one conditional UPDATE (so an admin's
    change made meanwhile is never overwritten), audited as the scheduler."""
    moved = db.session.execute(
        update(Round).where(Round.status == from_status, condition)
        .values(status=to_status).returning(Round.id, Round.opens_at, Round.closes_at)
        .execution_options(synchronize_session=False)).all()
    for round_id, opens_at, closes_at in moved:
        record(None, action, "round", round_id,
               {**SYSTEM, "at": now.isoformat(), "opens_at": opens_at.isoformat(),
                "closes_at": closes_at.isoformat(),
                "before": {"status": from_status}, "after": {"status": to_status}})
    return [round_id for round_id, _, _ in moved]


def advance_round_statuses(now: datetime) -> dict:
    """Scheduler job: mark rounds open at their opening and closed at their closing (a round
    whose whole window passed while the scheduler was down goes straight to closed)."""
    is_over = Round.closes_at <= now
    closed = (_move("open", "closed", is_over, now, "round.closed")
              + _move("scheduled", "closed", is_over, now, "round.closed"))
    opened = _move("scheduled", "open", (Round.opens_at <= now) & (Round.closes_at > now), now,
                   "round.opened")
    db.session.expire_all()  # rows changed behind the ORM's back
    return {"opened": sorted(opened), "closed": sorted(closed)}
