from datetime import UTC, date, datetime

import pytest

from reports.formatting import (
    format_change_pp,
    format_date,
    format_datetime,
    format_int,
    format_p_value,
    format_percent,
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
    assert format_change_pp(-1.55, "en") == "-1.6 pp"   # rounds half away as Python does
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
