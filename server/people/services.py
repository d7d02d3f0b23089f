import unicodedata

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from server.extensions import db
from server.people.models import ROLES, User
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
