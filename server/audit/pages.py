"""The audit log (/admin/audit, admins): who did what to which object, when; filtered,
paged, and exported as CSV."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    render_template,
    request,
    stream_with_context,
)

from server.admin.access import admin_required
from server.admin.i18n import tr
from server.audit.services import audit_choices, audit_csv_rows, audit_page, parse_audit_filter
from server.reporting.export import clean_text, csv_chunks
from server.templating import local_time

bp = Blueprint("audit_admin", __name__, url_prefix="/admin/audit")

DETAIL_PREVIEW = 160


def _page_number() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else 1


def _zone_name() -> str:
    return current_app.config["DISPLAY_TIMEZONE"]


def _shown(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def changes(details) -> list[tuple[str, str, str]]:
    """(field, before, after) for each field that differs, when the entry has before/after."""
    if not isinstance(details, dict):
        return []
    before, after = details.get("before"), details.get("after")
    if not isinstance(before, dict) or not isinstance(after, dict):
        return []
    return [(key, _shown(before.get(key)), _shown(after.get(key)))
            for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)]


def pretty(details) -> str:
    return json.dumps(details, ensure_ascii=False, sort_keys=True, indent=2, default=str)


def preview(details) -> str:
    text = _shown(details) if details is not None else ""
    return text if len(text) <= DETAIL_PREVIEW else text[:DETAIL_PREVIEW] + "…"


@bp.route("/")
@admin_required
def log():
    f, problems = parse_audit_filter(request.args)
    for vi, en in problems:
        flash(tr(vi, en), "error")
    page = audit_page(f, _page_number(), ZoneInfo(_zone_name()))
    actions, object_types = audit_choices()
    return render_template("admin/audit/log.html", f=f, page=page, actions=actions,
                           object_types=object_types, changes=changes, preview=preview, pretty=pretty,
                           shown=_shown, local_time=local_time)


def _clean(row: list) -> list:
    return [clean_text(cell) if isinstance(cell, str) else cell for cell in row]


@bp.route("/export.csv")
@admin_required
def export_csv():
    """The entries matching the filter, streamed as CSV: the rows are read after the view
    has returned, with plain filter values only (no object of this request)."""
    f, _ = parse_audit_filter(request.args)
    rows = (_clean(row) for row in audit_csv_rows(f, _zone_name()))
    response = Response(stream_with_context(csv_chunks(rows)), mimetype="text/csv")
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = 'attachment; filename="nhat-ky.csv"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
