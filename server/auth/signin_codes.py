"""One-time sign-in codes: what a volunteer's sign-in card carries in its QR code
(/app/#signin=<code>), so that scanning it signs the phone in with no typing.

A code is random (256 bits, URL-safe) and shown once, on the card; only its SHA-256 is
stored. It works once, for LIFETIME, and only for an active volunteer. Printing new cards
for a person revokes their earlier unused codes (one live card per person), and so does
ending their logins (deactivation, a new password: people.services.end_logins)."""

import hashlib
import re
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from server.audit.services import record
from server.auth.models import SigninCode
from server.db_types import utcnow
from server.extensions import db
from server.people.models import User

LIFETIME = timedelta(days=14)
CODE_BYTES = 32
# What a code can look like (token_urlsafe); anything else is refused without a query.
_CODE_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,128}")


@dataclass(frozen=True)
class IssuedCode:
    user: User
    code: str              # shown once, on the card; never stored
    record: SigninCode


class CodeRefused(Exception):
    """invalid: unknown, used, expired, revoked or not a volunteer's (one answer for all,
    so a guess learns nothing); other_user: live, but the phone asked for another person's."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def can_have_card(user: User) -> bool:
    return user.is_active and user.role == "volunteer"


def _live(now: datetime):
    """The conditions of a code that still works: unused, unrevoked, unexpired, and its
    person an active volunteer."""
    return (SigninCode.used_at.is_(None), SigninCode.revoked_at.is_(None),
            SigninCode.expires_at > now,
            SigninCode.user_id.in_(select(User.id).where(User.is_active.is_(True),
                                                         User.role == "volunteer")))


def live_codes(user_id: int, now: datetime | None = None) -> list[SigninCode]:
    """The person's codes that would still sign a phone in, newest first."""
    return list(db.session.scalars(select(SigninCode).where(
        SigninCode.user_id == user_id, *_live(now or utcnow()))
        .order_by(SigninCode.created_at.desc(), SigninCode.id.desc())))


def _live_counts(user_ids: list[int], now: datetime) -> Counter:
    rows = db.session.execute(select(SigninCode.user_id, func.count()).where(
        SigninCode.user_id.in_(user_ids), *_live(now)).group_by(SigninCode.user_id))
    return Counter(dict(rows.all()))


def revoke_codes(user_ids: list[int], now: datetime | None = None) -> int:
    """Revoke every unused code of these people; returns how many still worked."""
    now = now or utcnow()
    live = sum(_live_counts(user_ids, now).values())
    db.session.execute(update(SigninCode).where(
        SigninCode.user_id.in_(user_ids), SigninCode.used_at.is_(None),
        SigninCode.revoked_at.is_(None)).values(revoked_at=now)
        .execution_options(synchronize_session="fetch"))
    return live


def issue_codes(users: list[User], actor_id: int | None,
                now: datetime | None = None) -> list[IssuedCode]:
    """A new code for each person (their earlier unused codes revoked); audited per person:
    who printed a card for whom. Refuses anyone who cannot have a card."""
    refused = [user.username for user in users if not can_have_card(user)]
    if refused:
        raise ValueError(f"sign-in cards are for active volunteers only: {', '.join(refused)}")
    now = now or utcnow()
    user_ids = [user.id for user in users]
    earlier = _live_counts(user_ids, now)
    revoke_codes(user_ids, now)
    issued = []
    for user in users:
        code = secrets.token_urlsafe(CODE_BYTES)
        row = SigninCode(code_hash=hash_code(code), user_id=user.id, created_by_id=actor_id,
                         created_at=now, expires_at=now + LIFETIME)
        db.session.add(row)
        issued.append(IssuedCode(user=user, code=code, record=row))
    db.session.flush()
    for item in issued:
        record(actor_id, "user.signin_card_printed", "user", item.user.id, {
            "before": {"live_signin_cards": earlier[item.user.id]},
            "after": {"live_signin_cards": 1},
            "signin_code_id": item.record.id,
            "expires_at": item.record.expires_at.isoformat()})
    return issued


def revoke_cards(user: User, actor_id: int | None) -> int:
    """An admin revokes the person's sign-in cards; audited when any still worked."""
    count = revoke_codes([user.id])
    if count:
        record(actor_id, "user.signin_cards_revoked", "user", user.id,
               {"before": {"live_signin_cards": count}, "after": {"live_signin_cards": 0}})
    return count


def redeem(code: str, only_for_user_id: int | None = None,
           now: datetime | None = None) -> tuple[User, SigninCode]:
    """Use a code: its person and row, or CodeRefused. Single use under any race: one
    UPDATE ... WHERE still-live marks it used, and only the request whose UPDATE changed
    the row gets in (on PostgreSQL a second UPDATE waits for the first to commit, then
    finds the row used). `only_for_user_id`: the phone holds that person's unsent
    responses, so a live code of someone else is refused (other_user) and left unused."""
    now = now or utcnow()
    if not isinstance(code, str) or not _CODE_SHAPE.fullmatch(code):
        raise CodeRefused("invalid")
    found = db.session.execute(select(SigninCode.id, SigninCode.user_id).where(
        SigninCode.code_hash == hash_code(code), *_live(now))).first()
    if found is None:
        raise CodeRefused("invalid")
    if only_for_user_id is not None and found.user_id != only_for_user_id:
        raise CodeRefused("other_user")
    result = db.session.execute(update(SigninCode).where(
        SigninCode.id == found.id, *_live(now)).values(used_at=now)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise CodeRefused("invalid")   # another phone used it a moment ago
    row = db.session.get(SigninCode, found.id, populate_existing=True)
    return row.user, row
