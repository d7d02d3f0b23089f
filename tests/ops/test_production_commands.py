"""The README's "Production" section, run word for word from a plain shell on PostgreSQL:
migrate, create the admin (password on stdin), gunicorn, a token, the health check, and the
scheduler started and stopped by the service manager's signals."""

import json
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from tests.ops.conftest import BIN, ROOT, operator_env, run_command

pytestmark = [pytest.mark.db, pytest.mark.slow]

PASSWORD = "mat-khau-quan-tri-dai"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _request(url: str, body: dict | None = None) -> tuple[int, dict]:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def _wait_until_serving(base: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError("gunicorn exited: " + process.stdout.read())
        try:
            urllib.request.urlopen(base + "/api/v1/health", timeout=2).close()
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise AssertionError("gunicorn did not start serving")


def _stop(process: subprocess.Popen, how: int, seconds: float = 30) -> tuple[int, str]:
    process.send_signal(how)
    try:
        output, _ = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        raise AssertionError(f"did not stop on {how!r}: {output}") from None
    return process.returncode, output


def test_the_readme_production_commands_work_as_written(scratch_database, tmp_path):
    env = operator_env(tmp_path, LANG_NGHE_ENV="production", SECRET_KEY="s3cret-" * 6,
                       DATABASE_URL=scratch_database())

    upgrade = run_command(["flask", "db", "upgrade"], env)
    assert upgrade.returncode == 0, upgrade.stderr

    created = run_command(["flask", "create-user", "admin", "--role", "admin"], env,
                          stdin=f"{PASSWORD}\n")  # as from a script: one line
    assert created.returncode == 0, created.stderr
    assert "Created admin 'admin'" in created.stdout and PASSWORD not in created.stdout

    port = _free_port()
    web = subprocess.Popen([str(BIN / "gunicorn")], cwd=ROOT, text=True,
                           env={**env, "LANG_NGHE_BIND": f"127.0.0.1:{port}",
                                "WEB_CONCURRENCY": "2"},
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_serving(base, web)
        status, body = _request(base + "/api/v1/auth/token",
                                {"username": "admin", "password": PASSWORD, "device_name": "ops"})
        assert status == 200 and len(body["token"]) >= 40, body
        status, health = _request(base + "/api/v1/health")
        assert status == 200 and health["database"] == "ok", health
    finally:
        code, output = _stop(web, signal.SIGTERM)
    assert code == 0, output

    for how in (signal.SIGTERM, signal.SIGINT):
        scheduler = subprocess.Popen([str(BIN / "flask"), "scheduler"], cwd=ROOT, env=env,
                                     text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            started = _read_until(scheduler, "Scheduler running")
            time.sleep(1)  # let it reach its wait loop, as a long-running service would be
        finally:
            code, output = _stop(scheduler, how)
        assert code == 0, f"{how!r}: {started}{output}"
        assert "Traceback" not in output, output


def _read_until(process: subprocess.Popen, marker: str) -> str:
    """The process's output up to the line holding marker (the process has a timeout above)."""
    seen = ""
    for line in process.stdout:
        seen += line
        if marker in line:
            return seen
    raise AssertionError(f"no {marker!r} in: {seen}")
