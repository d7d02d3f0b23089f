"""The report in Khmer over the API (?lang=km): a form with Khmer labels and a resident's
comment in Khmer come out in the PDF as written."""

import importlib.util
import json
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from reports.i18n import t

pytestmark = pytest.mark.db

KHMER_LABEL = "ទីតាំងទទួលសេវាងាយស្រួល"
KHMER_COMMENT = "មន្ត្រីឃុំជួយប្រជាពលរដ្ឋបានល្អ សូមអរគុណច្រើន។"
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None and not os.environ.get("CI"),
                                   reason="pdftotext (poppler-utils) is not installed")


def report_url(round_, unit, lang):
    return f"/api/v1/rounds/{round_.id}/units/{unit.id}/report.pdf?lang={lang}"


def squashed(text: str) -> str:
    """NFC, no whitespace between Khmer letters (lines wrap inside Khmer words)."""
    text = " ".join(unicodedata.normalize("NFC", text).split())
    return re.sub("(?<=[\u1780-\u17ff]) (?=[\u1780-\u17ff])", "", text)


@pytest.fixture
def khmer_dataset(db, factory, tmp_path):
    """tests/analytics' generated survey, its form carrying a Khmer label (a published
    version cannot change, so the form is written with it), and one comment in Khmer."""
    spec = importlib.util.spec_from_file_location(
        "survey_data_khmer", Path(__file__).parents[1] / "analytics" / "survey_data.py")
    survey_data = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(survey_data)
    definition = json.loads(survey_data.FORM_PATH.read_text(encoding="utf-8"))
    for question in definition["questions"]:
        if question.get("name") == "access_location":
            question["label"]["km"] = KHMER_LABEL
    survey_data.FORM_PATH = tmp_path / "survey_form_km.json"
    survey_data.FORM_PATH.write_text(json.dumps(definition, ensure_ascii=False), "utf-8")
    dataset = survey_data.build_dataset(db, factory)
    group = dataset.groups["Tổ dân phố Đông Thịnh"]
    answers = next(response.answers for response in dataset.responses
                   if response.round_id == dataset.current.id and response.unit_id == group.id
                   and response.status == "accepted")
    factory.response(dataset.current, group, dataset.volunteer,
                     {**answers, "comment": KHMER_COMMENT}, status="accepted")
    return dataset


@needs_poppler
def test_the_khmer_report_carries_khmer_labels_and_comments(client, khmer_dataset, bearer):
    commune = khmer_dataset.communes["Phường Đông Hòa"]
    response = client.get(report_url(khmer_dataset.current, commune, "km"),
                          headers=bearer(khmer_dataset.official))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert 'filename="bao-cao-khmer-phuong-dong-hoa-dot-2-nam-2026.pdf"' in \
        response.headers["Content-Disposition"]
    done = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=response.data,
                          capture_output=True, check=True)
    text = squashed(done.stdout.decode("utf-8"))
    assert squashed(t("title", "km")) in text
    assert KHMER_LABEL in text
    assert squashed(KHMER_COMMENT) in text
    # an item with no Khmer label falls back to its Vietnamese one
    assert "Thủ tục được niêm yết công khai" in text


def test_the_vietnamese_report_is_unchanged_by_khmer_labels(client, khmer_dataset, bearer,
                                                             pdf_text):
    commune = khmer_dataset.communes["Phường Đông Hòa"]
    response = client.get(report_url(khmer_dataset.current, commune, "vi"),
                          headers=bearer(khmer_dataset.official))
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert "Địa điểm tiếp nhận thuận tiện" in text and KHMER_LABEL not in text


def test_an_unknown_language_is_refused_in_vietnamese(client, khmer_dataset, bearer):
    commune = khmer_dataset.communes["Phường Đông Hòa"]
    response = client.get(report_url(khmer_dataset.current, commune, "lo"),
                          headers=bearer(khmer_dataset.official))
    assert response.status_code == 400
    assert response.json["error"]["code"] == "validation_error"
    assert "vi, en, km" in str(response.json["error"])


def test_the_reports_page_offers_the_khmer_pdf(login, khmer_dataset):
    client = login(khmer_dataset.official)
    html = client.get("/reports").get_data(as_text=True)
    commune = khmer_dataset.communes["Phường Đông Hòa"]
    pdf = f"/api/v1/rounds/{khmer_dataset.current.id}/units/{commune.id}/report.pdf"
    assert f'href="{pdf}?lang=km"' in html and 'lang="km">PDF (ភាសាខ្មែរ)</a>' in html
