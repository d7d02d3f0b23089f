"""The volunteer app's figures: app shell size (gzipped), a first visit on three networks
(login screen visible, home screen after logging in, bytes of the shell the server sent to
the page and to the service worker's install), and the time to reopen it offline and show
the home screen, in headless Chromium with 4x CPU throttling.

The page loads its modules as one bundle (server/pwa_host/bundle.py); --compare adds poor 3G
with the page as it was before, the modules one by one with modulepreload links.

Run: .venv/bin/python bench/pwa.py [--runs 5] [--compare]
Prints figures; never passes or fails.
"""

import argparse
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "pwa"))

SHELL_SUFFIXES = {".html", ".js", ".css", ".webmanifest"}
BUDGET_BYTES = 60 * 1024
KBPS = 1000 / 8  # bytes per second in one kilobit per second
# Network.emulateNetworkConditions: latency is the round trip added to every request.
NETWORKS = {
    "no throttling": None,
    "fast 3G (150 ms, 1.6 Mbps)": {"latency": 150, "downloadThroughput": 1600 * KBPS,
                                   "uploadThroughput": 750 * KBPS},
    "poor 3G (400 ms, 400 kbps)": {"latency": 400, "downloadThroughput": 400 * KBPS,
                                   "uploadThroughput": 400 * KBPS},
}
TARGETS = {"login": 2500, "home": 2000}  # ms, on poor 3G
COMPARED = "poor 3G (400 ms, 400 kbps), page of separate modules with preloads, no bundle (--compare)"


def _sources(root: Path, url: str) -> list[str]:
    """The files on disk behind a URL of the shell: a bundle is made of its modules."""
    from server.pwa_host.assets import ENTRY_MODULE, WORKER_TEMPLATE, shell
    from server.pwa_host.bundle import bundle

    relative = "index.html" if url == "/app/" else url.removeprefix("/app/")
    if relative == shell(root).bundle:
        return list(bundle(root, ENTRY_MODULE).modules)
    if relative == WORKER_TEMPLATE:
        return list(bundle(root, WORKER_TEMPLATE).modules)
    return [relative]


def shell_size() -> tuple[int, int, int, int]:
    """The shell as the server sends it (the worker's precache list and the worker): files,
    KB on disk, KB sent uncompressed (comments stripped) and KB sent gzipped. Each file
    travels (and is cached) on its own, so each is compressed on its own."""
    from server import create_app
    from server.pwa_host.assets import shell

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "bench", "SCHEDULER_ENABLED": False})
    logging.getLogger("lang_nghe").setLevel(logging.WARNING)  # the figures, not the request log
    root = ROOT / "pwa"
    urls = [url for url in [*shell(root).urls, "/app/sw.js"] if Path(url).suffix in SHELL_SUFFIXES or url == "/app/"]
    on_disk = sum((root / name).stat().st_size for url in urls for name in _sources(root, url))
    plain = zipped = 0
    client = app.test_client()
    for url in urls:
        for encoding in ("identity", "gzip"):
            response = client.get(url, headers={"Accept-Encoding": encoding})
            size = len(response.data)
            response.close()
            if encoding == "gzip":
                zipped += size
            else:
                plain += size
    return len(urls), on_disk, plain, zipped


class ShellBytes:
    """WSGI middleware: body bytes of /app/ answers, split between the page (documents,
    scripts, styles) and the service worker's own fetches (Sec-Fetch-Dest: empty)."""

    def __init__(self, app):
        self.app = app
        self.page = 0
        self.worker = 0

    def __call__(self, environ, start_response):
        body = self.app(environ, start_response)
        if not environ["PATH_INFO"].startswith("/app/") or environ["PATH_INFO"] == "/app/sw.js":
            return body
        worker = environ.get("HTTP_SEC_FETCH_DEST") == "empty"
        return self._counted(body, worker)

    def _counted(self, body, worker):
        try:
            for chunk in body:
                if worker:
                    self.worker += len(chunk)
                else:
                    self.page += len(chunk)
                yield chunk
        finally:
            if hasattr(body, "close"):
                body.close()


# In the page: when the login form and the home screen's button first exist, and when the
# login form was sent (performance.now(): ms from the start of the navigation). The driver's
# own figures add the browser's start and its round trips (large on a loaded machine).
IN_PAGE_MARKS = """
window.__bench = {};
document.addEventListener('submit', () => { window.__bench.submit ??= performance.now(); }, true);
new MutationObserver(() => {
  if (!window.__bench.login && document.querySelector('#username')) window.__bench.login = performance.now();
  if (!window.__bench.home && document.querySelector('.new-response')) window.__bench.home = performance.now();
}).observe(document, { childList: true, subtree: true });
"""


def _first_visit(playwright, executable, site, profile: Path, network) -> dict[str, float]:
    """A phone that never opened the app: ms to the login screen, then ms from pressing
    "Đăng nhập" to the home screen, as the driver sees them and as the page does."""
    import pwa_driver as driver
    from pwa_browser import CHROMIUM_ARGS, PHONE
    from pwa_live_site import VOLUNTEER

    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=executable, headless=True, args=CHROMIUM_ARGS,
        viewport=PHONE, service_workers="allow")
    context.set_default_timeout(60_000)
    page = context.pages[0] if context.pages else context.new_page()
    page.add_init_script(IN_PAGE_MARKS)
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    if network:
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", {"offline": False, **network})
    start = time.perf_counter()
    page.goto(f"{site.url}/app/", wait_until="commit")
    page.wait_for_selector("#username", state="visible")
    login_ms = (time.perf_counter() - start) * 1000
    page.fill("#username", VOLUNTEER[0])
    page.fill("#password", VOLUNTEER[1])
    start = time.perf_counter()
    page.click("form button[type=submit]")
    page.wait_for_selector(".new-response", state="visible")
    home_ms = (time.perf_counter() - start) * 1000
    marks = page.evaluate("window.__bench")
    driver.wait_for_worker_control(page)
    page.wait_for_timeout(500)  # the install's last answers reach the counter
    context.close()
    return {"login": login_ms, "home": home_ms,
            "login_in_page": marks["login"], "home_in_page": marks["home"] - marks["submit"]}


