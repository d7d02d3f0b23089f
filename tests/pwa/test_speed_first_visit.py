"""A first visit on a phone: the page loads its modules as one bundle, compressed; the
service worker is installed only after the login (its requests do not queue in front of it)
and takes the shell the page has just loaded (revalidated: 304s, or the immutable bundle from
the HTTP cache) instead of downloading it a second time."""

import re

import pwa_driver as driver
from pwa_live_site import VOLUNTEER


class Recorder:
    """WSGI middleware: status and body bytes of every /app/ answer, with who asked (the
    worker's fetches carry Sec-Fetch-Dest: empty; the page's: document, script, style...)."""

    def __init__(self, app):
        self.app = app
        self.answers = []
        self.requests = []  # (method, path) of every request, in order

    def __call__(self, environ, start_response):
        path = environ["PATH_INFO"]
        self.requests.append((environ["REQUEST_METHOD"], path))
        if not path.startswith("/app/") or path == "/app/sw.js":
            return self.app(environ, start_response)
        entry = {"path": path, "dest": environ.get("HTTP_SEC_FETCH_DEST"), "status": None, "bytes": 0,
                 "encoding": None}

        def recording_start(status, headers, *args):
            entry["status"] = int(status.split()[0])
            entry["encoding"] = dict(headers).get("Content-Encoding")
            return start_response(status, headers, *args)

        body = self.app(environ, recording_start)
        self.answers.append(entry)
        return self._counted(body, entry)

    @staticmethod
    def _counted(body, entry):
        try:
            for chunk in body:
                entry["bytes"] += len(chunk)
                yield chunk
        finally:
            if hasattr(body, "close"):
                body.close()


def test_the_worker_install_does_not_download_the_shell_again(fresh_site, launch):
    site = fresh_site
    recorder = Recorder(site.switch.app)
    site.switch.app = recorder
    try:
        context = launch()
        page = context.pages[0]
        driver.open_app(page, site)
        page.wait_for_selector("#username")
        page.wait_for_timeout(500)
        assert page.evaluate("navigator.serviceWorker.getRegistration()") is None, "no install before the login"
        # nothing to send on a phone that never logged in: no "Gửi ngay" in the status bar
        assert page.locator("#send-now").count() == 0
        page.fill("#username", VOLUNTEER[0])
        page.fill("#password", VOLUNTEER[1])
        page.click("form button[type=submit]")
        page.wait_for_selector(".new-response")
        driver.wait_for_worker_control(page)
        page.wait_for_timeout(300)
    finally:
        site.switch.app = recorder.app
    login = recorder.requests.index(("POST", "/api/v1/auth/token"))
    assert recorder.requests.index(("GET", "/app/sw.js")) > login
    # The login's answer carried the assignments: the form is asked for next, with no
    # assignments round trip in between.
    form = next(i for i, (_, path) in enumerate(recorder.requests) if path.startswith("/api/v1/form-versions/"))
    assert form > login
    assert ("GET", "/api/v1/me/assignments") not in recorder.requests[login:form]
    # The worker script itself is not counted: with its imports bundled in, it is one request.
    assert [a for a in recorder.answers if a["dest"] == "serviceworker"] == []
    by_page = [a for a in recorder.answers if a["dest"] != "empty"]
    by_worker = [a for a in recorder.answers if a["dest"] == "empty"]
    page_bytes = sum(a["bytes"] for a in by_page)
    worker_bytes = sum(a["bytes"] for a in by_worker)
    scripts = [a for a in by_page if a["path"].endswith(".js") and a["status"] == 200]
    # One script: the bundle, compressed.
    assert [re.fullmatch(r"/app/js/app-[0-9a-f]{16}\.js", a["path"]) is not None for a in scripts] == [True]
    assert scripts[0]["encoding"] == "gzip" and scripts[0]["bytes"] > 10_000
    # What the page loaded was not sent again: revalidated (304), or the bundle not asked for
    # at all (immutable, in the HTTP cache).
    reloaded = [a for a in by_worker if a["path"] in {p["path"] for p in by_page} and a["status"] != 304]
    assert reloaded == []
    assert scripts[0]["path"] not in {a["path"] for a in by_worker}
    # The worker fetches only what the page has not needed: the large icons of the installed app.
    fetched = sorted(a["path"] for a in by_worker if a["status"] == 200)
    assert fetched == ["/app/icons/icon-512.png", "/app/icons/icon-maskable-512.png"]
    assert worker_bytes < page_bytes / 5, (worker_bytes, page_bytes)
