"""Taking in a batch of responses from a phone: each exactly once, each answered on its own.

Bulk throughout: one query for the UUIDs already stored, one for the batch's rounds (with
their units), one for their form versions' hashes (definitions are held per process: see
form_checks), one bulk insert of the new responses, one of the audit rows. The unique constraint on the UUID, not a check-then-insert, decides between two
uploads racing: if the bulk insert hits it, the batch falls back to one savepoint per
response and answers duplicate or conflict for those another upload stored first.

Every item is first admitted at the edge (intake.admit): what could break the batch further
in rejects that item alone. Admitting, hashing and validating the form come before the first
query, so on SQLite they run outside the write lock (server/sync/write_lock.py,
early_validation.py); everything decided on is read after, under it.

A conflict (different content under a stored UUID) is kept for review only when the item passes every check a new response would, may replace the stored
one (same round, a unit the volunteer collects in), and the volunteer has fewer than
MAX_OPEN_CONFLICTS conflicts waiting: review must never be a way around scope, nor a way to
flood the admins. Services flush; the request commits.
"""

import uuid as uuid_lib
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy import bindparam, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from server.api_fields import ID_MAX, ID_MIN
from server.audit.models import AuditEntry
from server.audit.services import entry_rows
from server.db_types import utcnow
from server.extensions import db
from server.people.models import User
from server.rounds.models import Round
from server.sync.assignments import assigned_units, collectible_units
from server.sync.content import Submission, prepare
from server.sync.early_validation import EarlyResult, early_result, validate_early
from server.sync.form_checks import FormCheck, form_checks
from server.sync.intake import admit, local_zone
from server.sync.models import Response, ResponseConflict
from server.sync.rules import check_submission

# Open (unreviewed) conflicts one volunteer may have; config MAX_OPEN_CONFLICTS_PER_VOLUNTEER.
MAX_OPEN_CONFLICTS = 50
# Core inserts on the tables: the rows are complete, and the ORM's bulk path only adds
# per-row bookkeeping (~15% of the inserts' CPU).
RESPONSE_INSERT = insert(Response.__table__)
AUDIT_INSERT = insert(AuditEntry.__table__)
# Built once: constructing the select on every batch cost as much as running it.
STORED_BY_UUID = select(Response.uuid, Response.content_hash, Response.round_id,
                        Response.unit_id).where(Response.uuid.in_(bindparam("uuids", expanding=True)))


@dataclass(slots=True, frozen=True)
class Stored:
    """What a stored response is, as far as a later upload under its UUID needs to know."""

    content_hash: str
    round_id: int
    unit_id: int


@dataclass(slots=True)
class Outcome:
    uuid: str  # canonical
    sent_uuid: str  # as the phone wrote it: what its result echoes
    submission: Submission | None  # None when refused at the edge
    status: str  # created, duplicate, conflict, rejected
    errors: list = field(default_factory=list)
    late: bool = False
    row: dict | None = None  # the Response row to insert, while created
    stored: Stored | None = None  # what a conflict differs from
    new_conflict: bool = False  # a conflict not already kept: a row to insert
    audit_ids: dict = field(default_factory=dict)  # round_id, unit_id, content_hash

    def reject(self, error: dict) -> None:
        self.status, self.errors, self.row, self.new_conflict = "rejected", [error], None, False

    def as_result(self) -> dict:
        result = {"uuid": self.sent_uuid, "status": self.status}
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
    form_versions: dict  # id -> FormCheck
    collectible: dict  # round id -> set of unit ids this volunteer may collect in
    early: dict[int, EarlyResult] = field(default_factory=dict)  # validated before the lock

    def validated_early(self, submission: Submission, version: FormCheck):
        return early_result(self.early, submission, version)


def _rounds_with_units(round_ids: set[int]) -> list[Round]:
    """The batch's rounds (not drafts), with their units."""
    if not round_ids:
        return []
    return list(db.session.scalars(select(Round).where(Round.id.in_(round_ids), Round.status != "draft")
                                   .options(selectinload(Round.units))))


def _load_context(volunteer: User, submissions: list[Submission], now: datetime,
                  early: dict[int, EarlyResult]) -> BatchContext:
    """Only the batch's rounds are read, by id: a round concerns the volunteer exactly when
    some unit is collectible in it (what rounds_concerning finds by a costlier query)."""
    assigned = assigned_units(volunteer)
    rounds, collectible = {}, {}
    for round_ in _rounds_with_units({s.round_id for s in submissions}) if assigned else []:
        units = {unit.id for unit in collectible_units(round_, assigned)}
        if units:
            rounds[round_.id], collectible[round_.id] = round_, units
    versions = form_checks({r.form_version_id for r in rounds.values()})
    return BatchContext(volunteer, now, rounds, versions, collectible, early)


