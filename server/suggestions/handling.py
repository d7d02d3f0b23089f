"""What officials do with a message: read it, assign it to someone, reply, close it, and
publish or withhold it (nothing a resident writes is shown publicly before that). Every
action is audited; the time of the first reply is kept for the reports."""

import unicodedata

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from server.audit.services import record
from server.auth.access import visible_unit_ids
from server.db_types import utcnow
from server.extensions import db
from server.people.models import User, user_units
from server.suggestions.boxes import HANDLING_ROLES, may_handle
from server.suggestions.models import (
    SuggestionBox,
    SuggestionContact,
    SuggestionMessage,
    SuggestionReply,
)
from server.suggestions.rules import SuggestionRuleError
from server.sync.text_hygiene import BrokenText, clean_text

REPLY_MAX = 4000
# What a list of messages shows of each, loaded with the page rather than row by row.
_LISTED = (selectinload(SuggestionMessage.box), selectinload(SuggestionMessage.topic),
           selectinload(SuggestionMessage.assigned_to))


def forbidden() -> SuggestionRuleError:
    return SuggestionRuleError("forbidden", "Bạn không quản lý đơn vị của hòm thư này.",
                               "You do not manage this box's unit.", status=403)


def check_may_handle(user: User, message: SuggestionMessage) -> None:
    if not may_handle(user, message.box.unit):
        raise forbidden()


def box_messages(box: SuggestionBox, status: str | None = None, page: int = 1,
                 per_page: int = 50) -> tuple[list[SuggestionMessage], int]:
    """A page of the box's messages, newest first, and how many there are in all."""
    query = select(SuggestionMessage).where(SuggestionMessage.box_id == box.id)
    if status:
        query = query.where(SuggestionMessage.status == status)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(
        query.options(*_LISTED)
        .order_by(SuggestionMessage.received_at.desc(), SuggestionMessage.id.desc())
        .limit(per_page).offset((max(page, 1) - 1) * per_page))
    return list(rows), total


def visible_messages(user: User, status: str | None = None,
                     limit: int = 100) -> list[SuggestionMessage]:
    """The newest messages of every box the user handles (the officials' inbox)."""
    query = (select(SuggestionMessage).join(SuggestionBox)
             .where(SuggestionBox.unit_id.in_(visible_unit_ids(user))))
    if status:
        query = query.where(SuggestionMessage.status == status)
    return list(db.session.scalars(query.options(*_LISTED)
                                   .order_by(SuggestionMessage.received_at.desc(),
                                             SuggestionMessage.id.desc()).limit(limit)))


def contact_for(user: User, message: SuggestionMessage) -> str | None:
    """The resident's contact details, for the official the message is assigned to only."""
    if message.assigned_to_id is None or message.assigned_to_id != user.id:
        return None
    contact = db.session.get(SuggestionContact, message.id)
    return contact.details if contact else None


def has_contact(message: SuggestionMessage) -> bool:
    return db.session.get(SuggestionContact, message.id) is not None


def possible_assignees(message: SuggestionMessage) -> list[User]:
    """Active admins and officials who handle the box's unit (assigned to it or above it)."""
    unit = message.box.unit
    above_or_at = [unit.id, *unit.ancestor_ids]
    officials = select(user_units.c.user_id).where(user_units.c.unit_id.in_(above_or_at))
    query = select(User).where(User.is_active.is_(True), User.role.in_(HANDLING_ROLES),
                               (User.role == "admin") | User.id.in_(officials))
    return list(db.session.scalars(query.order_by(User.display_name, User.id)))


def _require_open(message: SuggestionMessage) -> None:
    if message.status == "closed":
        raise SuggestionRuleError("message_closed", "Ý kiến này đã đóng.",
                                  "This message is closed.", status=409)


def assign(message: SuggestionMessage, actor: User, assignee: User) -> SuggestionMessage:
    check_may_handle(actor, message)
    _require_open(message)
    if not assignee.is_active or not may_handle(assignee, message.box.unit):
        raise SuggestionRuleError("assignee_not_allowed",
                                  "Người được giao phải là cán bộ phụ trách đơn vị của hòm thư.",
                                  "The assignee must be an official of the box's unit.")
    before = {"assigned_to_id": message.assigned_to_id, "status": message.status}
    message.assigned_to_id = assignee.id
    if message.status == "new":
        message.status = "assigned"
    db.session.flush()
    record(actor.id, "suggestion_message.assigned", "suggestion_message", message.id,
           {"before": before, "after": {"assigned_to_id": assignee.id, "status": message.status}})
    return message


def reply(message: SuggestionMessage, actor: User, text: str) -> SuggestionReply:
    check_may_handle(actor, message)
    _require_open(message)
    try:
        body = clean_text(unicodedata.normalize("NFC", text or "")).strip()
    except BrokenText:
        body = ""
    if not body:
        raise SuggestionRuleError("reply_required", "Vui lòng viết nội dung trả lời.",
                                  "Please write the reply.")
    if len(body) > REPLY_MAX:
        raise SuggestionRuleError("reply_too_long", f"Trả lời dài quá {REPLY_MAX} ký tự.",
                                  f"The reply is longer than {REPLY_MAX} characters.")
    now = utcnow()
    answer = SuggestionReply(message=message, author_id=actor.id, body=body, created_at=now)
    db.session.add(answer)
    before = {"status": message.status, "first_reply_at": message.first_reply_at}
    if message.first_reply_at is None:
        message.first_reply_at = now
    if message.assigned_to_id is None:
        message.assigned_to_id = actor.id
    message.status = "answered"
    db.session.flush()
    record(actor.id, "suggestion_message.replied", "suggestion_message", message.id,
           {"before": {**before, "first_reply_at": _iso(before["first_reply_at"])},
            "after": {"status": message.status, "reply_id": answer.id}})
    return answer


def close(message: SuggestionMessage, actor: User) -> SuggestionMessage:
    check_may_handle(actor, message)
    _require_open(message)
    before = message.status
    message.status = "closed"
    message.closed_at = utcnow()
    db.session.flush()
    record(actor.id, "suggestion_message.closed", "suggestion_message", message.id,
           {"before": {"status": before}, "after": {"status": "closed"}})
    return message


def moderate(message: SuggestionMessage, actor: User, publish: bool) -> SuggestionMessage:
    """Publish the message (masked) with its replies on the box's page, or withhold it."""
    check_may_handle(actor, message)
    before = message.moderation
    message.moderation = "published" if publish else "withheld"
    if before != message.moderation:
        db.session.flush()
        record(actor.id, f"suggestion_message.{message.moderation}", "suggestion_message",
               message.id, {"before": {"moderation": before},
                            "after": {"moderation": message.moderation}})
    return message


def published_messages(box: SuggestionBox, limit: int = 20) -> list[SuggestionMessage]:
    return list(db.session.scalars(
        select(SuggestionMessage)
        .where(SuggestionMessage.box_id == box.id, SuggestionMessage.moderation == "published")
        .order_by(SuggestionMessage.received_at.desc()).limit(limit)))


def message_by_receipt(receipt: str) -> SuggestionMessage | None:
    return db.session.scalar(select(SuggestionMessage)
                             .where(SuggestionMessage.receipt_code == receipt))


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None
