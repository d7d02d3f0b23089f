"""The suggestion box (hòm thư góp ý điện tử): boxes placed for a unit, the messages residents
drop in them, the officials' replies, and the topic list the admin maintains.

A resident's contact details live in their own table: only the official handling the message
reads them, and nothing that lists or counts messages ever joins it."""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db_types import UTCDateTime, utcnow
from server.extensions import db
from server.people.models import User
from server.units.models import Unit

# new: not yet taken up; assigned: someone handles it; answered: it has a reply; closed: done.
MESSAGE_STATUSES = ("new", "assigned", "answered", "closed")
# Nothing a resident writes is shown to the public until an official publishes it.
MODERATION_STATES = ("pending", "published", "withheld")


class SuggestionTopic(db.Model):
    __tablename__ = "suggestion_topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    label_vi: Mapped[str] = mapped_column(String(120))
    label_en: Mapped[str] = mapped_column(String(120))
    label_km: Mapped[str | None] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa_true())

    def label(self, lang: str) -> str:
        if lang == "km" and self.label_km:
            return self.label_km
        return self.label_en if lang in ("en", "km") else self.label_vi


class SuggestionBox(db.Model):
    __tablename__ = "suggestion_boxes"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The random code in the box's public address (/y-kien/<code>) and on its poster.
    code: Mapped[str] = mapped_column(String(16), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    is_open: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    unit: Mapped[Unit] = relationship()


class SuggestionMessage(db.Model):
    __tablename__ = "suggestion_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    box_id: Mapped[int] = mapped_column(ForeignKey("suggestion_boxes.id"), index=True)
    # Made on the resident's phone: a message queued offline and sent twice is stored once.
    client_uuid: Mapped[str] = mapped_column(String(36), unique=True)
    # What the resident is given to follow the message up (/y-kien/theo-doi/<receipt>).
    receipt_code: Mapped[str] = mapped_column(String(16), unique=True)
    body: Mapped[str] = mapped_column(Text)
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("suggestion_topics.id"))
    rating: Mapped[int | None] = mapped_column()
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    status: Mapped[str] = mapped_column(String(16), default="new")
    moderation: Mapped[str] = mapped_column(String(16), default="pending")
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    first_reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    box: Mapped[SuggestionBox] = relationship()
    topic: Mapped[SuggestionTopic | None] = relationship()
    assigned_to: Mapped[User | None] = relationship()
    replies: Mapped[list["SuggestionReply"]] = relationship(
        order_by="SuggestionReply.id", back_populates="message")


class SuggestionContact(db.Model):
    """How to reach the resident who asked for an answer: shown to the handling official only."""

    __tablename__ = "suggestion_contacts"

    message_id: Mapped[int] = mapped_column(
        ForeignKey("suggestion_messages.id", ondelete="CASCADE"), primary_key=True)
    details: Mapped[str] = mapped_column(String(300))


class SuggestionReply(db.Model):
    __tablename__ = "suggestion_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("suggestion_messages.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    message: Mapped[SuggestionMessage] = relationship(back_populates="replies")
