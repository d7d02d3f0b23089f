"""A one-stop desk (bàn một cửa) of a unit, the tablets paired to it, the one-time codes that
pair them, and the ratings residents give on them.

Codes and device credentials are stored as SHA-256 only (as sign-in codes are): a database
dump pairs no tablet."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.db_types import JSONType, UTCDateTime, utcnow
from server.extensions import db
from server.units.models import Unit

DEFAULT_MIN_INTERVAL_SECONDS = 20
# Why a rating is kept but left out of the figures: too_soon after the previous one at the
# desk (its minimum interval), or part of a burst no queue of residents can make.
FLAGS = ("too_soon", "burst")


class KioskDesk(db.Model):
    __tablename__ = "kiosk_desks"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # The procedures (thủ tục) residents pick from: ["Chứng thực", "Hộ tịch", ...].
    services: Mapped[list] = mapped_column(JSONType, default=list)
    min_interval_seconds: Mapped[int] = mapped_column(default=DEFAULT_MIN_INTERVAL_SECONDS)
    is_active: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    unit: Mapped[Unit] = relationship()


class KioskPairingCode(db.Model):
    __tablename__ = "kiosk_pairing_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("kiosk_desks.id", ondelete="CASCADE"),
                                         index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class KioskDevice(db.Model):
    __tablename__ = "kiosk_devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("kiosk_desks.id", ondelete="CASCADE"),
                                         index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    paired_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    desk: Mapped[KioskDesk] = relationship()


class KioskRating(db.Model):
    __tablename__ = "kiosk_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    desk_id: Mapped[int] = mapped_column(ForeignKey("kiosk_desks.id", ondelete="CASCADE"),
                                         index=True)
    device_id: Mapped[int | None] = mapped_column(
        ForeignKey("kiosk_devices.id", ondelete="SET NULL"))
    # Made on the tablet: a rating queued offline and sent twice is stored once.
    client_uuid: Mapped[str] = mapped_column(String(36), unique=True)
    score: Mapped[int] = mapped_column()                      # 1..5, 4 and 5 are satisfied
    service: Mapped[str | None] = mapped_column(String(120))
    comment: Mapped[str | None] = mapped_column(String(200))
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)   # the tap
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    flag: Mapped[str | None] = mapped_column(String(16))

    desk: Mapped[KioskDesk] = relationship()
