"""/app/: the volunteer app. Files as they are, except JavaScript and CSS (sent without
comments), the page (running the bundle of its modules), the bundle itself (versioned,
cached for ever) and the service worker (filled in)."""

import gzip
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, redirect, request, send_from_directory

from server.pwa_host.assets import ENTRY_MODULE, SCOPE, render_index, render_worker, servable, shell
from server.pwa_host.bundle import bundle
from server.pwa_host.slim import slim_css, slim_js

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


SLIMMERS = {".js": slim_js, ".css": slim_css}
GZIP_LEVEL = 9  # made once per version of a file, not per request
# A bundle's name carries the hash of its content: it never changes, the browser keeps it.
IMMUTABLE = "public, max-age=31536000, immutable"
BUNDLE_NAME = re.compile(r"js/app-[0-9a-f]{16}\.js")


@dataclass(frozen=True)
class SlimFile:
    body: bytes
    gzipped: bytes
    etag: str


_slimmed: dict[tuple, SlimFile] = {}


def _slimmed_file(key: tuple, make_body) -> SlimFile:
    if key not in _slimmed:
        body = make_body().encode("utf-8")
        if len(_slimmed) > 500:
            _slimmed.clear()
        _slimmed[key] = SlimFile(body, gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0),
                                 hashlib.sha256(body).hexdigest()[:32])
    return _slimmed[key]


def _slim(path: Path) -> SlimFile:
    """The file without comments (server/pwa_host/slim.py), gzipped too, and its ETag; made
    again only when the file changed."""
    stat = path.stat()
    return _slimmed_file((str(path), stat.st_mtime_ns, stat.st_size),
                         lambda: SLIMMERS[path.suffix](path.read_text(encoding="utf-8")))


def _send_text(slim: SlimFile, content_type: str, cache_control: str = "no-cache") -> Response:
    if "gzip" in request.accept_encodings:
        # Its own ETag: the gzipped bytes are another representation of the file.
        response = Response(slim.gzipped, content_type=content_type)
        response.headers["Content-Encoding"] = "gzip"
        response.set_etag(f"{slim.etag}-gz")
        ranges = {}
    else:
        response = Response(slim.body, content_type=content_type)
        response.set_etag(slim.etag)
        ranges = {"accept_ranges": True, "complete_length": len(slim.body)}
    response.vary.add("Accept-Encoding")
    response.headers["Cache-Control"] = cache_control
    return response.make_conditional(request, **ranges)


def _send_slim(relative: str) -> Response:
    path = pwa_root() / relative
    if not path.is_file():
        abort(404)
    return _send_text(_slim(path), CONTENT_TYPES.get(path.suffix, "text/css; charset=utf-8"))


def _send_bundle(relative: str) -> Response:
    """The page's modules in one (server/pwa_host/bundle.py); an old version's name is gone."""
    current = shell(pwa_root()).bundle
    if relative != current:
        abort(404)
    made = bundle(pwa_root(), ENTRY_MODULE)
    # Already slimmed module by module: the file markers stay.
    return _send_text(_slimmed_file(("bundle", made.name), lambda: made.text), CONTENT_TYPES[".js"], IMMUTABLE)


def _send(relative: str) -> Response:
    if Path(relative).suffix in SLIMMERS:
        return _send_slim(relative)
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
    response = Response(render_index(pwa_root()), mimetype="text/html")
    # Its content follows the shell's version: revalidating costs a 304, not the page.
    response.set_etag(f"index-{shell(pwa_root()).version}")
    response.headers["Cache-Control"] = "no-cache"
    return response.make_conditional(request)


@bp.get(f"{SCOPE}sw.js")
def service_worker():
    response = Response(render_worker(pwa_root()), mimetype="text/javascript")
    response.headers["Service-Worker-Allowed"] = SCOPE
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get(f"{SCOPE}<path:filename>")
def asset(filename: str):
    if BUNDLE_NAME.fullmatch(filename):
        return _send_bundle(filename)
    if not servable(pwa_root(), filename):
        abort(404)
    return _send(filename)


@bp.record_once
def _bundle_at_start(state) -> None:
    """Made when the app starts (the page's bundle and the worker's), so a module the bundler
    refuses (an import cycle...) stops the server with the reason, not the first volunteer
    who opens the app."""
    root = Path(state.app.config.get("PWA_ROOT") or DEFAULT_ROOT)
    if root.is_dir():  # a server deployed without the app has nothing to bundle
        render_worker(root)
