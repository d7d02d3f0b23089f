"""The volunteer app's figures: app shell size (gzipped), a first visit on three networks
(login screen visible, home screen after logging in, bytes of the shell the server sent to
the page and to the service worker's install), and the time to reopen it offline and show
the home screen, in headless Chromium with 4x CPU throttling.

Run: .venv/bin/python bench/pwa.py [--runs 5]
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
COMPARED = "poor 3G, page WITHOUT module preloads (--compare)"


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
    on_disk = sum((root / ("index.html" if url == "/app/" else url.removeprefix("/app/"))).stat().st_size for url in urls)
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


def _first_visit(playwright, executable, site, profile: Path, network) -> tuple[float, float]:
    """A phone that never opened the app: ms to the login screen, then ms from pressing
    "Đăng nhập" to the home screen."""
    import pwa_driver as driver
    from pwa_browser import CHROMIUM_ARGS, PHONE
    from pwa_live_site import VOLUNTEER

    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=executable, headless=True, args=CHROMIUM_ARGS,
        viewport=PHONE, service_workers="allow")
    context.set_default_timeout(60_000)
    page = context.pages[0] if context.pages else context.new_page()
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
    driver.wait_for_worker_control(page)
    page.wait_for_timeout(500)  # the install's last answers reach the counter
    context.close()
    return login_ms, home_ms


def _page_preloads(on: bool) -> None:
    """Off (for --compare): the page as it was before the preloads, its modules found one
    import level after another."""
    from server.pwa_host import assets, routes

    routes.render_index = assets.render_index if on else (
        lambda root: (root / "index.html").read_text(encoding="utf-8"))


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
                    _page_preloads(name != COMPARED)
                    logins, homes, page_bytes, worker_bytes = [], [], [], []
                    for run in range(runs):
                        counter.page = counter.worker = 0
                        profile = Path(tmp) / f"profile-{len(figures)}-{run}"
                        login_ms, home_ms = _first_visit(playwright, executable, site, profile, network)
                        logins.append(login_ms)
                        homes.append(home_ms)
                        page_bytes.append(counter.page)
                        worker_bytes.append(counter.worker)
                    figures[name] = {"login": logins, "home": homes,
                                     "page_bytes": statistics.median(page_bytes),
                                     "worker_bytes": statistics.median(worker_bytes)}
        finally:
            _page_preloads(True)
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
                        help="also poor 3G with the page's module preloads taken out")
    args = parser.parse_args()
    count, on_disk, plain, zipped = shell_size()
    verdict = "within" if zipped <= BUDGET_BYTES else "OVER"
    print(f"app shell as sent: {count} files, {on_disk / 1024:.1f} KB on disk, {plain / 1024:.1f} KB "
          f"without comments, {zipped / 1024:.1f} KB gzipped ({verdict} the 60 KB budget)")
    for name, figure in first_visits(args.runs, args.compare).items():
        print(f"first visit, 4x CPU, {name}, {len(figure['login'])} runs:")
        for key, label in (("login", "login screen visible"), ("home", "home after logging in")):
            values = figure[key]
            target = f" (target < {TARGETS[key]} ms on poor 3G)" if name.startswith("poor") else ""
            print(f"  {label}: median {statistics.median(values):.0f} ms, "
                  f"min {min(values):.0f} ms, max {max(values):.0f} ms{target}")
        print(f"  shell bytes sent: {figure['page_bytes'] / 1024:.1f} KB to the page, "
              f"{figure['worker_bytes'] / 1024:.1f} KB to the service worker's install")
    times = reopen_times(args.runs)
    print(f"reopen offline to home screen, 4x CPU throttling, {len(times)} runs: "
          f"median {statistics.median(times):.0f} ms, min {min(times):.0f} ms, max {max(times):.0f} ms")


if __name__ == "__main__":
    main()
