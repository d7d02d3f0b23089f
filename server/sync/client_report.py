"""What a phone says about itself when it syncs: its app version and how many responses it
still has waiting. Stored on the user with the time of the sync, for the field supervisor
(people list, progress page).

Sent as two optional request headers on both sync calls, GET /api/v1/me/assignments (a
phone with nothing to send still syncs its rounds) and POST /api/v1/submissions:

- X-App-Version: the app's version, at most APP_VERSION_MAX characters (UTF-8, NFC).
- X-Queued-Count: responses waiting on the phone besides those in this request, an integer
  from 0 to QUEUED_MAX. After a batch the server has taken, that is what is left.

Bookkeeping never fails a sync: a value that is absent or fails these checks is stored as
unknown (NULL). One UPDATE of the user's row, written with the request's commit; on a GET
the view does it last, so its reads never wait for the write lock (a busy database drops
it, and the answer still goes out).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from werkzeug.datastructures import Headers

from server.db_types import utcnow
from server.people.models import User
from server.sync.text_hygiene import BrokenText, clean_text

APP_VERSION_HEADER = "X-App-Version"
QUEUED_COUNT_HEADER = "X-Queued-Count"
APP_VERSION_MAX = 40  # users.last_app_version
QUEUED_MAX = 1_000_000

# The OpenAPI description of both headers (sync routes: @blp.doc(parameters=...)).
CLIENT_REPORT_PARAMETERS = [
    {"name": APP_VERSION_HEADER, "in": "header", "required": False,
     "description": f"The app's version (UTF-8, at most {APP_VERSION_MAX} characters), shown "
                    "to admins as the volunteer's app version. A value that does not fit is "
                    "ignored (stored as unknown); it never fails the request.",
     "schema": {"type": "string", "maxLength": APP_VERSION_MAX}},
    {"name": QUEUED_COUNT_HEADER, "in": "header", "required": False,
     "description": "Responses still waiting on the phone, not counting those in this "
                    "request. A value that is not an integer in range is ignored (stored as "
                    "unknown); it never fails the request.",
     "schema": {"type": "integer", "minimum": 0, "maximum": QUEUED_MAX}},
]


@dataclass(frozen=True, slots=True)
class ClientReport:
    app_version: str | None = None
    queued: int | None = None


def _app_version(raw: str | None) -> str | None:
    if raw is None:
        return None
    try:
        # WSGI hands header values over as Latin-1: undo that to read the UTF-8 sent.
        text = raw.encode("latin-1").decode("utf-8")
        text = clean_text(unicodedata.normalize("NFC", text)).strip()
    except (UnicodeError, BrokenText):
        return None
    if not text or len(text) > APP_VERSION_MAX or not text.isprintable():
        return None
    return text


def _queued(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    # ASCII digits only: int() would also take "١٢", "+3" or "1_000".
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(QUEUED_MAX)):
        return None
    value = int(raw)
    return value if value <= QUEUED_MAX else None


def read_client_report(headers: Headers) -> ClientReport:
    """The report in a request's headers; what is absent or does not pass is None."""
    return ClientReport(_app_version(headers.get(APP_VERSION_HEADER)),
                        _queued(headers.get(QUEUED_COUNT_HEADER)))


def note_sync(user: User, report: ClientReport, now: datetime | None = None) -> None:
    """Record a successful sync on the user. Only sets attributes: the single UPDATE of the
    row is flushed by the request's commit, so call it last in a view (no query after it)."""
    user.last_sync_at = now or utcnow()
    user.last_app_version = report.app_version
    user.last_queued_count = report.queued