def _stored_responses(uuids: set[str]) -> dict[str, Stored]:
    if not uuids:
        return {}
    rows = db.session.execute(STORED_BY_UUID, {"uuids": sorted(uuids)})
    return {uuid: Stored(content_hash, round_id, unit_id)
            for uuid, content_hash, round_id, unit_id in rows}


def _stored_as(submission: Submission) -> Stored:
    return Stored(submission.content_hash, submission.round_id, submission.unit_id)


def _response_row(submission: Submission, context: BatchContext, validated, late: bool) -> dict:
    return {"uuid": submission.uuid, "round_id": submission.round_id,
            "form_version_id": submission.form_version_id, "unit_id": submission.unit_id,
            "volunteer_id": context.volunteer.id, "started_at": submission.started_at,
            "completed_at": submission.completed_at, "received_at": context.now,
            "answers": validated.answers, "skipped": list(validated.skipped),
            "content_hash": submission.content_hash, "status": "accepted", "reasons": [],
            "is_late": late, "client": submission.client}


def _in_id_range(value) -> int | None:
    return value if ID_MIN <= value <= ID_MAX else None


def _refused(item: dict, errors: list) -> Outcome:
    """An item the edge refused: answered with its reasons, audited by its ids in range."""
    return Outcome(str(uuid_lib.UUID(item["uuid"])), item["uuid"], None, "rejected", errors,
                   audit_ids={"round_id": _in_id_range(item["round_id"]),
                              "unit_id": _in_id_range(item["unit_id"]), "content_hash": None})


def _decide(submission: Submission, known: Stored | None, context: BatchContext) -> Outcome:
    outcome = Outcome(submission.uuid, submission.sent_uuid, submission, "rejected",
                      audit_ids={"round_id": submission.round_id, "unit_id": submission.unit_id,
                                 "content_hash": submission.content_hash})
    if known is not None and known.content_hash == submission.content_hash:
        outcome.status = "duplicate"  # a resend of what is stored: acknowledged whatever changed since
        return outcome
    # A conflict is held to every check a new response must pass.
    check = check_submission(submission, context)
    if check.errors:
        outcome.errors = check.errors
    elif known is not None:
        outcome.status, outcome.stored = "conflict", known
    else:
        outcome.status, outcome.late = "created", check.late
        outcome.row = _response_row(submission, context, check.validated, check.late)
    return outcome


def _insert_created(outcomes: list[Outcome]) -> None:
    """Insert the new responses in bulk; when another upload stored one of them first
    (the unique constraint says so), go one by one and answer as a resend would be."""
    created = sorted((o for o in outcomes if o.status == "created"), key=lambda o: o.uuid)
    if not created:
        return
    try:
        with db.session.begin_nested():
            db.session.execute(RESPONSE_INSERT, [o.row for o in created])
        return
    except IntegrityError:
        pass
    lost = []
    for outcome in created:
        try:
            with db.session.begin_nested():
                db.session.execute(RESPONSE_INSERT, [outcome.row])
        except IntegrityError:
            lost.append(outcome)
    stored = _stored_responses({o.uuid for o in lost})
    for outcome in lost:
        known = stored.get(outcome.uuid)
        if known is None:  # not a lost race: something else refused it (a round deleted?)
            outcome.reject(_error("not_stored"))
        elif known.content_hash == outcome.submission.content_hash:
            outcome.status, outcome.row = "duplicate", None
        else:
            outcome.status, outcome.row, outcome.stored = "conflict", None, known


MESSAGES = {
    "not_stored": ("Máy chủ chưa lưu được phiếu này. Vui lòng gửi lại sau.",
                   "The server could not store this response. Please send it again later."),
    "uuid_in_use": ("Mã phiếu này đã thuộc về một phiếu khác mà bạn không được thay thế "
                    "(ở đợt khảo sát hoặc đơn vị ngoài phân công của bạn). Phiếu chưa được lưu.",
                    "This response's UUID already belongs to a response you may not replace "
                    "(in a round or unit outside your assignment). It was not stored."),
    "too_many_conflicts": ("Bạn đã có {limit} phiếu trùng mã đang chờ quản trị viên xem xét; "
                           "phiếu này chưa được lưu. Hãy liên hệ quản trị viên.",
                           "You already have {limit} conflicting uploads waiting for an "
                           "administrator's review; this one was not stored. Contact an "
                           "administrator."),
}


def _error(code: str, **params) -> dict:
    vi, en = MESSAGES[code]
    return {"question": None, "code": code,
            "message": {"vi": vi.format(**params), "en": en.format(**params)}}


def _may_replace(submission: Submission, stored: Stored, context: BatchContext) -> bool:
    """Whether an admin could let this upload replace the stored response: the same round,
    and the stored response's unit is one this volunteer collects in (the upload's own unit
    passed the scope check already)."""
    return (stored.round_id == submission.round_id
            and stored.unit_id in context.collectible.get(submission.round_id, ()))


