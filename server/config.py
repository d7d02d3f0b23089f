"""Configuration from environment variables, with safe defaults for development."""

import os
from datetime import timedelta
from pathlib import Path

DEV_SECRET = "dev-only-secret-not-for-production"


class ConfigError(RuntimeError):
    pass


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Accept the usual postgres:// forms and use the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def load_config(instance_path: str, overrides: dict | None = None) -> dict:
    env = os.environ
    environment = env.get("LANG_NGHE_ENV", env.get("FLASK_ENV", "development"))
    default_db = "sqlite:///" + str(Path(instance_path) / "lang_nghe.db")
    config = {
        "ENVIRONMENT": environment,
        "SECRET_KEY": env.get("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(env.get("DATABASE_URL", default_db)),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # How long a SQLite writer waits for the write lock before the request answers 503.
        "SQLITE_BUSY_TIMEOUT_MS": int(env.get("SQLITE_BUSY_TIMEOUT_MS", "10000")),
        "SCHEDULER_ENABLED": _bool(env.get("SCHEDULER_ENABLED")),
        "TOKEN_LIFETIME_DAYS": int(env.get("TOKEN_LIFETIME_DAYS", "60")),
        "LOGIN_MAX_FAILURES_PER_USER": int(env.get("LOGIN_MAX_FAILURES_PER_USER", "10")),
        "LOGIN_MAX_FAILURES_PER_ADDRESS": int(env.get("LOGIN_MAX_FAILURES_PER_ADDRESS", "30")),
        "LOGIN_WINDOW_MINUTES": int(env.get("LOGIN_WINDOW_MINUTES", "15")),
        # Web sessions (officials, admins): ended after this long without a request, and
        # after this long in any case; the cookie lives no longer than the latter.
        "WEB_SESSION_IDLE_HOURS": int(env.get("WEB_SESSION_IDLE_HOURS", "12")),
        "WEB_SESSION_MAX_HOURS": int(env.get("WEB_SESSION_MAX_HOURS", str(7 * 24))),
        "SUPPRESSION_THRESHOLD": int(env.get("SUPPRESSION_THRESHOLD", "5")),
        "ISSUER_NAME": env.get("ISSUER_NAME", "Ủy ban Mặt trận Tổ quốc Việt Nam"),
        "DISPLAY_TIMEZONE": "Asia/Ho_Chi_Minh",
        "SUBMISSION_BATCH_MAX_ITEMS": 200,
        # Open conflicts one volunteer may have at once; beyond it a conflicting item is rejected.
        "MAX_OPEN_CONFLICTS_PER_VOLUNTEER": int(env.get("MAX_OPEN_CONFLICTS_PER_VOLUNTEER", "50")),
        "SUBMISSION_BATCH_MAX_BYTES": 2 * 1024 * 1024,
        # Request bodies: any larger is a 413 before it is read. 4 MiB fits a form definition
        # of a few thousand questions; /submissions checks its own limit (compressed and not).
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", str(4 * 1024 * 1024))),
        # Smaller limits for routes by URL rule: a login is a few hundred bytes.
        "ROUTE_MAX_CONTENT_LENGTH": {"/api/v1/auth/token": 16 * 1024, "/login": 16 * 1024,
                                     "/api/v1/auth/signin-code": 16 * 1024},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE")),
        "PREFERRED_URL_SCHEME": env.get("PREFERRED_URL_SCHEME", "http"),
        # The address printed on sign-in cards (e.g. https://langnghe.example.vn); empty:
        # the address the admin's browser used to reach the console.
        "PUBLIC_BASE_URL": env.get("PUBLIC_BASE_URL", ""),
        "TRUSTED_PROXIES": int(env.get("TRUSTED_PROXIES", "0")),
        # flask-smorest / OpenAPI
        "API_TITLE": "Lắng Nghe API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "JSON_SORT_KEYS": False,
    }
    config.update(overrides or {})
    config.setdefault("PERMANENT_SESSION_LIFETIME",
                      timedelta(hours=config["WEB_SESSION_MAX_HOURS"]))
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(config["SQLALCHEMY_DATABASE_URI"])
    if not config.get("SECRET_KEY"):
        if config["ENVIRONMENT"] == "production":
            raise ConfigError("Thiếu SECRET_KEY / SECRET_KEY must be set in production "
                              "(LANG_NGHE_ENV=production): export SECRET_KEY=\"$(python3 -c "
                              "'import secrets; print(secrets.token_hex(32))')\"")
        config["SECRET_KEY"] = DEV_SECRET
    elif config["ENVIRONMENT"] == "production" and config["SECRET_KEY"] == DEV_SECRET:
        raise ConfigError("SECRET_KEY must not be the development default in production: "
                          "set a long random value.")
    return config
