from datetime import datetime

from sqlalchemy import Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db_types import JSONType, UTCDateTime, utcnow
from server.extensions import db
from server.forms.models import FormVersion
from server.units.models import Unit

ROUND_STATUSES = ("draft", "scheduled", "open", "closed")

round_units = Table(
    "round_units",
    db.metadata,
    Column("round_id", ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
    # The unit's own target; None means the round's target_per_unit.
    Column("target", Integer, nullable=True),
)

LATE_POLICIES = ("accept", "refuse")


class Round(db.Model):
    """A survey round (đợt khảo sát): one form version, a time window, a set of units."""

    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(200))
    form_version_id: Mapped[int] = mapped_column(ForeignKey("form_versions.id"), index=True)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    target_per_unit: Mapped[int] = mapped_column(default=20)
    # draft: being planned; scheduled: published, opens by its dates; open and closed: set
    # by the scheduler at its times (lifecycle.py), or closed early / reopened by an admin.
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reports_generated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Set by an admin when the round's reports are final: comments can no longer be hidden
    # or shown again (server/moderation). None: moderation still open.
    reports_final_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Raised by every change to the round's stored answers (conflict replaced, response
    # excluded...), so report fingerprints change with the data they rest on.
    data_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Responses completed after closing: "accept" (stored, marked late) or "refuse".
    late_policy: Mapped[str] = mapped_column(String(16), default="accept", server_default="accept")
    recurring_plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("recurring_plans.id", ondelete="SET NULL"), index=True)
    # The report as an administrative document (server/rounds/document.py): who issues it,
    # its number, where it is signed, who signs it and who receives it. None: the default.
    document_issuer: Mapped[str | None] = mapped_column(String(200))
    document_superior: Mapped[str | None] = mapped_column(String(200))
    document_number: Mapped[str | None] = mapped_column(String(40))
    document_place: Mapped[str | None] = mapped_column(String(100))
    document_signer_title: Mapped[str | None] = mapped_column(String(200))
    document_signer_name: Mapped[str | None] = mapped_column(String(100))
    document_recipients: Mapped[list | None] = mapped_column(JSONType)

    form_version: Mapped[FormVersion] = relationship()
    units: Mapped[list[Unit]] = relationship(secondary=round_units, order_by=Unit.path)

    def effective_status(self, now: datetime | None = None) -> str:
        """draft, planned, open or closed, from the status and the time window."""
        now = now or utcnow()
        if self.status == "draft":
            return "draft"
        if self.status == "closed" or now >= self.closes_at:
            return "closed"
        if now < self.opens_at:
            return "planned"
        return "open"


class RecurringPlan(db.Model):
    """"Twice a year, 1–31 May and 1–30 November": rounds made ahead of time from the
    previous round's settings (units, targets, latest published version of the form)."""

    __tablename__ = "recurring_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id"), index=True)
    # [{"open_month": 5, "open_day": 1, "close_month": 5, "close_day": 31}, ...]
    windows: Mapped[list] = mapped_column(JSONType)
    # The round whose units and targets the next round copies (then the latest made).
    template_round_id: Mapped[int | None] = mapped_column(
        ForeignKey("rounds.id", ondelete="SET NULL", use_alter=True))
    lead_days: Mapped[int] = mapped_column(default=30)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
