"""Speed on a poor line, server side (no browser): the page's modules as one bundle (more in
test_bundle.py), the old preloading page kept for the bench, text compressed by the app
itself, and revalidation still answering 304."""

import gzip
import re
from pathlib import Path

from server.pwa_host.assets import module_graph, render_index_with_preloads

ROOT = Path(__file__).resolve().parents[2]
GZIP = {"Accept-Encoding": "gzip, deflate, br"}


class Reply:
    """A test-client reply read and closed at once (served files are open until closed)."""

    def __init__(self, response):
        self.status_code, self.headers, self.data = response.status_code, response.headers, response.data
        response.close()

    def get_data(self, as_text=False):
        return self.data.decode() if as_text else self.data


def _get(client, path, **headers):
    return Reply(client.get(path, headers=headers))


def test_the_page_loads_the_bundle_not_the_modules(app):
    html = _get(app.test_client(), "/app/").get_data(as_text=True)
    assert re.findall(r'src="([^"]+)"', html) == [re.search(r'src="(js/app-[0-9a-f]{16}\.js)"', html).group(1)]
    assert "modulepreload" not in html


def test_the_page_with_preloads_preloads_every_module_the_entry_imports(app):
    """The page as it was before the bundle: bench/pwa.py --compare measures it."""
    html = render_index_with_preloads(ROOT / "pwa")
    preloaded = re.findall(r'<link rel="modulepreload" href="([^"]+)">', html)
    modules = module_graph(ROOT / "pwa")
    # The whole static graph of main.js: nothing is discovered one import level at a time.
    assert set(preloaded) == set(modules) - {"js/main.js"}
    assert {"js/i18n.js", "js/strings.js", "js/ui/login.js", "js/ui/dom.js"} <= set(preloaded)
    for name in preloaded:
        assert _get(app.test_client(), f"/app/{name}").status_code == 200, name
    assert html.index("modulepreload") < html.index('<script type="module" src="js/main.js">')


def test_the_module_graph_follows_imports_across_folders(tmp_path):
    (tmp_path / "js" / "ui").mkdir(parents=True)
    (tmp_path / "js" / "main.js").write_text("import { a } from './ui/a.js';\nimport './side.js';\n")
    (tmp_path / "js" / "ui" / "a.js").write_text("export {\n  b,\n} from '../b.js';\nexport const a = 1;\n")
    (tmp_path / "js" / "b.js").write_text("export const b = () => import('./lazy.js');\n")
    (tmp_path / "js" / "side.js").write_text("")
    (tmp_path / "js" / "lazy.js").write_text("")
    assert module_graph(tmp_path) == ("js/main.js", "js/ui/a.js", "js/side.js", "js/b.js")


def test_the_page_is_revalidated_with_a_304(app):
    client = app.test_client()
    first = _get(client, "/app/")
    assert first.headers["Cache-Control"] == "no-cache" and first.headers["ETag"]
    again = _get(client, "/app/", **{"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_text_is_gzipped_when_the_browser_accepts_it(app):
    client = app.test_client()
    plain = _get(client, "/app/js/strings.js")
    zipped = _get(client, "/app/js/strings.js", **GZIP)
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"] and "Accept-Encoding" in plain.headers["Vary"]
    assert gzip.decompress(zipped.data) == plain.data
    assert len(zipped.data) < len(plain.data) / 2
    assert int(zipped.headers["Content-Length"]) == len(zipped.data)
    page = _get(client, "/app/", **GZIP)
    assert page.headers["Content-Encoding"] == "gzip" and b"js/app-" in gzip.decompress(page.data)


def test_a_gzipped_answer_still_revalidates(app):
    client = app.test_client()
    # The page, compressed on the way out: its ETag is made weak and still matches.
    page = _get(client, "/app/", **GZIP)
    assert page.headers["Content-Encoding"] == "gzip" and page.headers["ETag"].startswith('W/"')
    assert _get(client, "/app/", **GZIP, **{"If-None-Match": page.headers["ETag"]}).status_code == 304
    # A shell file, gzipped once per version: an ETag of its own, and a 304 on a match.
    css = _get(client, "/app/app.css", **GZIP)
    plain = _get(client, "/app/app.css")
    assert css.headers["ETag"] != plain.headers["ETag"]
    assert _get(client, "/app/app.css", **GZIP, **{"If-None-Match": css.headers["ETag"]}).status_code == 304
    assert _get(client, "/app/app.css", **{"If-None-Match": plain.headers["ETag"]}).status_code == 304


def test_images_small_bodies_and_ranges_are_left_alone(app):
    client = app.test_client()
    icon = _get(client, "/app/icons/icon-192.png", **GZIP)
    assert "Content-Encoding" not in icon.headers and icon.data.startswith(b"\x89PNG")
    part = _get(client, "/app/app.css", Range="bytes=0-99")
    assert part.status_code == 206 and "Content-Encoding" not in part.headers and len(part.data) == 100


def test_streamed_and_large_bodies_are_not_compressed(app):
    from flask import Response

    from server.pwa_host.compression import MAX_BYTES, compress_response

    with app.test_request_context("/", headers=GZIP):
        streamed = compress_response(Response((chunk for chunk in ["a" * 600, "b" * 600]), mimetype="text/csv"))
        assert "Content-Encoding" not in streamed.headers and streamed.is_streamed
        large = Response("x" * (MAX_BYTES + 1), mimetype="text/csv")
        assert "Content-Encoding" not in compress_response(large).headers
        small_text = compress_response(Response("y" * 2000, mimetype="text/plain"))
        assert small_text.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(small_text.get_data()) == b"y" * 2000
