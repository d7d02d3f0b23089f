import re
import secrets
import unicodedata

from sqlalchemy import func, select, update
from werkzeug.security import generate_password_hash

from server.audit.services import record
from server.auth.signin_codes import revoke_codes
from server.auth.tokens import revoke_user_tokens
from server.auth.web_sessions import end_user_sessions
from server.db_types import utcnow
from server.errors import RuleError
from server.extensions import db
from server.people.models import ROLES, DeviceToken, User
from server.sync.text_hygiene import clean_text
from server.units.models import Unit

# scrypt: slow on purpose, salted; werkzeug's format carries its parameters.
PASSWORD_METHOD = "scrypt"


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=PASSWORD_METHOD)


def create_user(username: str, password: str, role: str, display_name: str | None = None,
                units: list[Unit] | tuple = (), is_demo: bool = False) -> User:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    username = unicodedata.normalize("NFC", username.strip().lower())
    if not username:
        raise ValueError("username is required")
    if db.session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ValueError(f"user {username!r} already exists")
    user = User(
        username=username,
        display_name=unicodedata.normalize("NFC", (display_name or username).strip()),
        password_hash=hash_password(password),
        role=role,
        units=list(units),
        is_demo=is_demo,
    )
    db.session.add(user)
    db.session.flush()
    return user


def find_user(username: str) -> User | None:
    username = unicodedata.normalize("NFC", username.strip().lower())
    return db.session.scalar(select(User).where(User.username == username))


def end_logins(user: User) -> None:
    """End every login of the user: device tokens, web sessions and unused sign-in cards."""
    revoke_user_tokens(user.id)
    end_user_sessions(user.id)
    revoke_codes([user.id])


def set_password(user: User, password: str) -> None:
    """A new password ends every login made with the old one (a saved cookie included)."""
    user.password_hash = hash_password(password)
    end_logins(user)


def set_active(user: User, active: bool) -> None:
    user.is_active = active
    if not active:
        end_logins(user)


# --- managing people (the console and the API share these) ---------------------------------

USERNAME_PATTERN = r"^[a-z0-9._-]{2,80}$"
_USERNAME = re.compile(USERNAME_PATTERN)
DISPLAY_NAME_MAX = 200
# A password hash that no password matches (werkzeug finds no method in it): a person
# imported without a password signs in with a sign-in card until one is set.
NO_PASSWORD = "!no-password"
# Generated passwords: no look-alike characters (0/o, 1/l/i), grouped for reading aloud.
_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


class PersonRuleError(RuleError):
    """A change the rules refuse; the message says why, Vietnamese first."""

    def __init__(self, code: str, message_vi: str, message_en: str, status: int = 400,
                 details: dict | None = None):
        super().__init__(code, message_vi, message_en, status, details=details)


def normalise_username(text: str) -> str:
    username = unicodedata.normalize("NFC", (text or "").strip().lower())
    if not _USERNAME.match(username):
        raise PersonRuleError("bad_username",
                              "Tên đăng nhập gồm 2–80 chữ thường không dấu, số, “.”, “_” hoặc “-”.",
                              "A username has 2–80 lowercase letters, digits, '.', '_' or '-'.")
    return username


def normalise_display_name(text: str) -> str:
    name = " ".join(clean_text(unicodedata.normalize("NFC", text or "")).split())
    if not name:
        raise PersonRuleError("missing_name", "Thiếu họ tên.", "The name is missing.")
    if len(name) > DISPLAY_NAME_MAX:
        raise PersonRuleError("name_too_long", f"Họ tên dài quá {DISPLAY_NAME_MAX} ký tự.",
                              f"The name is longer than {DISPLAY_NAME_MAX} characters.")
    return name


def normalise_phone(text: str | None) -> str | None:
    """Digits (a leading + kept), spaces, dots and dashes dropped; None when empty."""
    raw = (text or "").strip()
    if not raw:
        return None
    phone = re.sub(r"[\s.\-()]", "", raw)
    if not re.fullmatch(r"\+?\d{8,15}", phone):
        raise PersonRuleError("bad_phone", f"Số điện thoại không hợp lệ: “{raw[:40]}”.",
                              f"Not a phone number: “{raw[:40]}”.")
    return phone


def check_role(role: str) -> str:
    if role not in ROLES:
        raise PersonRuleError("bad_role", "Vai trò không hợp lệ.", "Unknown role.")
    return role


def generate_password() -> str:
    """Fifteen characters in three groups (about 70 bits), shown once and never stored."""
    return "-".join("".join(secrets.choice(_PASSWORD_ALPHABET) for _ in range(5))
                    for _ in range(3))


def has_password(user: User) -> bool:
    return user.password_hash != NO_PASSWORD


def resolve_units(unit_ids) -> list[Unit]:
    """The units with these ids, all of them, or PersonRuleError naming those missing."""
    unit_ids = sorted(set(unit_ids))
    units = db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids))).all() if unit_ids else []
    missing = sorted(set(unit_ids) - {unit.id for unit in units})
    if missing:
        raise PersonRuleError("unknown_unit", "Không tìm thấy đơn vị được phân công.",
                              "Unknown unit ids.", details={"unit_ids": missing})
    return list(units)


