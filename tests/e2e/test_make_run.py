"""`make run` serves the seeded demo: start it for real on a free port and ask it."""

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode()


def test_make_run_serves_the_demo(tmp_path):
    port = _free_port()
    env = dict(os.environ, PORT=str(port), DATABASE_URL=f"sqlite:///{tmp_path}/demo.db",
               LANG_NGHE_INSTANCE=str(tmp_path / "instance"))
    env.pop("TEST_DATABASE_URL", None)
    log_path = tmp_path / "make-run.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(["make", "--no-print-directory", "run"], cwd=ROOT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        status = None
        while time.monotonic() < deadline:
            assert process.poll() is None, log_path.read_text()
            try:
                status, body = _get(f"http://127.0.0.1:{port}/api/v1/health")
                break
            except OSError:
                time.sleep(0.5)
        assert status == 200, log_path.read_text()
        assert '"database": "ok"' in body or '"database":"ok"' in body
        status, page = _get(f"http://127.0.0.1:{port}/login")
        assert status == 200 and "Đăng nhập" in page
        output = log_path.read_text()
        assert f"http://127.0.0.1:{port}/" in output
        assert "admin" in output and "official" in output and "volunteer" in output
        assert "lang-nghe-demo" in output
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
