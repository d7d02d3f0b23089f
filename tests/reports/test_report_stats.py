import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.stats import (
    compare_proportions,
    mask_personal_numbers,
    two_proportion_test,
    wilson_interval,
)


@pytest.mark.parametrize(("successes", "n", "low", "high"), [
    # Newcombe (1998), Statistics in Medicine 17:857, table I, method 3 (Wilson score)
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
])
def test_wilson_interval_matches_published_values(successes, n, low, high):
    got_low, got_high = wilson_interval(successes, n)
    assert got_low == pytest.approx(low, abs=5e-5)
    assert got_high == pytest.approx(high, abs=5e-5)


@given(st.integers(min_value=1, max_value=5000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))))
def test_wilson_interval_contains_the_share_and_stays_in_unit_range(case):
    successes, n = case
    low, high = wilson_interval(successes, n)
    assert 0.0 <= low <= successes / n <= high <= 1.0


def test_wilson_interval_rejects_empty_sample():
    with pytest.raises(ValueError):
        wilson_interval(0, 0)
    with pytest.raises(ValueError):
        wilson_interval(6, 5)


def test_two_proportion_test_known_value():
    # pooled p = 0.375, se = sqrt(.375 * .625 * .02) = 0.0684653; z = 0.15 / se
    z, p = two_proportion_test(45, 100, 30, 100)
    assert z == pytest.approx(2.19089, abs=1e-4)
    assert p == pytest.approx(0.028459, abs=1e-5)


def test_two_proportion_test_is_antisymmetric_and_two_sided():
    z1, p1 = two_proportion_test(120, 200, 90, 210)
    z2, p2 = two_proportion_test(90, 210, 120, 200)
    assert z1 == pytest.approx(-z2)
    assert p1 == pytest.approx(p2)
    assert z1 > 0


def test_two_proportion_test_without_variance_shows_no_change():
    assert two_proportion_test(10, 10, 30, 30) == (0.0, 1.0)
    with pytest.raises(ValueError):
        two_proportion_test(1, 0, 1, 2)


def test_compare_proportions_reports_change_in_points_and_significance():
    clear = compare_proportions(45, 100, 30, 100)
    assert clear.share == pytest.approx(0.30)
    assert clear.change_pp == pytest.approx(15.0)
    assert clear.significant is True
    unclear = compare_proportions(31, 100, 30, 100)
    assert unclear.significant is False
    assert math.isclose(unclear.change_pp, 1.0)
    assert compare_proportions(3, 10, 0, 0).share is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Gọi tôi: 0912 345 678 nhé", "Gọi tôi: **** *** *** nhé"),
    ("sđt 0912.345.678", "sđt ****.***.***"),
    ("+84912345678", "+***********"),
    ("CCCD 001092001234 của tôi", "CCCD ************ của tôi"),
    ("CMND 123456789", "CMND *********"),
    ("0236 3842 123 (số bàn)", "**** **** *** (số bàn)"),
])
def test_mask_personal_numbers_hides_phones_and_ids(text, expected):
    assert mask_personal_numbers(text) == expected


@pytest.mark.parametrize("text", [
    "Phải nộp 100.000.000 đồng tiền sử dụng đất",
    "Năm 2025 có 1.234 hồ sơ, tổ 12",
    "Mã hồ sơ 1234567890",
])
def test_mask_personal_numbers_leaves_other_numbers(text):
    assert mask_personal_numbers(text) == text
