"""The volunteer app's figures: app shell size (gzipped) and the time to reopen it
offline and show the home screen in headless Chromium with 4x CPU throttling.

Run: .venv/bin/python bench/pwa.py [--runs 5]
Prints figures; never passes or fails.
"""

import argparse
import gzip
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


def shell_size() -> tuple[int, int, int]:
    files = [p for p in sorted((ROOT / "pwa").rglob("*")) if p.is_file() and p.suffix in SHELL_SUFFIXES]
    raw = sum(p.stat().st_size for p in files)
    # Each file travels (and is cached) on its own, so each is compressed on its own.
    zipped = sum(len(gzip.compress(p.read_bytes(), compresslevel=9)) for p in files)
    return len(files), raw, zipped


def reopen_times(runs: int) -> list[float]:
    import logging

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
    args = parser.parse_args()
    count, raw, zipped = shell_size()
    verdict = "within" if zipped <= BUDGET_BYTES else "OVER"
    print(f"app shell: {count} files, {raw / 1024:.1f} KB raw, {zipped / 1024:.1f} KB gzipped "
          f"({verdict} the 60 KB budget)")
    times = reopen_times(args.runs)
    print(f"reopen offline to home screen, 4x CPU throttling, {len(times)} runs: "
          f"median {statistics.median(times):.0f} ms, min {min(times):.0f} ms, max {max(times):.0f} ms")


if __name__ == "__main__":
    main()
