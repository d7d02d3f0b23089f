"""Receiving ratings from a paired tablet: idempotent by the UUID the tablet made (a rating
queued offline and sent twice is stored once), and flagged, never lost, when it comes too
soon after the previous one at the desk or inside a burst no queue of residents can make.
Flagged ratings are kept for the admin and left out of the figures.

Why not the survey's submission path (server/sync): a survey response belongs to a round, a
form version and a volunteer's login, and its rules (late policy, conflicts by content hash)
are about those. A rating has none of them: it belongs to a desk, is made by a tablet with a
desk-only credential, and has one score. Bending the sync path to take it would mean
nullable round/form/volunteer columns on every response and branches in its rules, so the
rating has its own small endpoint with the same principle: a client UUID, an insert that is
idempotent under races, one result per item, and the client deleting only what the server
acknowledged."""

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError

from server.db_types import utcnow
from server.extensions import db
from server.kiosks.models import KioskDevice, KioskRating
from server.sync.text_hygiene import BrokenText, clean_text

BURST_WINDOW = timedelta(seconds=60)
# This many ratings at one desk inside a minute (the new one included) is a burst: a desk
# serves one resident at a time, and handing back a file takes longer than that.
BURST_LIMIT = 10
MAX_AGE = timedelta(days=30)
SATISFIED_SCORES = (4, 5)


@dataclass(frozen=True)
class RatingIn:
    client_uuid: str
    score: int
    rated_at: datetime
    service: str | None = None
    comment: str | None = None


def _one_line(text: str | None) -> str | None:
    if text is None:
        return None
    cleaned = unicodedata.normalize("NFC", " ".join(clean_text(text).split()))
    return cleaned or None


def _rejected(item: RatingIn, code: str, vi: str, en: str) -> dict:
    return {"client_uuid": item.client_uuid, "result": "rejected", "flag": None,
            "error": {"code": code, "message": vi, "message_en": en}}


def flag_for(desk_id: int, rated_at: datetime, min_interval_seconds: int) -> str | None:
    """burst, too_soon or None, from the desk's stored ratings around this moment."""
    window_start = rated_at - BURST_WINDOW
    in_window = db.session.scalar(select(func.count()).select_from(KioskRating).where(
        KioskRating.desk_id == desk_id, KioskRating.rated_at > window_start,
        KioskRating.rated_at <= rated_at))
    if in_window + 1 >= BURST_LIMIT:
        return "burst"
    if min_interval_seconds > 0:
        interval = timedelta(seconds=min_interval_seconds)
        near = db.session.scalar(select(func.count()).select_from(KioskRating).where(
            KioskRating.desk_id == desk_id, KioskRating.rated_at > rated_at - interval,
            KioskRating.rated_at < rated_at + interval))
        if near:
            return "too_soon"
    return None


def _store(device: KioskDevice, item: RatingIn, now: datetime) -> dict:
    existing = db.session.scalar(select(KioskRating).where(
        KioskRating.client_uuid == item.client_uuid))
    if existing is not None:
        return _known(existing, device, item)
    rated_at = min(item.rated_at, now)          # a tablet clock ahead counts as "now"
    if rated_at < now - MAX_AGE:
        return _rejected(item, "too_old",
                         "Đánh giá này đã quá 30 ngày, không thể nhận nữa.",
                         "This rating is older than 30 days and can no longer be taken.")
    try:
        service, comment = _one_line(item.service), _one_line(item.comment)
    except BrokenText:
        return _rejected(item, "text_invalid", "Ý kiến có ký tự hỏng, không đọc được.",
                         "The comment holds a broken character.")
    desk = device.desk
    row = KioskRating(desk_id=desk.id, device_id=device.id, client_uuid=item.client_uuid,
                      score=item.score, service=service, comment=comment, rated_at=rated_at,
                      received_at=now,
                      flag=flag_for(desk.id, rated_at, desk.min_interval_seconds))
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        # The same rating arrived by another request in the meantime.
        existing = db.session.scalar(select(KioskRating).where(
            KioskRating.client_uuid == item.client_uuid))
        return _known(existing, device, item)
    return {"client_uuid": item.client_uuid, "result": "created", "flag": row.flag,
            "error": None}


def _known(existing: KioskRating, device: KioskDevice, item: RatingIn) -> dict:
    if existing.desk_id != device.desk_id:
        return _rejected(item, "uuid_taken", "Mã đánh giá này đã được dùng ở bàn khác.",
                         "This rating's id is already used at another desk.")
    return {"client_uuid": item.client_uuid, "result": "duplicate", "flag": existing.flag,
            "error": None}


def receive(device: KioskDevice, items: list[RatingIn]) -> list[dict]:
    """One result per item, in the order sent: created, duplicate or rejected (with why).
    Items are judged in the order they were tapped, so a queue sent late flags the same
    ratings as one sent at once."""
    now = utcnow()
    order = sorted(range(len(items)), key=lambda i: (items[i].rated_at, i))
    results: list[dict | None] = [None] * len(items)
    for index in order:
        results[index] = _store(device, items[index], now)
    return results


# --- what the admin sees ------------------------------------------------------------------------

def _day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(), tzinfo=zone)
    return start, start + timedelta(days=1)


def hourly_counts(desk_id: int, day: date, zone: ZoneInfo) -> list[dict]:
    """The desk's ratings of one local day, per hour: all, flagged, satisfied (unflagged)."""
    start, end = _day_bounds(day, zone)
    rows = db.session.execute(select(KioskRating.rated_at, KioskRating.flag, KioskRating.score)
                              .where(KioskRating.desk_id == desk_id,
                                     KioskRating.rated_at >= start, KioskRating.rated_at < end))
    hours = [{"hour": h, "total": 0, "flagged": 0, "satisfied": 0} for h in range(24)]
    for rated_at, flag, score in rows:
        cell = hours[rated_at.astimezone(zone).hour]
        cell["total"] += 1
        if flag:
            cell["flagged"] += 1
        elif score in SATISFIED_SCORES:
            cell["satisfied"] += 1
    return hours


def flagged_ratings(desk_id: int, limit: int = 100) -> list[KioskRating]:
    return list(db.session.scalars(select(KioskRating).where(
        and_(KioskRating.desk_id == desk_id, KioskRating.flag.is_not(None)))
        .order_by(KioskRating.rated_at.desc()).limit(limit)))
