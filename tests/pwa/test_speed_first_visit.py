"""A first visit on a phone: the service worker's install takes the shell the page has just
loaded (revalidated: 304s) instead of downloading it a second time, and the page fetches its
modules compressed."""

import pwa_driver as driver


class Recorder:
    """WSGI middleware: status and body bytes of every /app/ answer, with who asked (the
    worker's fetches carry Sec-Fetch-Dest: empty; the page's: document, script, style...)."""

    def __init__(self, app):
        self.app = app
        self.answers = []

    def __call__(self, environ, start_response):
        path = environ["PATH_INFO"]
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
        driver.wait_for_worker_control(page)
        page.wait_for_timeout(300)
    finally:
        site.switch.app = recorder.app
    by_page = [a for a in recorder.answers if a["dest"] != "empty"]
    by_worker = [a for a in recorder.answers if a["dest"] == "empty"]
    page_bytes = sum(a["bytes"] for a in by_page)
    worker_bytes = sum(a["bytes"] for a in by_worker)
    scripts = [a for a in by_page if a["path"].endswith(".js") and a["status"] == 200]
    assert len(scripts) >= 20, "the page loaded the modules"
    assert all(a["encoding"] == "gzip" for a in scripts if a["bytes"] > 600), scripts
    # Every file of the shell went through the worker's install...
    assert {a["path"] for a in scripts} <= {a["path"] for a in by_worker}
    # ...as a revalidation: what the page loaded was not sent again.
    reloaded = [a for a in by_worker if a["path"] in {s["path"] for s in scripts} and a["status"] != 304]
    assert reloaded == []
    assert worker_bytes < page_bytes / 5, (worker_bytes, page_bytes)