def _page_bundled(on: bool) -> None:
    """Off (for --compare): the page as it was before the bundle, its modules loaded one by
    one, all preloaded from the page (the worker, registered after the login, is the same)."""
    from server.pwa_host import assets, routes

    routes.render_index = assets.render_index if on else assets.render_index_with_preloads


def first_visits(runs: int, compare: bool = False) -> dict[str, dict]:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    logging.getLogger("lang_nghe").setLevel(logging.WARNING)
    from playwright.sync_api import sync_playwright
    from pwa_browser import chromium_path
    from pwa_live_site import LiveSite

    executable = chromium_path()
    if executable is None:
        raise SystemExit("no Chromium found (set CHROMIUM_PATH)")
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        site = LiveSite(Path(tmp))
        counter = ShellBytes(site.switch.app)
        site.switch.app = counter
        try:
            with sync_playwright() as playwright:
                cases = list(NETWORKS.items())
                if compare:
                    cases.append((COMPARED, NETWORKS["poor 3G (400 ms, 400 kbps)"]))
                for name, network in cases:
                    _page_bundled(name != COMPARED)
                    visits, page_bytes, worker_bytes = [], [], []
                    for run in range(runs):
                        counter.page = counter.worker = 0
                        profile = Path(tmp) / f"profile-{len(figures)}-{run}"
                        visits.append(_first_visit(playwright, executable, site, profile, network))
                        page_bytes.append(counter.page)
                        worker_bytes.append(counter.worker)
                    figures[name] = {**{key: [visit[key] for visit in visits] for key in visits[0]},
                                     "page_bytes": statistics.median(page_bytes),
                                     "worker_bytes": statistics.median(worker_bytes)}
        finally:
            _page_bundled(True)
            site.stop()
    return figures


def reopen_times(runs: int) -> list[float]:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the figures, not the request log
    import pwa_driver as driver
    from playwright.sync_api import sync_playwright
    from pwa_browser import CHROMIUM_ARGS, PHONE, chromium_path
    from pwa_live_site import LiveSite

    executable = chromium_path()
    if executable is None:
        raise SystemExit("no Chromium found (set CHROMIUM_PATH)")
    with tempfile.TemporaryDirectory() as tmp:
        site = LiveSite(Path(tmp))
        try:
            with sync_playwright() as playwright:
                context = playwright.chromium.launch_persistent_context(
                    str(Path(tmp) / "profile"), executable_path=executable, headless=True,
                    args=CHROMIUM_ARGS, viewport=PHONE, service_workers="allow")
                page = context.pages[0] if context.pages else context.new_page()
                driver.log_in(page, site)
                driver.wait_for_worker_control(page)
                page.close()
                context.set_offline(True)
                site.switch.down = True
                times = []
                for _ in range(runs):
                    page = context.new_page()
                    cdp = context.new_cdp_session(page)
                    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
                    start = time.perf_counter()
                    page.goto(f"{site.url}/app/")
                    page.wait_for_selector(".new-response")
                    times.append((time.perf_counter() - start) * 1000)
                    page.close()
                context.close()
        finally:
            site.stop()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--compare", action="store_true",
                        help="also poor 3G with the page of separate modules (preloaded) instead of the bundle")
    args = parser.parse_args()
    count, on_disk, plain, zipped = shell_size()
    verdict = "within" if zipped <= BUDGET_BYTES else "OVER"
    print(f"app shell as sent (page, styles, manifest, the modules' bundle, the worker): {count} files "
          f"from {on_disk / 1024:.1f} KB on disk, {plain / 1024:.1f} KB without comments, "
          f"{zipped / 1024:.1f} KB gzipped ({verdict} the 60 KB budget)")
    for name, figure in first_visits(args.runs, args.compare).items():
        print(f"first visit, 4x CPU, {name}, {len(figure['login'])} runs:")
        for key, label in (("login", "login screen visible"), ("home", "home after logging in")):
            values = figure[key]
            target = f" (target < {TARGETS[key]} ms on poor 3G)" if name.startswith("poor") else ""
            print(f"  {label}: median {statistics.median(values):.0f} ms, "
                  f"min {min(values):.0f} ms, max {max(values):.0f} ms{target}")
            in_page = figure[f"{key}_in_page"]
            since = "from the navigation's start" if key == "login" else "from the form's submit"
            print(f"    in the page, {since}: median {statistics.median(in_page):.0f} ms, "
                  f"min {min(in_page):.0f} ms, max {max(in_page):.0f} ms")
        print(f"  shell bytes sent: {figure['page_bytes'] / 1024:.1f} KB to the page, "
              f"{figure['worker_bytes'] / 1024:.1f} KB to the service worker's install")
    times = reopen_times(args.runs)
    print(f"reopen offline to home screen, 4x CPU throttling, {len(times)} runs: "
          f"median {statistics.median(times):.0f} ms, min {min(times):.0f} ms, max {max(times):.0f} ms")


if __name__ == "__main__":
    main()