def max_open_conflicts() -> int:
    return int(current_app.config.get("MAX_OPEN_CONFLICTS_PER_VOLUNTEER", MAX_OPEN_CONFLICTS))


def _open_conflicts(volunteer: User, uuids: set[str]) -> tuple[int, set[tuple[str, str]]]:
    """How many conflicts the volunteer has waiting, and which (uuid, hash) of these UUIDs
    are waiting already (from anyone). The volunteer's row is locked first (PostgreSQL; on
    SQLite writers are serialised anyway), so two batches cannot both pass the limit."""
    db.session.execute(select(User.id).where(User.id == volunteer.id).with_for_update())
    waiting = db.session.scalar(select(func.count(ResponseConflict.id)).where(
        ResponseConflict.volunteer_id == volunteer.id, ResponseConflict.resolved_at.is_(None)))
    kept = {(uuid, content_hash) for uuid, content_hash in db.session.execute(
        select(ResponseConflict.uuid, ResponseConflict.content_hash).where(
            ResponseConflict.uuid.in_(uuids), ResponseConflict.resolved_at.is_(None)))}
    return waiting, kept


def _settle_conflicts(outcomes: list[Outcome], context: BatchContext) -> None:
    candidates = [o for o in outcomes if o.status == "conflict"]
    for outcome in candidates:
        if not _may_replace(outcome.submission, outcome.stored, context):
            outcome.reject(_error("uuid_in_use"))
    candidates = [o for o in candidates if o.status == "conflict"]
    if not candidates:
        return
    limit = max_open_conflicts()
    waiting, kept = _open_conflicts(context.volunteer, {o.uuid for o in candidates})
    for outcome in candidates:
        key = (outcome.uuid, outcome.submission.content_hash)
        if key in kept:
            continue  # the same upload waits for review already: nothing new to keep
        if waiting >= limit:
            outcome.reject(_error("too_many_conflicts", limit=limit))
            continue
        kept.add(key)
        waiting += 1
        outcome.new_conflict = True


def _insert_conflicts(outcomes: list[Outcome], context: BatchContext) -> None:
    rows = [{"uuid": s.uuid, "volunteer_id": context.volunteer.id, "round_id": s.round_id,
             "form_version_id": s.form_version_id, "unit_id": s.unit_id, "answers": s.answers,
             "content_hash": s.content_hash, "payload": s.payload(), "received_at": context.now}
            for s in (o.submission for o in outcomes if o.new_conflict)]
    if rows:
        db.session.execute(insert(ResponseConflict), rows)


def _insert_audit(outcomes: list[Outcome], context: BatchContext) -> None:
    by_action: dict[str, list[tuple]] = {"submission.created": [], "submission.conflict": [],
                                         "submission.rejected": []}
    for outcome in outcomes:
        details = outcome.audit_ids
        if outcome.status == "created":
            by_action["submission.created"].append((outcome.uuid, {**details, "late": outcome.late}))
        elif outcome.new_conflict:
            by_action["submission.conflict"].append((outcome.uuid, details))
        elif outcome.status == "rejected":
            codes = sorted({error["code"] for error in outcome.errors})
            by_action["submission.rejected"].append((outcome.uuid, {**details, "codes": codes}))
    rows = [row for action, items in by_action.items() if items
            for row in entry_rows(context.volunteer.id, action, "response", items)]
    if rows:
        db.session.execute(AUDIT_INSERT, rows)


def ingest_batch(volunteer: User, items: list[dict], now: datetime | None = None) -> list[dict]:
    """Store a batch of loaded SubmissionSchema items; one result per item, in order."""
    now = now or utcnow()
    local = local_zone()
    admitted: list[Submission | Outcome] = []
    for item in items:
        admission = admit(item, local)
        admitted.append(prepare(admission.item, admission.nfc) if admission.item is not None
                        else _refused(item, admission.errors))
    submissions = [s for s in admitted if isinstance(s, Submission)]
    # Before the first query: on SQLite, outside the write lock (server/sync/write_lock.py).
    early = validate_early(submissions)
    stored = _stored_responses({s.uuid for s in submissions})
    context = _load_context(volunteer, submissions, now, early)
    outcomes = []
    for entry in admitted:
        if isinstance(entry, Outcome):
            outcomes.append(entry)
            continue
        outcome = _decide(entry, stored.get(entry.uuid), context)
        if outcome.status == "created":
            # the same UUID again later in this batch compares with this one
            stored[entry.uuid] = _stored_as(entry)
        outcomes.append(outcome)
    _insert_created(outcomes)
    _settle_conflicts(outcomes, context)
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
