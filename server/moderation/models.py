from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.db_types import UTCDateTime, utcnow
from server.extensions import db


class HiddenComment(db.Model):
    """One comment (a response's answer to one comment question) hidden from the reports.

    Un-hiding deletes the row: the audit log keeps the history. The response and its answer
    stay as they were, so the admin export still has the text, marked hidden."""

    __tablename__ = "hidden_comments"
    __table_args__ = (UniqueConstraint("response_id", "question",
                                       name="uq_hidden_comments_response_question"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id", ondelete="CASCADE"))
    question: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(String(32))          # a code of MODERATION_REASONS
    note: Mapped[str | None] = mapped_column(String(500))    # free text beside the code
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    hidden_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
