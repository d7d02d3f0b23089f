"""Jinja globals and filters for the web pages."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app


def local_time(value: datetime | None, fmt: str = "%d/%m/%Y %H:%M") -> str:
    """A UTC datetime shown in the display zone (Asia/Ho_Chi_Minh)."""
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])).strftime(fmt)


def init_app(app: Flask) -> None:
    from server.auth.web import current_web_user

    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.globals["current_web_user"] = current_web_user
