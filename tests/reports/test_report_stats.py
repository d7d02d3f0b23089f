import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reports.stats import (
    MIN_N_PER_SIDE,
    compare_indices,
    compare_proportions,
    fisher_exact_test,
    index_interval,
    index_standard_error,
    mask_personal_numbers,
    needs_exact_test,
    newcombe_interval,
    two_proportion_test,
    wilson_interval,
    wilson_standard_error,
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
    assert clear.significant is True and clear.test == "z" and not clear.too_few
    assert clear.p_value == pytest.approx(two_proportion_test(45, 100, 30, 100)[1])
    low, high = newcombe_interval(45, 100, 30, 100)
    assert (clear.change_low_pp, clear.change_high_pp) == pytest.approx((low * 100, high * 100))
    assert clear.change_low_pp > 0
    unclear = compare_proportions(31, 100, 30, 100)
    assert unclear.significant is False
    assert math.isclose(unclear.change_pp, 1.0)
    assert compare_proportions(3, 10, 0, 0).share is None


@pytest.mark.parametrize(("table", "expected"), [
    # Fisher's tea-tasting experiment; Agresti (2002) 3.5.1; scipy's documented example
    ((3, 4, 1, 4), 0.485714),
    ((8, 10, 1, 6), 0.034965),
    ((1, 10, 11, 14), 0.002759),
])
def test_fisher_exact_test_matches_published_values(table, expected):
    assert fisher_exact_test(*table) == pytest.approx(expected, abs=1e-6)


def test_fisher_exact_test_is_symmetric_and_one_for_identical_samples():
    assert fisher_exact_test(2, 9, 7, 12) == pytest.approx(fisher_exact_test(7, 12, 2, 9))
    assert fisher_exact_test(5, 10, 5, 10) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        fisher_exact_test(1, 0, 1, 2)


@pytest.mark.parametrize(("counts", "low", "high"), [
    # Newcombe (1998), Statistics in Medicine 17:873, table II, method 10
    ((56, 70, 48, 80), 0.0524, 0.3339),
    ((9, 10, 3, 10), 0.1705, 0.8090),
    ((5, 56, 0, 29), -0.0381, 0.1926),
    ((0, 10, 0, 20), -0.1611, 0.2775),
    ((0, 10, 0, 10), -0.2775, 0.2775),
    ((10, 10, 0, 20), 0.6791, 1.0),
    ((10, 10, 0, 10), 0.6075, 1.0),
])
def test_newcombe_interval_matches_published_values(counts, low, high):
    got_low, got_high = newcombe_interval(*counts)
    assert got_low == pytest.approx(low, abs=5e-5)
    assert got_high == pytest.approx(high, abs=5e-5)


def test_small_counts_use_the_exact_test():
    assert needs_exact_test(1, 200, 6, 200)          # 3.5 "yes" expected per round
    assert not needs_exact_test(2, 200, 9, 210)      # 5.4 and 5.6
    assert not needs_exact_test(90, 200, 80, 200)
    rare = compare_proportions(0, 200, 7, 200)
    assert rare.test == "fisher"
    assert rare.p_value == pytest.approx(fisher_exact_test(0, 200, 7, 200))
    assert rare.p_value != pytest.approx(two_proportion_test(0, 200, 7, 200)[1])


def test_no_clear_change_below_the_minimum_n_per_side():
    n = MIN_N_PER_SIDE - 1
    small = compare_proportions(n, n, 0, n)        # every answer flipped: p is tiny
    assert small.p_value < 1e-6
    assert small.significant is None and small.too_few
    at_minimum = compare_proportions(MIN_N_PER_SIDE, MIN_N_PER_SIDE, 0, MIN_N_PER_SIDE)
    assert at_minimum.significant is True and not at_minimum.too_few


def test_wilson_standard_error_is_the_interval_half_width_over_z():
    low, high = wilson_interval(30, 40)
    assert wilson_standard_error(30, 40) * 2 * 1.959963984540054 == pytest.approx(high - low)
    assert wilson_standard_error(20, 20) > 0   # never 0, unlike sqrt(p(1-p)/n)


def test_index_interval_is_the_perfect_correlation_bound():
    errors = [wilson_standard_error(x, 50) for x in (40, 35, 30)]
    error = index_standard_error(errors)
    # Var(mean) <= (mean of the standard errors)^2, equality at perfect correlation
    independent = math.sqrt(sum(e * e for e in errors)) / 3
    assert error >= independent
    assert error == pytest.approx(sum(errors) / 3)
    low, high = index_interval(0.7, error)
    assert low == pytest.approx(0.7 - 1.959963984540054 * error)
    assert index_interval(0.99, 0.05)[1] == 1.0
    assert index_interval(None, 0.1) == (None, None)


def test_index_changes_use_the_delta_method():
    change = compare_indices(0.72, 0.02, 0.62, 0.025, 200, 180)
    error = math.sqrt(0.02 ** 2 + 0.025 ** 2)
    assert change.test == "delta" and change.significant is True
    assert change.change_pp == pytest.approx(10.0)
    assert change.p_value == pytest.approx(math.erfc(0.10 / error / math.sqrt(2)))
    assert change.change_low_pp == pytest.approx((0.10 - 1.959963984540054 * error) * 100)
    assert compare_indices(0.72, 0.02, 0.62, 0.025, 200, 12).significant is None
    assert compare_indices(0.5, 0.1, None, None, 10, 0).change_pp is None


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
