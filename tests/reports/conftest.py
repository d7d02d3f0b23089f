"""Rendered sample reports and their extracted text, shared by the report tests."""

import shutil
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader

from reports.pdf import render_round_report
from reports.sample import sample_summary


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF as a reader would copy it: pdftotext (poppler) when installed."""
    if shutil.which("pdftotext"):
        done = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf,
                              capture_output=True, check=True)
        return done.stdout.decode("utf-8")
    from io import BytesIO
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def squash(text: str) -> str:
    """Whitespace-insensitive form: table cells and wrapped lines come out in pieces."""
    return " ".join(unicodedata.normalize("NFC", text).split())


@pytest.fixture(scope="session")
def commune_summary():
    return sample_summary()


@pytest.fixture(scope="session")
def commune_pdf(commune_summary):
    return {lang: render_round_report(commune_summary, lang) for lang in ("vi", "en")}


@pytest.fixture(scope="session")
def commune_text(commune_pdf):
    return {lang: pdf_text(pdf) for lang, pdf in commune_pdf.items()}


@pytest.fixture(scope="session")
def extract():
    """pdf bytes -> whitespace-squashed NFC text."""
    return lambda pdf: squash(pdf_text(pdf))
