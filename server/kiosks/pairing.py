"""Pairing a tablet to a desk: the admin makes a one-time code (short, so it can be typed on
the tablet; expiring; single use), the tablet trades it for a device credential that can do
one thing: submit ratings for that desk.

Hashing and the credential's size are the sign-in codes' (server/auth/signin_codes.py): only
SHA-256 digests are stored. Pairing a new tablet does not unpair the others (a desk may have
two); making a new code revokes the desk's earlier unused codes. Guessing codes is throttled
per address with the login's counters (server/auth/throttle.py)."""

import math
import re
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from server.audit.services import record
from server.auth import throttle
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


def _refused() -> KioskRuleError:
    return KioskRuleError(
        "pairing_code_invalid",
        "Mã ghép nối không đúng, đã dùng hoặc đã hết hạn. Xin quản trị viên tạo mã mới.",
        "The pairing code is wrong, used or expired. Ask the admin for a new code.")


def _too_many(retry_after: int) -> KioskRuleError:
    minutes = max(1, math.ceil(retry_after / 60))
    return KioskRuleError(
        "too_many_attempts",
        f"Nhập sai mã ghép nối quá nhiều lần. Vui lòng thử lại sau {minutes} phút.",
        f"Too many wrong pairing codes. Please try again in {minutes} minutes.", 429,
        details={"retry_after": retry_after})


def normalise_code(text: str) -> str:
    """As typed ("abcd-2345", spaces, dashes) to the stored form."""
    return re.sub(r"[\s\-.]", "", text or "").upper()


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def issue_code(desk: KioskDesk, actor_id: int | None,
               now: datetime | None = None) -> tuple[str, KioskPairingCode]:
    """A new code for the desk (shown once); the desk's earlier unused codes stop working.
    A closed desk gets none."""
    if not desk.is_active:
        raise KioskRuleError("desk_closed", "Bàn này đã đóng; mở lại trước khi ghép máy.",
                             "The desk is closed; reopen it first.", 409)
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
        raise _refused()
    # Marking the code used in the same UPDATE that checks it: two tablets racing with
    # one code cannot both win.
    used = db.session.execute(update(KioskPairingCode).where(
        KioskPairingCode.code_hash == hash_code(code), KioskPairingCode.used_at.is_(None),
        KioskPairingCode.expires_at > now).values(used_at=now)
        .returning(KioskPairingCode.desk_id)).first()
    if used is None:
        raise _refused()
    desk = db.session.get(KioskDesk, used.desk_id)
    if desk is None or not desk.is_active:
        raise _refused()
    token = secrets.token_urlsafe(CODE_BYTES)
    device = KioskDevice(desk_id=desk.id, token_hash=hash_code(token), paired_at=now)
    db.session.add(device)
    db.session.flush()
    record(None, "kiosk.paired", "kiosk_desk", desk.id, {"kiosk_device_id": device.id})
    return token, device


def throttle_key(address: str) -> str:
    return "kiosk-pair:" + (address or "")[:140]


def pair_from(address: str, typed_code: str) -> tuple[str, KioskDevice]:
    """pair(), for a tablet at this client address: each attempt is counted against the
    address in the login's counters, in a transaction of its own and before the request's
    (see server.auth.throttle), so a refusal's rollback keeps it; a success gives it back.
    Past LOGIN_MAX_FAILURES_PER_ADDRESS failures in a window, refused with 429."""
    key = throttle_key(address)
    with throttle.own_transaction() as connection:
        retry_after = throttle.reserve_key(
            connection, key, current_app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"])
    if retry_after is not None:
        raise _too_many(retry_after)
    token, device = pair(typed_code)
    throttle.give_back(key)
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
