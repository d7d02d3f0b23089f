"""The one-page notices printed in place of a report: too few responses, no data yet."""

from dataclasses import replace
from io import BytesIO

import pytest
from pypdf import PdfReader

from reports.notice import render_notice
from reports.pdf import render_round_report
from reports.sample import sample_summary
from reports.summary import Coverage
from server.analytics.suppression import suppress


def _withheld(responses: int):
    summary = sample_summary()
    return suppress(replace(summary, coverage=Coverage(responses=responses, target=40)), 5)


@pytest.mark.parametrize(("responses", "lang", "expected"), [
    (3, "vi", ["CHƯA ĐỦ PHIẾU ĐỂ LẬP BÁO CÁO", "có dưới 5 phiếu", "k = 5"]),
    (3, "en", ["TOO FEW RESPONSES TO REPORT", "has fewer than 5 responses", "k = 5"]),
    (0, "vi", ["CHƯA CÓ SỐ LIỆU", "chưa có phiếu nào"]),
    (0, "en", ["NO DATA YET", "has no responses"]),
])
def test_the_notice_is_one_page_naming_unit_round_and_k_without_figures(extract, responses,
                                                                        lang, expected):
    summary = _withheld(responses)
    pdf = render_round_report(summary, lang)
    assert len(PdfReader(BytesIO(pdf)).pages) == 1
    text = extract(pdf)
    for words in expected:
        assert words in text, words
    assert summary.unit.name in text and summary.round.name in text
    assert "%" not in text and "412" not in text


def test_a_full_summary_is_not_a_notice():
    with pytest.raises(ValueError):
        render_notice(sample_summary(), "vi")
