"""Configuration from environment variables, with safe defaults for development."""

import os
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
        "SCHEDULER_ENABLED": _bool(env.get("SCHEDULER_ENABLED")),
        "TOKEN_LIFETIME_DAYS": int(env.get("TOKEN_LIFETIME_DAYS", "60")),
        "LOGIN_MAX_FAILURES_PER_USER": int(env.get("LOGIN_MAX_FAILURES_PER_USER", "10")),
        "LOGIN_MAX_FAILURES_PER_ADDRESS": int(env.get("LOGIN_MAX_FAILURES_PER_ADDRESS", "30")),
        "LOGIN_WINDOW_MINUTES": int(env.get("LOGIN_WINDOW_MINUTES", "15")),
        "SUPPRESSION_THRESHOLD": int(env.get("SUPPRESSION_THRESHOLD", "5")),
        "ISSUER_NAME": env.get("ISSUER_NAME", "Ủy ban Mặt trận Tổ quốc Việt Nam"),
        "DISPLAY_TIMEZONE": "Asia/Ho_Chi_Minh",
        "SUBMISSION_BATCH_MAX_ITEMS": 200,
        "SUBMISSION_BATCH_MAX_BYTES": 2 * 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool(env.get("SESSION_COOKIE_SECURE")),
        "PREFERRED_URL_SCHEME": env.get("PREFERRED_URL_SCHEME", "http"),
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
    config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(config["SQLALCHEMY_DATABASE_URI"])
    if not config.get("SECRET_KEY"):
        if config["ENVIRONMENT"] == "production":
            raise ConfigError("SECRET_KEY must be set in production (LANG_NGHE_ENV=production).")
        config["SECRET_KEY"] = DEV_SECRET
    elif config["ENVIRONMENT"] == "production" and config["SECRET_KEY"] == DEV_SECRET:
        raise ConfigError("SECRET_KEY must not be the development default in production.")
    return config
