"""Versioned static URLs: every page names its CSS and JS with the file's content hash, a
versioned URL is cached for a year only when the version is the file's, and the CSP stays
as it was (no inline script or import map was needed)."""

import hashlib
import os
import re
from pathlib import Path

import pytest

from server import create_app
from server.security import CONTENT_SECURITY_POLICY
from server.templating import IMMUTABLE, REVALIDATE

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "server" / "templates"
STATIC = ROOT / "server" / "static"
STATIC_CALL = re.compile(r"""url_for\(\s*['"]static['"]\s*,\s*filename\s*=\s*['"]([^'"]+)['"]""")
STATIC_URL = re.compile(r"""(?:src|href)="(/static/[^"]*)\"""")
EXPECTED_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                "connect-src 'self'; font-src 'self'; manifest-src 'self'; worker-src 'self'; "
                "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def _version(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


def test_every_template_names_static_files_through_url_for():
    """A literal /static/ path would skip the version; every url_for('static') names a file
    that exists (else it would get no version either)."""
    named = 0
    for template in _templates():
        text = re.sub(r"\{#.*?#\}", "", template.read_text("utf-8"), flags=re.DOTALL)
        assert "/static/" not in text, template
        for filename in STATIC_CALL.findall(text):
            assert (STATIC / filename).is_file(), (template, filename)
            named += 1
    assert named >= 20


@pytest.fixture
def fresh_app(tmp_path):
    """An app of its own whose static folder is a temporary one (files changed at will)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db", "TESTING": True,
                      "SECRET_KEY": "test-secret"})
    app.static_folder = str(tmp_path / "static")
    (tmp_path / "static" / "admin").mkdir(parents=True)
    return app


def _url(app, filename: str) -> str:
    with app.test_request_context():
        from flask import url_for
        return url_for("static", filename=filename)


def test_every_static_reference_of_every_template_is_versioned(app):
    """Each file a template names gets `?v=` + the first 12 hex digits of its SHA-256."""
    filenames = {name for template in _templates()
                 for name in STATIC_CALL.findall(template.read_text("utf-8"))}
    for filename in sorted(filenames):
        assert _url(app, filename) == f"/static/{filename}?v={_version(STATIC / filename)}"


def _log_in(client, username: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = client.post("/login", data={"username": username, "password": "pw",
                                         "csrf_token": token})
    assert answer.status_code == 302


def test_pages_carry_the_versions(client, factory):
    factory.user("quantri", "admin")
    seen = set()
    for path in ("/", "/login", "/api/v1/docs", "LOGIN", "/admin/units/", "/admin/people/",
                 "/reports"):
        if path == "LOGIN":
            _log_in(client, "quantri")
            continue
        page = client.get(path)
        assert page.status_code == 200, path
        urls = STATIC_URL.findall(page.get_data(as_text=True))
        assert urls, path
        for url in urls:
            filename, _, version = url.removeprefix("/static/").partition("?v=")
            assert version == _version(STATIC / filename), (path, url)
            seen.add(filename)
    assert {"site.css", "admin.css", "admin/units.js", "reporting.css"} <= seen


def test_a_changed_file_changes_its_url(fresh_app, tmp_path):
    script = tmp_path / "static" / "admin" / "x.js"
    script.write_text("export const a = 1;\n")
    before = _url(fresh_app, "admin/x.js")
    assert before == f"/static/admin/x.js?v={_version(script)}"
    assert _url(fresh_app, "admin/x.js") == before            # the same bytes, the same URL
    stat = script.stat()
    script.write_text("export const a = 2;\n")                  # same size, new bytes
    os.utime(script, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    after = _url(fresh_app, "admin/x.js")
    assert after != before and after == f"/static/admin/x.js?v={_version(script)}"
    assert _url(fresh_app, "admin/missing.js") == "/static/admin/missing.js"


def _get(client, url: str, **kwargs):
    """(status, headers) of a GET; the file the answer streams from is closed."""
    answer = client.get(url, **kwargs)
    answer.close()
    return answer.status_code, answer.headers


def test_immutable_only_with_the_file_s_own_version(fresh_app, tmp_path):
    script = tmp_path / "static" / "admin" / "x.js"
    script.write_text("export const a = 1;\n")
    client = fresh_app.test_client()
    versioned = _url(fresh_app, "admin/x.js")
    status, headers = _get(client, versioned)
    assert status == 200 and headers["Cache-Control"] == IMMUTABLE
    assert IMMUTABLE == "public, max-age=31536000, immutable"
    status, again = _get(client, versioned, headers={"If-None-Match": headers["ETag"]})
    assert status == 304 and again["Cache-Control"] == IMMUTABLE
    for other in ("/static/admin/x.js", "/static/admin/x.js?v=000000000000",
                  "/static/admin/x.js?v="):
        assert _get(client, other)[1]["Cache-Control"] == REVALIDATE, other
    stat = script.stat()
    script.write_text("export const a = 2;\n")
    os.utime(script, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert _get(client, versioned)[1]["Cache-Control"] == REVALIDATE   # an old page's URL
    assert _get(client, _url(fresh_app, "admin/x.js"))[1]["Cache-Control"] == IMMUTABLE
    assert _get(client, "/static/admin/none.js?v=abc")[0] == 404


def test_pages_are_not_cached_as_assets(client):
    assert client.get("/login").headers.get("Cache-Control") != IMMUTABLE


def test_csp_unchanged_on_pages_and_assets(client):
    assert CONTENT_SECURITY_POLICY == EXPECTED_CSP
    page = client.get("/login")
    assert page.headers["Content-Security-Policy"] == EXPECTED_CSP
    asset = STATIC_URL.findall(page.get_data(as_text=True))[0]
    assert _get(client, asset)[1]["Content-Security-Policy"] == EXPECTED_CSP
    # no inline script (an import map would need one): the policy needs no exception
    for template in _templates():
        for tag in re.findall(r"<script\b[^>]*>", template.read_text("utf-8")):
            assert "src=" in tag, (template, tag)


def test_the_nginx_recipe_caches_versioned_urls_like_the_app():
    recipe = (ROOT / "deploy" / "nginx-lang-nghe.conf").read_text("utf-8")
    assert f'default "{IMMUTABLE}";' in recipe and f'""      "{REVALIDATE}";' in recipe
    static_block = recipe.split("location /static/ {")[1].split("}")[0]
    assert "add_header Cache-Control $asset_cache_control" in static_block
    assert "gzip on;" in recipe and "listen 443 ssl" in recipe
