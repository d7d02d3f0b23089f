"""Taking in a batch of responses from a phone: each exactly once, each answered on its own.

Bulk throughout: one query for the UUIDs already stored, one for the rounds (with their
units), one for the form versions, one bulk insert of the new responses, one of the audit
rows. The unique constraint on the UUID, not a check-then-insert, decides between two
uploads racing: if the bulk insert hits it, the batch falls back to one savepoint per
response and answers duplicate or conflict for those another upload stored first.
Services flush; the request commits.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from server.audit.models import AuditEntry
from server.audit.services import entry_rows
from server.db_types import utcnow
from server.extensions import db
from server.forms.models import FormVersion
from server.people.models import User
from server.sync.assignments import assigned_units, collectible_units, rounds_concerning
from server.sync.content import Submission, prepare
from server.sync.models import Response, ResponseConflict
from server.sync.rules import check_submission


@dataclass(slots=True)
class Outcome:
    submission: Submission
    status: str  # created, duplicate, conflict, rejected
    errors: list = field(default_factory=list)
    late: bool = False
    row: dict | None = None  # the Response row to insert, while created

    def as_result(self) -> dict:
        result = {"uuid": self.submission.sent_uuid, "status": self.status}
        if self.status == "rejected":
            result["errors"] = self.errors
        if self.status == "created" and self.late:
            result["late"] = True
        return result


@dataclass(slots=True)
class BatchContext:
    """What the checks need, loaded once per batch."""

    volunteer: User
    now: datetime
    rounds: dict
    form_versions: dict
    collectible: dict  # round id -> set of unit ids this volunteer may collect in


def _load_context(volunteer: User, submissions: list[Submission], now: datetime) -> BatchContext:
    assigned = assigned_units(volunteer)
    round_ids = {s.round_id for s in submissions}
    rounds = {r.id: r for r in rounds_concerning(assigned, round_ids, current_only=False)}
    version_ids = {r.form_version_id for r in rounds.values()}
    versions = {v.id: v for v in db.session.scalars(
        select(FormVersion).where(FormVersion.id.in_(version_ids)))} if version_ids else {}
    collectible = {r.id: {u.id for u in collectible_units(r, assigned)} for r in rounds.values()}
    return BatchContext(volunteer, now, rounds, versions, collectible)


def _stored_hashes(uuids: set[str]) -> dict[str, str]:
    if not uuids:
        return {}
    return dict(db.session.execute(
        select(Response.uuid, Response.content_hash).where(Response.uuid.in_(uuids))).all())


def _response_row(submission: Submission, context: BatchContext, validated, late: bool) -> dict:
    return {"uuid": submission.uuid, "round_id": submission.round_id,
            "form_version_id": submission.form_version_id, "unit_id": submission.unit_id,
            "volunteer_id": context.volunteer.id, "started_at": submission.started_at,
            "completed_at": submission.completed_at, "received_at": context.now,
            "answers": validated.answers, "skipped": list(validated.skipped),
            "content_hash": submission.content_hash, "status": "accepted", "reasons": [],
            "is_late": late, "client": submission.client}


def _decide(submission: Submission, known_hash: str | None, context: BatchContext) -> Outcome:
    if known_hash is not None:
        status = "duplicate" if known_hash == submission.content_hash else "conflict"
        return Outcome(submission, status)
    check = check_submission(submission, context)
    if check.errors:
        return Outcome(submission, "rejected", errors=check.errors)
    return Outcome(submission, "created", late=check.late,
                   row=_response_row(submission, context, check.validated, check.late))


def _insert_created(outcomes: list[Outcome]) -> None:
    """Insert the new responses in bulk; when another upload stored one of them first
    (the unique constraint says so), go one by one and answer as a resend would be."""
    created = sorted((o for o in outcomes if o.status == "created"), key=lambda o: o.submission.uuid)
    if not created:
        return
    try:
        with db.session.begin_nested():
            db.session.execute(insert(Response), [o.row for o in created])
        return
    except IntegrityError:
        pass
    lost = []
    for outcome in created:
        try:
            with db.session.begin_nested():
                db.session.execute(insert(Response), [outcome.row])
        except IntegrityError:
            lost.append(outcome)
    stored = _stored_hashes({o.submission.uuid for o in lost})
    for outcome in lost:
        known = stored.get(outcome.submission.uuid)
        if known is None:  # not a lost race: something else refused it (a round deleted?)
            outcome.status, outcome.errors = "rejected", [_not_stored_error()]
        else:
            outcome.status = "duplicate" if known == outcome.submission.content_hash else "conflict"
        outcome.row = None


def _not_stored_error() -> dict:
    return {"question": None, "code": "not_stored",
            "message": {"vi": "Máy chủ chưa lưu được phiếu này. Vui lòng gửi lại sau.",
                        "en": "The server could not store this response. Please send it again later."}}


def _insert_conflicts(outcomes: list[Outcome], context: BatchContext) -> None:
    rows = []
    for outcome in outcomes:
        if outcome.status != "conflict":
            continue
        s = outcome.submission
        rows.append({"uuid": s.uuid, "volunteer_id": context.volunteer.id,
                     "round_id": s.round_id if s.round_id in context.rounds else None,
                     "form_version_id": s.form_version_id if s.form_version_id in context.form_versions else None,
                     "unit_id": s.unit_id if _unit_known(s, context) else None,
                     "answers": s.answers, "content_hash": s.content_hash,
                     "payload": s.payload(), "received_at": context.now})
    if rows:
        db.session.execute(insert(ResponseConflict), rows)


def _unit_known(submission: Submission, context: BatchContext) -> bool:
    round_ = context.rounds.get(submission.round_id)
    return round_ is not None and submission.unit_id in context.collectible.get(round_.id, ())


def _insert_audit(outcomes: list[Outcome], context: BatchContext) -> None:
    by_action: dict[str, list[tuple]] = {"submission.created": [], "submission.conflict": [],
                                         "submission.rejected": []}
    for outcome in outcomes:
        s = outcome.submission
        details = {"round_id": s.round_id, "unit_id": s.unit_id, "content_hash": s.content_hash}
        if outcome.status == "created":
            by_action["submission.created"].append((s.uuid, {**details, "late": outcome.late}))
        elif outcome.status == "conflict":
            by_action["submission.conflict"].append((s.uuid, details))
        elif outcome.status == "rejected":
            codes = sorted({error["code"] for error in outcome.errors})
            by_action["submission.rejected"].append((s.uuid, {**details, "codes": codes}))
    rows = [row for action, items in by_action.items() if items
            for row in entry_rows(context.volunteer.id, action, "response", items)]
    if rows:
        db.session.execute(insert(AuditEntry), rows)


def ingest_batch(volunteer: User, items: list[dict], now: datetime | None = None) -> list[dict]:
    """Store a batch of loaded SubmissionSchema items; one result per item, in order."""
    now = now or utcnow()
    submissions = [prepare(item) for item in items]
    stored = _stored_hashes({s.uuid for s in submissions})
    context = _load_context(volunteer, submissions, now)
    outcomes = []
    for submission in submissions:
        outcome = _decide(submission, stored.get(submission.uuid), context)
        if outcome.status == "created":
            # the same UUID again later in this batch compares with this one
            stored[submission.uuid] = submission.content_hash
        outcomes.append(outcome)
    _insert_created(outcomes)
    _insert_conflicts(outcomes, context)
    _insert_audit(outcomes, context)
    return [outcome.as_result() for outcome in outcomes]


def held_submissions(volunteer: User, round_id: int | None = None) -> list:
    """What the server holds from this volunteer (for a phone reconciling its queue)."""
    query = select(Response.uuid, Response.round_id, Response.unit_id, Response.status,
                   Response.is_late, Response.content_hash, Response.completed_at,
                   Response.received_at).where(Response.volunteer_id == volunteer.id)
    if round_id is not None:
        query = query.where(Response.round_id == round_id)
    return list(db.session.execute(query.order_by(Response.received_at, Response.id)).mappings())
