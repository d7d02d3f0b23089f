"""A resident's message dropped in a box: cleaned, checked, throttled and stored once.

- Idempotent by the UUID made on the resident's phone: a message queued offline and sent
  again (a lost answer, a second tab) is stored once and gets the same receipt.
- Throttled per address and per box, counted in the database (the login counters) so every
  web worker sees one count; a resend of what is stored gives its count back.
- A honeypot field, invisible to people, that form-filling robots fill in.
- Nothing is published: a message stays "pending" until an official acts on it."""

import unicodedata
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from server.auth import throttle
from server.db_types import utcnow
from server.extensions import db
from server.suggestions.codes import new_receipt_code
from server.suggestions.models import SuggestionContact, SuggestionMessage
from server.suggestions.rules import SuggestionRuleError
from server.suggestions.topics import topic_by_key
from server.sync.text_hygiene import BrokenText, clean_text

MESSAGE_MAX = 2000
CONTACT_MAX = 300


@dataclass(frozen=True)
class Submission:
    client_uuid: str
    message: str
    topic: str | None = None
    rating: int | None = None
    contact: str | None = None
    honeypot: str = ""


def _text(value: str | None, field: str) -> str:
    try:
        text = clean_text(unicodedata.normalize("NFC", value or ""))
    except BrokenText:
        raise SuggestionRuleError(
            "broken_text", "Nội dung có ký tự lỗi, vui lòng gõ lại.",
            "The text holds a broken character; please type it again.",
            details={"field": field}) from None
    return text.strip()


def clean_submission(submission: Submission) -> dict:
    """The fields as stored, or a refusal that says what to fix."""
    if submission.honeypot.strip():
        raise SuggestionRuleError("automated_submission",
                                  "Ý kiến không được nhận: biểu mẫu bị điền tự động.",
                                  "The message was not taken: the form was filled in by a robot.")
    body = _text(submission.message, "message")
    if not body:
        raise SuggestionRuleError("message_required", "Vui lòng viết nội dung ý kiến.",
                                  "Please write your message.", details={"field": "message"})
    if len(body) > MESSAGE_MAX:
        raise SuggestionRuleError(
            "message_too_long",
            f"Ý kiến dài {len(body):,} ký tự, quá giới hạn {MESSAGE_MAX:,} ký tự. "
            "Vui lòng rút gọn.".replace(",", "."),
            f"The message has {len(body):,} characters, more than the {MESSAGE_MAX:,} allowed. "
            "Please shorten it.", details={"field": "message", "max_length": MESSAGE_MAX})
    topic = None
    if submission.topic:
        topic = topic_by_key(submission.topic)
        if topic is None or not topic.is_active:
            raise SuggestionRuleError("unknown_topic", "Chủ đề không có trong danh sách.",
                                      "The topic is not in the list.", details={"field": "topic"})
    contact = _text(submission.contact, "contact") or None
    if contact and len(contact) > CONTACT_MAX:
        raise SuggestionRuleError(
            "contact_too_long", f"Thông tin liên hệ dài quá {CONTACT_MAX} ký tự.",
            f"The contact details are longer than {CONTACT_MAX} characters.",
            details={"field": "contact", "max_length": CONTACT_MAX})
    return {"body": body, "topic": topic, "rating": submission.rating, "contact": contact}


# --- throttling ---------------------------------------------------------------------------------

def throttle_keys(address: str, box_code: str) -> list[tuple[str, int]]:
    config = current_app.config
    return [("suggest-addr:" + address[:140],
             int(config["SUGGESTION_MAX_PER_ADDRESS"])),
            ("suggest-box:" + box_code[:140],
             int(config["SUGGESTION_MAX_PER_BOX"]))]


def reserve(address: str, box_code: str) -> int | None:
    """Count this message against the address, then the box, in a transaction of its own
    (before the request's, see server.auth.throttle). None when it may go on; otherwise the
    seconds to wait."""
    with throttle.own_transaction() as connection:
        for key, limit in throttle_keys(address, box_code):
            retry_after = throttle.reserve_key(connection, key, limit)
            if retry_after is not None:
                return retry_after   # a blocked address does not use up the box's count
    return None


def give_back(address: str, box_code: str) -> None:
    for key, _ in throttle_keys(address, box_code):
        throttle.give_back(key)


# --- storing ----------------------------------------------------------------------------------

def _existing(client_uuid: str) -> SuggestionMessage | None:
    return db.session.scalar(select(SuggestionMessage)
                             .where(SuggestionMessage.client_uuid == client_uuid))


def _duplicate_of(box, found: SuggestionMessage) -> tuple[SuggestionMessage, bool]:
    if found.box_id != box.id:
        raise SuggestionRuleError("uuid_conflict",
                                  "Mã gửi này đã được dùng cho một hòm thư khác.",
                                  "This client UUID was used for another box.", status=409)
    return found, False


def receive(box, submission: Submission) -> tuple[SuggestionMessage, bool]:
    """(the stored message, True) when new; (the one stored before, False) for a resend."""
    client_uuid = submission.client_uuid.lower()
    found = _existing(client_uuid)
    if found is not None:
        return _duplicate_of(box, found)
    fields = clean_submission(submission)
    message = SuggestionMessage(
        box_id=box.id, client_uuid=client_uuid, receipt_code=new_receipt_code(),
        body=fields["body"], topic=fields["topic"], rating=fields["rating"],
        received_at=utcnow(), status="new", moderation="pending")
    try:
        with db.session.begin_nested():
            db.session.add(message)
            db.session.flush()
            if fields["contact"]:
                db.session.add(SuggestionContact(message_id=message.id, details=fields["contact"]))
                db.session.flush()
    except IntegrityError:
        # The same UUID arrived at the same moment from a second tab: that one won.
        found = _existing(client_uuid)
        if found is None:
            raise
        return _duplicate_of(box, found)
    return message, True
