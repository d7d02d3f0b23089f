"""Issue 10, honest figures, as printed: two named headline figures, intervals as numbers,
mean scores, one column order with ▲/▼, coverage flags, "not surveyed", the minimum N."""

from dataclasses import replace

from reports.formatting import format_interval, format_mean, format_percent
from reports.pdf import render_round_report
from reports.sample import sample_summary
from reports.stats import compare_proportions
from reports.summary import CoverageRow


def test_the_two_headline_figures_are_named_apart(commune_summary, commune_pdf, extract):
    text = extract(commune_pdf["vi"])
    direct = commune_summary.overall_question
    assert "Hài lòng chung (câu hỏi trực tiếp)" in text
    assert "Chỉ số hài lòng theo SIPAS (5 nhóm)" in text
    assert format_percent(direct.share, "vi") in text
    assert f"KTC 95%: {format_interval(direct.ci_low, direct.ci_high, 'vi')} · N=" in text
    assert f"Điểm trung bình: {format_mean(direct.mean_score, 'vi')}/5" in text
    interval = format_interval(commune_summary.overall_ci_low, commune_summary.overall_ci_high,
                               "vi")
    assert f"KTC 95%: {interval}" in text
    assert "trung bình cộng (không trọng số)" in text and "“Không áp dụng” không được" in text


def test_intervals_and_mean_scores_are_printed_as_numbers(commune_summary, commune_pdf,
                                                          extract):
    text = extract(commune_pdf["en"])
    for item in commune_summary.items:
        assert (f"{item.valid} {format_percent(item.share, 'en')} "
                f"{format_interval(item.ci_low, item.ci_high, 'en')} "
                f"{format_mean(item.mean_score, 'en')}") in text, item.question
    for group in commune_summary.groups:
        assert format_interval(group.ci_low, group.ci_high, "en") in text, group.key


def test_one_column_order_and_marks_that_survive_greyscale(commune_summary, commune_pdf,
                                                           extract):
    text = extract(commune_pdf["en"])
    assert "Previous This round 95% CI Mean Change" in text
    assert "Largest rises Previous This round Change" in text
    access = commune_summary.groups[0]
    mark = "▲" if access.previous.change_pp > 0 else "▼"
    assert (f"{format_percent(access.previous.share, 'en')} {format_percent(access.share, 'en')}"
            in text)
    assert f"{mark} " in text and "▲" in text and "▼" in text


def test_coverage_over_target_is_flagged_and_units_outside_read_not_surveyed(extract):
    summary = sample_summary()
    rows = (*summary.coverage.rows[:-1],
            CoverageRow(unit_id=900, name="Tổ dân phố Quá Chỉ Tiêu", responses=80, target=1),
            CoverageRow(unit_id=901, name="Tổ dân phố Ngoài Đợt", responses=0, target=None))
    summary = replace(summary, coverage=replace(summary.coverage, rows=rows))
    text = extract(render_round_report(summary, "vi"))
    assert "Tổ dân phố Quá Chỉ Tiêu 80 1 > 100%" in text
    assert "8.000" not in text
    assert "“> 100%”: số phiếu vượt chỉ tiêu" in text
    assert "Tổ dân phố Ngoài Đợt – – chưa khảo sát" in text


def test_no_clear_change_is_claimed_below_the_minimum_n(extract):
    summary = sample_summary()
    first = summary.items[0]
    small = replace(first, satisfied=20, valid=20, share=1.0,
                    previous=compare_proportions(20, 20, 0, 20))
    assert small.previous.p_value < 0.001 and small.previous.significant is None
    summary = replace(summary, items=(small, *summary.items[1:]))
    text = extract(render_round_report(summary, "vi"))
    assert "0,0% (N=20) 100,0% (N=20)" in text     # previous, then this round
    assert "▲ +100,0 điểm %" in text and "chưa đủ N" in text
