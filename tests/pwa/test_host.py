"""The /app/ blueprint: files, the service worker's version and headers (no browser)."""

import json
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


class Reply:
    """A test-client reply read and closed at once (served files are open until closed)."""

    def __init__(self, client, path):
        response = client.get(path)
        self.status_code, self.headers, self.data = response.status_code, response.headers, response.data
        response.close()

    def get_data(self, as_text=False):
        return self.data.decode() if as_text else self.data


@pytest.fixture
def pwa_copy(app, tmp_path):
    copy = tmp_path / "pwa"
    shutil.copytree(ROOT / "pwa", copy)
    previous = app.config.get("PWA_ROOT")
    app.config["PWA_ROOT"] = str(copy)
    yield copy
    app.config["PWA_ROOT"] = previous


def _worker(client):
    reply = Reply(client, "/app/sw.js")
    assert reply.status_code == 200
    text = reply.get_data(as_text=True)
    version = re.search(r'const VERSION = "([0-9a-f]{16})"', text).group(1)
    assets = json.loads(re.search(r"const ASSETS = (\[.*?\]);", text).group(1))
    return reply, version, assets


def test_index_and_assets_are_served_with_no_inline_script(app):
    client = app.test_client()
    index = Reply(client, "/app/")
    assert index.status_code == 200
    html = index.get_data(as_text=True)
    # The modules as one bundle (tests/pwa/test_bundle.py), by its versioned name.
    assert re.search(r'<script type="module" src="js/app-[0-9a-f]{16}\.js"></script>', html)
    assert 'src="js/main.js"' not in html
    assert "style=" not in html
    assert "script-src 'self'" in index.headers["Content-Security-Policy"]
    assert Reply(client, "/app/js/main.js").headers["Content-Type"].startswith("text/javascript")
    assert Reply(client, "/app").status_code == 301
    assert Reply(client, "/app?lang=en").headers["Location"].endswith("/app/?lang=en")


def test_manifest_makes_the_app_installable(app):
    reply = Reply(app.test_client(), "/app/manifest.webmanifest")
    assert reply.headers["Content-Type"] == "application/manifest+json"
    manifest = json.loads(reply.get_data(as_text=True))
    assert manifest["name"] == "Lắng Nghe" and manifest["lang"] == "vi"
    assert manifest["display"] == "standalone" and manifest["theme_color"]
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        png = Reply(app.test_client(), "/app/" + icon["src"])
        assert png.status_code == 200 and png.data.startswith(b"\x89PNG")


def test_worker_headers_and_precache_list(app):
    reply, _, assets = _worker(app.test_client())
    assert reply.headers["Service-Worker-Allowed"] == "/app/"
    assert reply.headers["Cache-Control"] == "no-cache"
    assert "/app/" in assets and "/app/app.css" in assets
    assert [a for a in assets if a.endswith(".js")] == [next(a for a in assets if "/js/app-" in a)]
    assert "/app/sw.js" not in assets
    assert not any(a.startswith("/api/") for a in assets), "no API response is precached"


def test_version_follows_the_content_of_the_assets(app, pwa_copy):
    client = app.test_client()
    _, first, _ = _worker(client)
    _, again, _ = _worker(client)
    assert first == again
    css = pwa_copy / "app.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* changed */\n", encoding="utf-8")
    _, changed, _ = _worker(client)
    assert changed != first


def test_only_app_files_are_served(app):
    client = app.test_client()
    for path in ("/app/icons/make_icons.py", "/app/../server/__init__.py", "/app/nope.js"):
        assert Reply(client, path).status_code == 404, path
