"""Jinja globals and filters for the web pages, and versioned static URLs.

Every `url_for('static', filename=...)` carries `?v=<first 12 hex digits of the file's
SHA-256>`, so a page always names the current bytes and a browser may keep a versioned URL
for a year (`immutable`): a changed file gets a new URL. A request whose `v` is not the
file's current version (an old page, a hand-made URL) and a plain URL are answered
`no-cache` (revalidated with the ETag), never cached for long with the wrong bytes.

ES modules imported by a page's entry module (`import ... from './tables.js'`) are fetched
by the browser without `v` (a relative import drops the query), so they are revalidated on
each page (a 304 when unchanged) and never go stale behind an immutable entry module. That
costs one small conditional request per imported module (the form designer has ~20), and
keeps the files on disk exactly as written, so nginx can serve them straight from disk
with the same rule (deploy/nginx-lang-nghe.conf). An inline import map would version them
too, but needs a CSP exception for an inline script.
"""

import hashlib
import os
import stat
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask, Response, current_app, request
from werkzeug.security import safe_join

STATIC_ENDPOINT = "static"
VERSION_ARG = "v"
VERSION_LENGTH = 12
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"

# absolute path -> ((mtime_ns, size), version): a file is hashed again only when it changes.
_versions: dict[str, tuple[tuple[int, int], str]] = {}


def local_time(value: datetime | None, fmt: str = "%d/%m/%Y %H:%M") -> str:
    """A UTC datetime shown in the display zone (Asia/Ho_Chi_Minh)."""
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])).strftime(fmt)


def asset_version(filename: str | None) -> str | None:
    """The version of a file under the static folder; None when there is no such file."""
    folder = current_app.static_folder
    path = safe_join(folder, filename) if folder and filename else None
    if path is None:
        return None
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    key = (info.st_mtime_ns, info.st_size)
    known = _versions.get(path)
    if known is not None and known[0] == key:
        return known[1]
    with open(path, "rb") as file:
        version = hashlib.sha256(file.read()).hexdigest()[:VERSION_LENGTH]
    _versions[path] = (key, version)
    return version


def _version_static_url(endpoint: str, values: dict) -> None:
    """url_for('static', filename=f) → /static/f?v=<version> (templates need no change)."""
    if endpoint == STATIC_ENDPOINT and VERSION_ARG not in values:
        version = asset_version(values.get("filename"))
        if version is not None:
            values[VERSION_ARG] = version


def _static_cache_control(response: Response) -> Response:
    if request.endpoint != STATIC_ENDPOINT:
        return response
    wanted = request.args.get(VERSION_ARG)
    filename = (request.view_args or {}).get("filename")
    if wanted and response.status_code in (200, 304) and wanted == asset_version(filename):
        response.headers["Cache-Control"] = IMMUTABLE
    else:
        response.headers["Cache-Control"] = REVALIDATE
    return response


def init_app(app: Flask) -> None:
    from server.auth.web import current_web_user

    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.globals["current_web_user"] = current_web_user
    app.url_defaults(_version_static_url)
    app.after_request(_static_cache_control)
