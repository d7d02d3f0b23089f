"""Pairing a tablet to a desk: the admin makes a one-time code (short, so it can be typed on
the tablet; expiring; single use), the tablet trades it for a device credential that can do
one thing: submit ratings for that desk.

Hashing and the credential's size are the sign-in codes' (server/auth/signin_codes.py): only
SHA-256 digests are stored. Pairing a new tablet does not unpair the others (a desk may have
two); making a new code revokes the desk's earlier unused codes."""

import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from server.audit.services import record
from server.auth.signin_codes import CODE_BYTES, hash_code
from server.db_types import utcnow
from server.extensions import db
from server.kiosks.models import KioskDesk, KioskDevice, KioskPairingCode
from server.kiosks.rules import KioskRuleError

CODE_LIFETIME = timedelta(minutes=15)
# No 0/O, 1/I/L: read off a screen and typed on a tablet.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
_CODE_SHAPE = re.compile(r"[A-Z0-9]{8}")

CODE_REFUSED = KioskRuleError(
    400, "pairing_code_invalid",
    "Mã ghép nối không đúng, đã dùng hoặc đã hết hạn. Xin quản trị viên tạo mã mới.",
    "The pairing code is wrong, used or expired. Ask the admin for a new code.")


def normalise_code(text: str) -> str:
    """As typed ("abcd-2345", spaces, dashes) to the stored form."""
    return re.sub(r"[\s\-.]", "", text or "").upper()


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def issue_code(desk: KioskDesk, actor_id: int | None,
               now: datetime | None = None) -> tuple[str, KioskPairingCode]:
    """A new code for the desk (shown once); the desk's earlier unused codes stop working."""
    now = now or utcnow()
    db.session.execute(update(KioskPairingCode).where(
        KioskPairingCode.desk_id == desk.id, KioskPairingCode.used_at.is_(None),
        KioskPairingCode.expires_at > now).values(expires_at=now)
        .execution_options(synchronize_session="fetch"))
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    row = KioskPairingCode(desk_id=desk.id, code_hash=hash_code(code), created_at=now,
                           expires_at=now + CODE_LIFETIME, created_by_id=actor_id)
    db.session.add(row)
    db.session.flush()
    record(actor_id, "kiosk.pairing_code_issued", "kiosk_desk", desk.id,
           {"pairing_code_id": row.id, "expires_at": row.expires_at.isoformat()})
    return code, row


def pair(typed_code: str, now: datetime | None = None) -> tuple[str, KioskDevice]:
    """Trade a live code for a device credential (returned once). Unknown, used, expired and
    inactive-desk codes get one answer, so a guess learns nothing."""
    now = now or utcnow()
    code = normalise_code(typed_code)
    if not _CODE_SHAPE.fullmatch(code):
        raise CODE_REFUSED
    # Marking the code used in the same UPDATE that checks it: two tablets racing with
    # one code cannot both win.
    used = db.session.execute(update(KioskPairingCode).where(
        KioskPairingCode.code_hash == hash_code(code), KioskPairingCode.used_at.is_(None),
        KioskPairingCode.expires_at > now).values(used_at=now)
        .returning(KioskPairingCode.desk_id)).first()
    if used is None:
        raise CODE_REFUSED
    desk = db.session.get(KioskDesk, used.desk_id)
    if desk is None or not desk.is_active:
        raise CODE_REFUSED
    token = secrets.token_urlsafe(CODE_BYTES)
    device = KioskDevice(desk_id=desk.id, token_hash=hash_code(token), paired_at=now)
    db.session.add(device)
    db.session.flush()
    record(None, "kiosk.paired", "kiosk_desk", desk.id, {"kiosk_device_id": device.id})
    return token, device


def device_for_token(token: str) -> KioskDevice | None:
    """The live device this credential belongs to (its desk still active), else None."""
    if not token or len(token) > 200:
        return None
    device = db.session.scalar(select(KioskDevice).where(
        KioskDevice.token_hash == hash_code(token), KioskDevice.revoked_at.is_(None)))
    if device is None or not device.desk.is_active:
        return None
    return device


def unpair_all(desk: KioskDesk, actor_id: int | None) -> int:
    """Revoke every tablet of the desk (a stolen tablet, a desk closed)."""
    now = utcnow()
    count = db.session.execute(update(KioskDevice).where(
        KioskDevice.desk_id == desk.id, KioskDevice.revoked_at.is_(None))
        .values(revoked_at=now).execution_options(synchronize_session="fetch")).rowcount
    if count:
        record(actor_id, "kiosk.unpaired", "kiosk_desk", desk.id, {"devices": count})
    return count
