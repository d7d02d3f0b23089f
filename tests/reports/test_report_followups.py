"""Follow-ups of issues 10 and 14 in the round report: the incidents table in the one column
order with ▲/▼, the key findings' index change stated like for like, the methodology saying
what the code does (tests, intervals, minimum N, moderation), the suggestion-box section."""

import html
from dataclasses import replace
from datetime import date

import pytest

from reports.pdf import render_round_report
from reports.sample import sample_summary
from reports.sections.closing import annex, incidents, methodology
from reports.sections.context import Context
from reports.sections.narrative import findings
from reports.sections.suggestions import SuggestionFigures, TopicRow
from reports.summary import Comparison, IncidentRate, LocalText, Methodology
from reports.template import CONTENT_WIDTH
from tests.reports.conftest import squash


def _context(summary, lang="vi") -> Context:
    return Context(summary=summary, lang=lang, width=CONTENT_WIDTH)


def _cell_text(cell) -> str:
    return cell if isinstance(cell, str) else cell.text


def _table(flowables):
    return next(f for f in flowables if hasattr(f, "_cellvalues"))


def _texts(flowables) -> str:
    return squash(html.unescape(" ".join(f.text for f in flowables if hasattr(f, "text"))))


# --- 1. incidents: previous round, this round, change with its mark --------------------------

RISEN = IncidentRate(question="late", label=LocalText("Bị trễ hẹn", "Late"), count=30, valid=200,
                     share=0.15, previous=Comparison(share=0.08, valid=180, change_pp=7.0,
                                                     significant=True))
FALLEN = IncidentRate(question="evaded", label=LocalText("Né tránh", "Evaded"), count=8,
                      valid=200, share=0.04, previous=Comparison(share=0.10, valid=180,
                                                                 change_pp=-6.0))


def test_incidents_table_has_the_one_column_order_and_marks():
    summary = replace(sample_summary(), incidents=(RISEN, FALLEN))
    table = _table(incidents(_context(summary)))
    header, risen, fallen = ([_cell_text(c) for c in row] for row in table._cellvalues)
    assert header == ["Chỉ tiêu đánh giá", "Đợt trước", "Số người gặp", "Số phiếu", "Đợt này",
                      "Thay đổi"]
    assert risen[:5] == ["Bị trễ hẹn", "8,0%", "30", "200", "15,0%"]
    assert fallen[1] == "10,0%" and fallen[4] == "4,0%"
    # the ▲/▼ of the ZapfDingbats font, as in the other tables, and the verdict
    assert "\u25b2" in risen[5] and "+7,0" in risen[5] and "rõ rệt" in risen[5]
    assert "\u25bc" in fallen[5] and "\u25b2" not in fallen[5]


def test_incidents_without_a_previous_round_have_no_comparison_columns():
    summary = replace(sample_summary(), incidents=(replace(RISEN, previous=None),),
                      previous_round=None)
    table = _table(incidents(_context(summary)))
    assert [_cell_text(c) for c in table._cellvalues[0]] == [
        "Chỉ tiêu đánh giá", "Số người gặp", "Số phiếu", "Tỷ lệ"]


# --- 2. the index change in the key findings --------------------------------------------------

def _overall_sentence(summary, lang="vi") -> str:
    marker = {"vi": "Chỉ số hài lòng theo SIPAS", "en": "The SIPAS-style index"}[lang]
    return next(s for s in findings(_context(summary, lang)) if s.startswith(marker))


def test_a_like_for_like_change_says_so_and_gives_its_two_figures():
    like_for_like = Comparison(share=0.428, valid=200, change_pp=31.9, significant=True,
                               current=0.747, dropped=("q7",))
    summary = replace(sample_summary(), overall_index=0.696, overall_previous=like_for_like)
    sentence = _overall_sentence(summary)
    assert "là 69,6%" in sentence
    assert "tăng 31,9 điểm phần trăm" in sentence
    # the change is the difference of the two figures printed beside it
    assert "cùng các tiêu chí" in sentence and "(74,7% so với 42,8%)" in sentence
    assert "(rõ rệt)" in sentence
    english = _overall_sentence(summary, "en")
    assert "up 31.9 percentage points" in english
    assert "compared on the items answered in both rounds" in english
    assert "(74.7% against 42.8%)" in english


