"""/app/: the volunteer app. Plain files, except the service worker, which is filled in."""

from pathlib import Path

from flask import Blueprint, Response, abort, current_app, redirect, request, send_from_directory

from server.pwa_host.assets import SCOPE, render_worker, servable

bp = Blueprint("pwa_host", __name__)

DEFAULT_ROOT = Path(__file__).resolve().parents[2] / "pwa"
CONTENT_TYPES = {
    ".webmanifest": "application/manifest+json",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
}


def pwa_root() -> Path:
    # Tests of the update flow serve a copy they can change.
    return Path(current_app.config.get("PWA_ROOT") or DEFAULT_ROOT)


def _send(relative: str) -> Response:
    response = send_from_directory(pwa_root(), relative, max_age=0, conditional=True)
    suffix = Path(relative).suffix
    if suffix in CONTENT_TYPES:
        response.headers["Content-Type"] = CONTENT_TYPES[suffix]
    # The service worker is the cache; the HTTP cache must always revalidate.
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/app")
def app_without_slash():
    query = request.query_string.decode()
    return redirect(SCOPE + (f"?{query}" if query else ""), code=301)


@bp.get(SCOPE)
def index():
    return _send("index.html")


@bp.get(f"{SCOPE}sw.js")
def service_worker():
    response = Response(render_worker(pwa_root()), mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = SCOPE
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get(f"{SCOPE}<path:filename>")
def asset(filename: str):
    if not servable(pwa_root(), filename):
        abort(404)
    return _send(filename)
