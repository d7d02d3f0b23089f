"""An uploaded table kept between an import's dry run and its apply.

It is a JSON file under instance/imports/ named by a random token: every web worker reads
the same file (process memory would not be shared; the session cookie is too small). Only
the person who uploaded it may read it, and files older than a day are swept at the next
upload. Passwords are never part of it: they are made at apply time."""

import json
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from server.tabular import Table

LIFETIME_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{22}$")


@dataclass(frozen=True)
class StagedUpload:
    token: str
    kind: str            # "units" or "people"
    owner_id: int
    filename: str
    table: Table


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def stage(kind: str, owner_id: int, filename: str, table: Table) -> str:
    """Keep the table; returns the token that names it."""
    folder = _folder()
    _sweep(folder)
    token = secrets.token_urlsafe(16)
    body = {"kind": kind, "owner_id": owner_id, "filename": filename[:200],
            "headers": table.headers, "rows": [[number, cells] for number, cells in table.rows]}
    partial = folder / f".{token}.tmp"
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(body, handle, ensure_ascii=False)
    os.replace(partial, folder / f"{token}.json")  # readers never see half a file
    return token


def load(kind: str, token: str, owner_id: int) -> StagedUpload | None:
    """The staged upload, or None when the token is malformed, unknown, expired, of another
    kind or someone else's."""
    if not isinstance(token, str) or not _TOKEN.match(token):
        return None
    path = _folder() / f"{token}.json"
    try:
        if time.time() - path.stat().st_mtime > LIFETIME_SECONDS:
            return None
        body = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if body.get("kind") != kind or body.get("owner_id") != owner_id:
        return None
    table = Table(body["headers"], [(number, cells) for number, cells in body["rows"]])
    return StagedUpload(token, kind, owner_id, body.get("filename", ""), table)


def discard(token: str) -> None:
    if _TOKEN.match(token or ""):
        (_folder() / f"{token}.json").unlink(missing_ok=True)


def _sweep(folder: Path) -> None:
    limit = time.time() - LIFETIME_SECONDS
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            pass  # another worker swept it first