def person_snapshot(user: User) -> dict:
    """What the audit log keeps of a person, before and after a change (never a password)."""
    return {"username": user.username, "display_name": user.display_name, "phone": user.phone,
            "role": user.role, "is_active": user.is_active,
            "unit_codes": sorted(unit.code for unit in user.units)}


def add_person(actor_id: int | None, username: str, display_name: str, role: str,
               units: list[Unit] | tuple = (), phone: str | None = None,
               password: str | None = None) -> tuple[User, str | None]:
    """A new person; returns the user and the password generated for them (None when one
    was given). Audited without the password."""
    username = normalise_username(username)
    display_name = normalise_display_name(display_name)
    check_role(role)
    phone = normalise_phone(phone)
    if find_user(username) is not None:
        raise PersonRuleError("user_exists", "Tên đăng nhập đã tồn tại.",
                              f"The username {username!r} is taken.", status=409)
    generated = generate_password() if password is None else None
    user = create_user(username, password or generated, role, display_name, units=units)
    user.phone = phone
    db.session.flush()
    record(actor_id, "user.created", "user", user.id, {"after": person_snapshot(user)})
    return user, generated


def _active_admins_besides(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(User).where(
        User.role == "admin", User.is_active, User.id != user.id))


def _keep_an_admin(user: User) -> None:
    if user.role == "admin" and user.is_active and not _active_admins_besides(user):
        raise PersonRuleError("last_admin", "Đây là quản trị viên cuối cùng đang hoạt động.",
                              "This is the last active admin.", status=409)


_UNSET = object()


def update_person(user: User, actor_id: int | None, display_name=_UNSET, phone=_UNSET,
                  role=_UNSET, units=_UNSET) -> bool:
    """Change a person's name, phone, role or units; False when nothing changed."""
    before = person_snapshot(user)
    if display_name is not _UNSET:
        user.display_name = normalise_display_name(display_name)
    if phone is not _UNSET:
        user.phone = normalise_phone(phone)
    if role is not _UNSET and check_role(role) != user.role:
        if actor_id == user.id:
            raise PersonRuleError("own_role", "Bạn không thể đổi vai trò của chính mình.",
                                  "You cannot change your own role.", status=409)
        _keep_an_admin(user)
        user.role = role
        end_logins(user)  # what the logins may do changed with the role
    if units is not _UNSET:
        user.units = list(units)
    after = person_snapshot(user)
    if after == before:
        return False
    db.session.flush()
    record(actor_id, "user.updated", "user", user.id, {"before": before, "after": after})
    return True


def activate_person(user: User, active: bool, actor_id: int | None) -> bool:
    """(De)activate a person; deactivating ends their logins (devices and web sessions)."""
    if user.is_active == active:
        return False
    if not active:
        if actor_id == user.id:
            raise PersonRuleError("own_account", "Bạn không thể tự ngừng tài khoản của mình.",
                                  "You cannot deactivate your own account.", status=409)
        _keep_an_admin(user)
    set_active(user, active)
    record(actor_id, "user.activated" if active else "user.deactivated", "user", user.id,
           {"before": {"is_active": not active}, "after": {"is_active": active}})
    return True


def change_password(user: User, password: str, actor_id: int | None) -> None:
    """Set a given password (ends every login made with the old one); audited, not kept."""
    set_password(user, password)
    record(actor_id, "user.password_changed", "user", user.id,
           {"before": {"password": "(hidden)"}, "after": {"password": "(changed)"},
            "logins_ended": True})


def reset_password(user: User, actor_id: int | None) -> str:
    """A new generated password, returned once to show; only its hash is kept."""
    password = generate_password()
    set_password(user, password)
    record(actor_id, "user.password_reset", "user", user.id,
           {"before": {"password": "(hidden)"}, "after": {"password": "(generated)"},
            "logins_ended": True})
    return password


def live_devices(user: User) -> list[DeviceToken]:
    """The person's device tokens that still work."""
    return list(db.session.scalars(select(DeviceToken).where(
        DeviceToken.user_id == user.id, DeviceToken.revoked_at.is_(None),
        DeviceToken.expires_at > utcnow()).order_by(DeviceToken.created_at.desc())))


def revoke_devices(user: User, actor_id: int | None, token_id: int | None = None) -> int:
    """Sign the person's phones out (all, or the one token): the next sync asks for a login.
    Returns how many tokens were revoked."""
    live_before = len(live_devices(user))
    query = update(DeviceToken).where(DeviceToken.user_id == user.id,
                                      DeviceToken.revoked_at.is_(None))
    if token_id is not None:
        query = query.where(DeviceToken.id == token_id)
    count = db.session.execute(query.values(revoked_at=utcnow())
                               .execution_options(synchronize_session="fetch")).rowcount
    if count:
        record(actor_id, "user.devices_revoked", "user", user.id,
               {"before": {"live_devices": live_before},
                "after": {"live_devices": len(live_devices(user))},
                "token_id": token_id, "revoked": count})
    return count
