"""Hiding a comment from a round's reports, showing it again, and marking the round's
reports final (after which neither is possible).

The rule for "before the report is final": moderation stays open until an admin marks the
round's reports final (`Round.reports_final_at`, only once the round has closed); an admin
may reopen it. Every hide and un-hide raises the round's data version, so each cached
report is made again without the comment (or with it), and writes one audit entry per
comment changed ("hide all identical" on a group of five writes five, each naming the
action's size). Services flush; the request commits.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, insert

from server.audit.models import AuditEntry
from server.audit.services import entry_rows, record
from server.database import UPSERT_INSERTS
from server.db_types import utcnow
from server.errors import ApiError
from server.extensions import db
from server.moderation.comments import Occurrence, comment_groups
from server.moderation.models import HiddenComment
from server.people.models import User
from server.rounds.models import Round
from server.sync.round_data import mark_answers_changed
from server.sync.text_hygiene import BrokenText, clean_text
from server.units.models import Unit

# code -> (Vietnamese, English): why a comment leaves the report
MODERATION_REASONS = {
    "personal_info": ("Lộ thông tin cá nhân (chưa được che hết)",
                      "Personal details (not all masked)"),
    "offensive": ("Lời lẽ xúc phạm, thô tục", "Offensive or abusive language"),
    "off_topic": ("Không liên quan đến khảo sát, quảng cáo", "Off-topic or advertising"),
    "meaningless": ("Nội dung vô nghĩa, nhập thử", "Meaningless or a test entry"),
    "other": ("Lý do khác (ghi rõ)", "Other reason (say which)"),
}
NOTE_MAX = 500


@dataclass(frozen=True, slots=True)
class ModerationResult:
    changed: int        # comments hidden (or shown again) by this action
    unchanged: int      # already in that state


def reason_label(code: str, lang: str = "vi") -> str:
    vi, en = MODERATION_REASONS.get(code, (code, code))
    return en if lang == "en" else vi


def clean_note(raw: str | None, reason: str) -> str | None:
    """The free text as stored: NFC, trimmed, no invisible controls; required with "other"."""
    try:
        note = clean_text(unicodedata.normalize("NFC", raw or "")).strip()
    except BrokenText:
        raise ApiError(400, "note_invalid", "Ghi chú chứa ký tự bị lỗi.",
                       {"message_en": "The note contains a broken character."}) from None
    if len(note) > NOTE_MAX:
        raise ApiError(400, "note_too_long", f"Ghi chú dài quá {NOTE_MAX} ký tự.",
                       {"message_en": f"The note is longer than {NOTE_MAX} characters."})
    if reason == "other" and not note:
        raise ApiError(400, "note_required", "Chọn “Lý do khác” thì hãy ghi rõ lý do.",
                       {"message_en": "With “Other reason”, say what the reason is."})
    return note or None


def _check_reason(reason: str | None) -> str:
    if reason not in MODERATION_REASONS:
        raise ApiError(400, "reason_required", "Hãy chọn lý do ẩn ý kiến.",
                       {"message_en": "Choose a reason for hiding the comment.",
                        "reasons": list(MODERATION_REASONS)})
    return reason


def moderation_open(round_: Round) -> bool:
    return round_.reports_final_at is None


def _ensure_open(round_: Round) -> None:
    if not moderation_open(round_):
        raise ApiError(409, "reports_final",
                       "Báo cáo của đợt này đã được chốt: không thể ẩn hay hiện lại ý kiến.",
                       {"message_en": "This round's reports are final: comments can no longer "
                                      "be hidden or shown again."})


def _targets(round_: Round, unit: Unit, refs: Iterable[tuple[int, str]],
             identical: bool) -> list[Occurrence]:
    """The occurrences meant: each ref must be a comment the report of `unit` counts; with
    `identical`, every comment identical to one of them below the unit as well."""
    refs = list(dict.fromkeys(refs))
    if not refs:
        raise ApiError(400, "nothing_selected", "Chưa chọn ý kiến nào.",
                       {"message_en": "No comment selected."})
    groups = comment_groups(round_, unit)
    group_of = {occurrence.ref: group for group in groups for occurrence in group.occurrences}
    missing = [ref for ref in refs if ref not in group_of]
    if missing:
        raise ApiError(404, "comment_not_found",
                       "Không tìm thấy ý kiến này trong báo cáo của đơn vị.",
                       {"message_en": "No such comment in this unit's report.",
                        "comments": [{"response_id": r, "question": q} for r, q in missing]})
    if not identical:
        found = {occurrence.ref: occurrence for group in groups
                 for occurrence in group.occurrences}
        return [found[ref] for ref in refs]
    chosen = list(dict.fromkeys(id(group_of[ref]) for ref in refs))
    by_id = {id(group): group for group in groups}
    return [occurrence for key in chosen for occurrence in by_id[key].occurrences]


def _audit(actor: User, action: str, round_: Round, unit: Unit,
           changed: list[tuple[Occurrence, dict]]) -> None:
    """One entry per comment changed, each naming the size of the action it was part of."""
    if not changed:
        return
    items = [(f"{o.response_id}/{o.question}"[:64],
              {"round_id": round_.id, "unit_id": unit.id, "response_id": o.response_id,
               "question": o.question, "comments_in_action": len(changed), **details})
             for o, details in changed]
    db.session.execute(insert(AuditEntry), entry_rows(actor.id, action, "comment", items))


def hide_comments(round_: Round, unit: Unit, actor: User, refs: Iterable[tuple[int, str]],
                  reason: str | None, note: str | None = None,
                  identical: bool = False) -> ModerationResult:
    """Hide the comments from every report of the round (the caller checked that the actor
    may see `unit`'s report; the comments must lie below it)."""
    _ensure_open(round_)
    reason = _check_reason(reason)
    note = clean_note(note, reason)
    occurrences = _targets(round_, unit, refs, identical)
    table = HiddenComment.__table__
    upsert = UPSERT_INSERTS[db.session.get_bind().dialect.name]
    now, changed = utcnow(), []
    for occurrence in occurrences:
        if occurrence.hidden is not None:
            continue
        # ON CONFLICT DO NOTHING: of two people hiding the same comment at once, one does it
        statement = upsert(table).values(
            round_id=round_.id, response_id=occurrence.response_id, question=occurrence.question,
            reason=reason, note=note, hidden_by_id=actor.id, hidden_at=now,
        ).on_conflict_do_nothing(index_elements=[table.c.response_id, table.c.question])
        # RETURNING, not rowcount: psycopg reports -1 for an INSERT that may return rows
        if db.session.execute(statement.returning(table.c.id)).first() is not None:
            changed.append(occurrence)
    if changed:
        mark_answers_changed(round_.id)
    details = {"reason": reason, "reason_label": reason_label(reason), "note": note,
               "identical": identical}
    _audit(actor, "comment.hidden", round_, unit, [(o, details) for o in changed])
    db.session.flush()
    return ModerationResult(len(changed), len(occurrences) - len(changed))


def unhide_comments(round_: Round, unit: Unit, actor: User, refs: Iterable[tuple[int, str]],
                    identical: bool = False) -> ModerationResult:
    """Show hidden comments in the reports again."""
    _ensure_open(round_)
    occurrences = _targets(round_, unit, refs, identical)
    changed = []
    for occurrence in occurrences:
        if occurrence.hidden is None:
            continue
        hidden = occurrence.hidden
        details = {"identical": identical,
                   "before": {"reason": hidden.reason, "note": hidden.note,
                              "hidden_by_id": hidden.hidden_by_id,
                              "hidden_at": hidden.hidden_at.isoformat()}}
        result = db.session.execute(
            delete(HiddenComment).where(HiddenComment.response_id == occurrence.response_id,
                                        HiddenComment.question == occurrence.question)
            .execution_options(synchronize_session=False))
        if result.rowcount == 1:
            changed.append((occurrence, details))
    if changed:
        mark_answers_changed(round_.id)
    _audit(actor, "comment.unhidden", round_, unit, changed)
    db.session.flush()
    return ModerationResult(len(changed), len(occurrences) - len(changed))


def set_reports_final(round_: Round, actor: User, final: bool) -> Round:
    """An admin marks the round's reports final (moderation closes) or reopens moderation."""
    if final:
        if round_.effective_status() != "closed":
            raise ApiError(409, "round_not_closed",
                           "Chỉ chốt báo cáo được khi đợt khảo sát đã kết thúc.",
                           {"message_en": "Reports can be marked final only once the round "
                                          "has closed."})
        if round_.reports_final_at is not None:
            raise ApiError(409, "already_final", "Báo cáo của đợt này đã được chốt.",
                           {"message_en": "This round's reports are already final."})
        round_.reports_final_at = utcnow()
        record(actor.id, "round.reports_final", "round", round_.id,
               {"reports_final_at": round_.reports_final_at.isoformat()})
    else:
        if round_.reports_final_at is None:
            raise ApiError(409, "not_final", "Báo cáo của đợt này chưa được chốt.",
                           {"message_en": "This round's reports are not final."})
        record(actor.id, "round.reports_reopened", "round", round_.id,
               {"reports_final_at_before": round_.reports_final_at.isoformat()})
        round_.reports_final_at = None
    db.session.flush()
    return round_