def test_like_for_like_with_the_printed_figure_unchanged_names_the_printed_one():
    comparison = Comparison(share=0.60, valid=200, change_pp=9.6, dropped=("q7",))
    summary = replace(sample_summary(), overall_index=0.696, overall_previous=comparison)
    assert "(69,6% so với 60,0%)" in _overall_sentence(summary)


def test_a_plain_change_is_the_plain_difference():
    comparison = Comparison(share=0.60, valid=200, change_pp=9.6, significant=False)
    summary = replace(sample_summary(), overall_index=0.696, overall_previous=comparison)
    sentence = _overall_sentence(summary)
    assert "tăng 9,6 điểm phần trăm so với đợt trước (chưa rõ rệt" in sentence
    assert "cùng các tiêu chí" not in sentence


# --- 3. the methodology says what the code does -----------------------------------------------

def test_the_annex_states_every_test_and_interval_from_the_methodology_fields():
    method = Methodology(min_n_per_side=40, exact_test_below=6, alpha=0.01,
                         suppression_threshold=7)
    summary = replace(sample_summary(), methodology=method)
    text = _texts(annex(_context(summary)))
    for words in ("Wilson", "phương pháp delta", "cận trên của phương sai",
                  "kiểm định chính xác Fisher", "kỳ vọng dưới 6", "Newcombe (phương pháp 10)",
                  "p < 0,01", "ít nhất 40 câu trả lời hợp lệ", "có từ 7 phiếu",
                  "cùng các tiêu chí có câu trả lời ở cả hai đợt (*)", "nửa lên (xa số 0)"):
        assert words in text, words
    assert "(xấp xỉ chuẩn)" not in text     # the old text claimed a z-test only
    english = _texts(annex(_context(summary, "en")))
    assert "Fisher's exact test when a 2×2 cell expects fewer than 6" in english
    assert "at least 40 valid answers" in english and "half away from zero" in english


def test_the_plain_methodology_names_the_minimum_n():
    summary = replace(sample_summary(), methodology=Methodology(min_n_per_side=40))
    assert "ít nhất 40 câu trả lời" in _texts(methodology(_context(summary)))


@pytest.mark.parametrize("hidden", [0, 3])
def test_the_methodology_says_how_many_comments_moderation_hid(hidden):
    summary = replace(sample_summary(), comment_hidden=hidden)
    text = _texts(methodology(_context(summary)))
    assert f"{hidden} ý kiến đã được ẩn khi kiểm duyệt" in text
    english = _texts(methodology(_context(summary, "en")))
    assert f"{hidden} comments were hidden in moderation" in english


def test_no_moderation_line_for_a_round_without_comments():
    summary = replace(sample_summary(), comments=(), comment_total=0, comment_hidden=0)
    assert "kiểm duyệt" not in _texts(methodology(_context(summary)))


# --- 4. the suggestion-box section ------------------------------------------------------------

FIGURES = SuggestionFigures(
    unit_name="Phường Hòa Khánh", period_start=date(2025, 5, 1), period_end=date(2025, 6, 15),
    threshold=5, withheld=None, total=23, status_totals=(6, None, 9, None),
    topics=(TopicRow({"vi": "Đất đai", "en": "Land"}, (3, None, 5, None), 12),
            TopicRow({"vi": "Môi trường", "en": "Environment"}, (3, None, 4, None), 11)),
    replied=12, median_hours_to_first_reply=30.0, decided_within_7_days=18,
    answered_within_7_days=11, share_answered_within_7_days=11 / 18)


def test_the_report_has_the_suggestion_section_before_the_comments(extract):
    text = extract(render_round_report(replace(sample_summary(), suggestions=FIGURES), "vi"))
    section = text.index("Hòm thư góp ý")
    assert text.index("Phản ánh về “3 không”") < section
    assert section < text.index("Ý kiến, kiến nghị của người dân", section)
    assert "từ 01/05/2025 đến 15/06/2025" in text
    assert "Số ý kiến: 23" in text and "Đất đai" in text and "61,1%" in text


def test_no_box_no_section(extract):
    text = extract(render_round_report(sample_summary(), "vi"))
    assert "Hòm thư góp ý" not in text
