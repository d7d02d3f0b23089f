from datetime import UTC, date, datetime

import pytest

from reports.formatting import (
    format_change_interval,
    format_change_pp,
    format_coverage,
    format_date,
    format_datetime,
    format_decimal,
    format_int,
    format_interval,
    format_mean,
    format_p_value,
    format_percent,
    percent_value,
    round_half_away,
)


@pytest.mark.parametrize(("lang", "expected"), [("vi", "87,4%"), ("en", "87.4%")])
def test_percent_uses_the_languages_decimal_mark(lang, expected):
    assert format_percent(0.8743, lang) == expected


def test_percent_of_nothing_is_a_dash():
    assert format_percent(None, "vi") == "–"


@pytest.mark.parametrize(("lang", "expected"), [("vi", "1.234.567"), ("en", "1,234,567")])
def test_thousands_separator(lang, expected):
    assert format_int(1234567, lang) == expected


def test_large_percent_has_both_separators():
    assert format_percent(12.345, "vi") == "1.234,5%"
    assert format_percent(12.345, "en") == "1,234.5%"


def test_change_in_points_has_sign_and_unit():
    assert format_change_pp(3.24, "vi") == "+3,2 điểm %"
    assert format_change_pp(-1.55, "en") == "-1.6 pp"   # half away from zero
    assert format_change_pp(0.01, "en") == "±0.0 pp"


def test_p_value_small_and_ordinary():
    assert format_p_value(0.0004, "vi") == "< 0,001"
    assert format_p_value(0.0284, "en") == "0.028"
    assert format_p_value(0.4333, "vi") == "0,433"


def test_dates_per_language():
    assert format_date(date(2025, 6, 5), "vi") == "05/06/2025"
    assert format_date(date(2025, 6, 5), "en") == "5 Jun 2025"


def test_times_are_shown_in_viet_nam():
    moment = datetime(2025, 6, 15, 20, 5, tzinfo=UTC)   # 03:05 next day in Hà Nội
    assert format_datetime(moment, "vi") == "03:05 16/06/2025"
    assert format_datetime(moment, "en") == "16 Jun 2025, 03:05"
    assert format_datetime(moment.replace(tzinfo=None), "vi") == "03:05 16/06/2025"


@pytest.mark.parametrize(("share", "expected"), [
    (0.8745, "87.5%"),     # float 0.8745 * 100 is 87.44999...: decimal arithmetic, not binary
    (0.125, "12.5%"),
    (0.00125, "0.1%"),
    (0.0015, "0.2%"),      # banker's rounding would give 0.2 too, 0.0025 below tells them apart
    (0.0025, "0.3%"),      # half to even: 0.2%
    (0.9995, "100.0%"),
    (1 / 3, "33.3%"),
])
def test_one_rounding_rule_half_away_from_zero(share, expected):
    assert format_percent(share, "en") == expected


def test_rounding_half_away_from_zero_for_negatives_and_whole_numbers():
    assert format_decimal(2.5, "en", 0) == "3"           # round(2.5) == 2 in Python
    assert format_decimal(-2.5, "en", 0) == "-3"
    assert format_change_pp(-0.25, "en") == "-0.3 pp"
    assert format_change_pp(0.25, "vi") == "+0,3 điểm %"
    assert format_change_pp(-0.04, "en") == "±0.0 pp"    # never "-0.0"
    assert round_half_away(0.145, 2) == 0.15             # round(0.145, 2) == 0.14
    assert round_half_away(-1.005, 2) == -1.01


def test_coverage_over_a_hundred_percent_is_flagged_not_printed():
    assert format_coverage(80.0, "vi") == "> 100%"       # 80 responses for a target of 1
    assert format_coverage(1.0004, "en") == "100.0%"     # rounds to 100%: not over
    assert format_coverage(0.905, "vi") == "90,5%"
    assert format_coverage(None, "vi") == "–"


def test_changes_carry_up_and_down_marks_on_request():
    assert format_change_pp(3.24, "vi", marks=True) == "▲ +3,2 điểm %"
    assert format_change_pp(-1.55, "en", marks=True) == "▼ -1.6 pp"
    assert format_change_pp(0.01, "en", marks=True) == "±0.0 pp"


def test_intervals_and_mean_scores():
    assert format_interval(0.7405, 0.8205, "vi") == "74,1–82,1%"
    assert format_interval(None, 0.5, "vi") == "–"
    assert format_change_interval(-2.1, 7.85, "vi") == "-2,1 đến +7,9"
    assert format_change_interval(1.2, 5.0, "en") == "+1.2 to +5.0"
    assert format_mean(3.875, "vi") == "3,88"
    assert format_mean(None, "en") == "–"


def test_exports_round_by_the_same_rule():
    assert percent_value(0.8745) == 87.5      # round(0.8745 * 100, 1) == 87.4
    assert percent_value(0.0025) == 0.3       # round(0.25, 1) == 0.2
    assert percent_value(None) is None
