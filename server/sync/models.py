from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db_types import JSONType, UTCDateTime, utcnow
from server.extensions import db
from server.people.models import User
from server.rounds.models import Round
from server.units.models import Unit

RESPONSE_STATUSES = ("accepted", "flagged", "rejected")


class Response(db.Model):
    """One resident's answers (phiếu), identified by the UUID made on the phone."""

    __tablename__ = "responses"
    # Reads of a round answered from an index alone (no row fetched from the table):
    # the export streams a round in completion order (migration 0012); the progress page
    # counts a round per unit, volunteer and local day (migration 0013, every column the
    # counts need).
    __table_args__ = (
        Index("ix_responses_round_completed", "round_id", "completed_at", "id"),
        Index("ix_responses_round_progress", "round_id", "unit_id", "volunteer_id",
              "completed_at", "received_at", "status", "is_late", "excluded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    # no index of its own: every index below and ix_responses_round_unit_status start with it
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"))
    form_version_id: Mapped[int] = mapped_column(ForeignKey("form_versions.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answers: Mapped[dict] = mapped_column(JSONType)
    # Questions hidden by skip logic: tells "skipped by logic" from "missing".
    skipped: Mapped[list] = mapped_column(JSONType, default=list)
    content_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="accepted")
    reasons: Mapped[list] = mapped_column(JSONType, default=list)
    is_late: Mapped[bool] = mapped_column(default=False)
    client: Mapped[dict] = mapped_column(JSONType, default=dict)
    # Excluded from reports and exports by an admin (a test, a fake), with a reason; undoable.
    excluded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    excluded_reason: Mapped[str | None] = mapped_column(String(500))
    excluded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    round: Mapped[Round] = relationship()
    unit: Mapped[Unit] = relationship()
    volunteer: Mapped[User] = relationship(foreign_keys=[volunteer_id])


class ResponseConflict(db.Model):
    """A second, different upload under a UUID already stored: kept for an admin to review."""

    __tablename__ = "response_conflicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"))
    form_version_id: Mapped[int | None] = mapped_column(ForeignKey("form_versions.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    answers: Mapped[dict] = mapped_column(JSONType)
    content_hash: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSONType)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "kept_stored" or "used_submitted", decided by an admin.
    resolution: Mapped[str | None] = mapped_column(String(16))
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
