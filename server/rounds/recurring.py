"""Recurring plans: "twice a year, 1–31 May and 1–30 November". The scheduler makes each
round `lead_days` before it opens, from the previous round's settings (units, targets,
late policy) with the latest published version of the form family."""

import logging
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from server.audit.services import record
from server.extensions import db
from server.rounds.models import RecurringPlan, Round
from server.rounds.services import (
    TITLE_MAX,
    TITLE_MIN,
    RoundRuleError,
    create_round,
    latest_published_version,
    targets_of,
)
from server.rounds.windows import display_zone, occurrences, parse_windows

log = logging.getLogger(__name__)

LEAD_DAYS_MAX = 365


@dataclass(frozen=True)
class ComingRound:
    opens_at: datetime
    closes_at: datetime
    created_at: datetime  # when the scheduler makes it: lead_days before it opens


def _checked(title: str, windows: list[dict], lead_days: int) -> tuple[str, list[dict]]:
    title = unicodedata.normalize("NFC", (title or "").strip())
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise RoundRuleError("bad_title", "Tên phải dài từ 3 đến 200 ký tự.",
                             "The title must be 3 to 200 characters long.")
    if not (isinstance(lead_days, int) and 0 <= lead_days <= LEAD_DAYS_MAX):
        raise RoundRuleError("bad_lead_days", "Số ngày tạo trước phải từ 0 đến 365.",
                             "Days ahead must be between 0 and 365.")
    return title, [window.as_dict() for window in parse_windows(windows)]


def _state(plan: RecurringPlan) -> dict:
    return {"title": plan.title, "windows": plan.windows, "lead_days": plan.lead_days,
            "is_active": plan.is_active}


def create_plan(template: Round, title: str, windows: list[dict], lead_days: int,
                actor_id: int | None) -> RecurringPlan:
    """A plan that repeats the template round; the template becomes its first round."""
    title, windows = _checked(title, windows, lead_days)
    plan = RecurringPlan(title=title, form_id=template.form_version.form_id, windows=windows,
                         template_round_id=template.id, lead_days=lead_days, is_active=True)
    db.session.add(plan)
    db.session.flush()
    if template.recurring_plan_id is None:
        template.recurring_plan_id = plan.id
        db.session.flush()
    record(actor_id, "recurring_plan.created", "recurring_plan", plan.id,
           {"template_round_id": template.id, "after": _state(plan)})
    return plan


def update_plan(plan: RecurringPlan, actor_id: int | None, title: str, windows: list[dict],
                lead_days: int) -> None:
    title, windows = _checked(title, windows, lead_days)
    before = _state(plan)
    plan.title, plan.windows, plan.lead_days = title, windows, lead_days
    db.session.flush()
    if _state(plan) != before:
        record(actor_id, "recurring_plan.updated", "recurring_plan", plan.id,
               {"before": before, "after": _state(plan)})


def set_active(plan: RecurringPlan, active: bool, actor_id: int | None) -> None:
    if plan.is_active == active:
        return
    plan.is_active = active
    db.session.flush()
    record(actor_id, "recurring_plan.resumed" if active else "recurring_plan.paused",
           "recurring_plan", plan.id,
           {"before": {"is_active": not active}, "after": {"is_active": active}})


def plan_rounds(plan: RecurringPlan) -> list[Round]:
    return list(db.session.scalars(select(Round).where(Round.recurring_plan_id == plan.id)
                                   .order_by(Round.opens_at)))


def _source_round(plan: RecurringPlan, made: list[Round]) -> Round | None:
    """The round the next one copies: the plan's latest, else its template."""
    if made:
        return made[-1]
    return db.session.get(Round, plan.template_round_id) if plan.template_round_id else None


def _anchor(plan: RecurringPlan, made: list[Round]) -> datetime:
    """Coming rounds open after the plan's last round (or its template) closes."""
    closes = [round_.closes_at for round_ in made]
    template = _source_round(plan, [])
    if template is not None:
        closes.append(template.closes_at)
    return max(closes) if closes else plan.created_at


def coming_rounds(plan: RecurringPlan, now: datetime, limit: int = 4) -> list[ComingRound]:
    """The next rounds the plan will make (skipping any window missed entirely)."""
    zone = display_zone()
    anchor = _anchor(plan, plan_rounds(plan))
    lead = timedelta(days=plan.lead_days)
    found = []
    windows = parse_windows(plan.windows)
    for opens_at, closes_at in occurrences(windows, zone, anchor.astimezone(zone).year - 1):
        if opens_at < anchor or closes_at <= now:
            continue
        found.append(ComingRound(opens_at, closes_at, opens_at - lead))
        if len(found) >= limit:
            return found
    return found


def _title(plan: RecurringPlan, coming: ComingRound) -> str:
    zone = display_zone()
    opens, closes = coming.opens_at.astimezone(zone), coming.closes_at.astimezone(zone)
    return f"{plan.title} – {opens:%d/%m}–{closes:%d/%m/%Y}"


def _make_round(plan: RecurringPlan, coming: ComingRound, made: list[Round]) -> Round | str:
    """The round for this window, or why it cannot be made."""
    source = _source_round(plan, made)
    if source is None:
        return "no previous round to copy"
    version = latest_published_version(plan.form_id)
    if version is None:
        return "no published version of the form"
    units = [unit for unit in source.units if unit.is_active]
    if not units:
        return "no active unit left"
    kept = {unit.id for unit in units}
    targets = {unit_id: target for unit_id, target in targets_of(source.id).items()
               if unit_id in kept and target is not None}
    round_ = create_round(_title(plan, coming), version, units, coming.opens_at, coming.closes_at,
                          source.target_per_unit, late_policy=source.late_policy,
                          unit_targets=targets, recurring_plan_id=plan.id)
    record(None, "round.created", "round", round_.id,
           {"by": "scheduler", "recurring_plan_id": plan.id, "source_round_id": source.id,
            "after": {"title": round_.title, "form_version_id": version.id,
                      "opens_at": round_.opens_at.isoformat(),
                      "closes_at": round_.closes_at.isoformat(), "units": len(units)}})
    return round_


def create_upcoming_rounds(now: datetime) -> dict:
    """Scheduler job: make every round whose time to be made (lead_days before it opens)
    has come. Idempotent: a made round moves the plan's anchor past its window."""
    created, skipped = [], []
    plans = db.session.scalars(select(RecurringPlan).where(RecurringPlan.is_active)
                               .order_by(RecurringPlan.id)).all()
    for plan in plans:
        while True:
            coming = coming_rounds(plan, now, limit=1)
            if not coming or coming[0].created_at > now:
                break
            made = _make_round(plan, coming[0], plan_rounds(plan))
            if isinstance(made, str):
                log.warning("recurring plan %s: %s", plan.id, made)
                skipped.append(f"plan {plan.id}: {made}")
                break
            created.append(made.id)
    return {"created": created, "skipped": skipped}
