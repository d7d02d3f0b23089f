"""The generated survey of tests/analytics (same form, same layout) for the report tests."""

import importlib.util
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "survey_data", Path(__file__).parents[1] / "analytics" / "survey_data.py")
survey_data = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(survey_data)


@pytest.fixture
def dataset(db, factory):
    return survey_data.build_dataset(db, factory)


@pytest.fixture
def login(client):
    """Log the test client in through the web login form."""

    def log_in(user, password="pw"):
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = client.post("/login", data={"username": user.username, "password": password,
                                                "csrf_token": token})
        assert response.status_code == 302, response.data
        return client

    return log_in


@pytest.fixture
def bearer(factory):
    """Authorization headers for a user's new API token."""

    def headers(user):
        return {"Authorization": f"Bearer {factory.token(user)}"}

    return headers


def _pdf_text(pdf: bytes) -> str:
    """The PDF's text as a reader would copy it (Debian's pdftotext; pypdf where missing),
    with runs of spaces squeezed to one."""
    if shutil.which("pdftotext"):
        done = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=pdf,
                              capture_output=True, check=True, timeout=60)
        text = done.stdout.decode("utf-8")
    else:
        from pypdf import PdfReader
        text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)
    return re.sub(r"[ \t]+", " ", text)


@pytest.fixture
def pdf_text():
    return _pdf_text
