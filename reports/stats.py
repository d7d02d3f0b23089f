"""Small pure statistics and privacy helpers, shared by the analytics and the renderer.

What decides a "clear change" between two rounds (one rule, used for every figure):
- fewer than MIN_N_PER_SIDE valid answers on either side: no judgement at all (a change of
  a few answers among twenty is noise however small the p-value);
- a share: Fisher's exact test when a 2x2 cell would expect fewer than FISHER_BELOW answers,
  else the pooled two-proportion z-test; the change is printed with Newcombe's hybrid score
  interval (his method 10, built from two Wilson intervals);
- an index (a mean of item shares): the delta method. The items of one index are answered by
  the same residents, and the database gives only each item's counts, not how items move
  together; the variance of a mean is largest when its items are perfectly correlated, so
  the standard error used is that bound, the mean of the items' standard errors. The
  interval is therefore conservative (never narrower than the true delta-method interval).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from reports.masking import mask_personal_numbers  # noqa: F401  (older callers import it here)
from reports.summary import Comparison

Z_95 = 1.959963984540054
MIN_N_PER_SIDE = 30      # below this many valid answers on either side: no "clear change"
FISHER_BELOW = 5         # an expected 2x2 cell count below this: Fisher's exact test

TEST_Z = "z"
TEST_FISHER = "fisher"
TEST_DELTA = "delta"


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval for a proportion (95% by default).

    Better than the normal interval for small n and shares near 0 or 1, which is where
    residential-group figures live. Raises ValueError when n <= 0."""
    if n <= 0:
        raise ValueError("n must be positive")
    if not 0 <= successes <= n:
        raise ValueError("successes must be between 0 and n")
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half_width = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    # clamp so rounding never puts the interval on the wrong side of the share
    return min(p, max(0.0, centre - half_width)), max(p, min(1.0, centre + half_width))


def wilson_standard_error(successes: int, n: int, z: float = Z_95) -> float:
    """The standard error that goes with the Wilson interval (its half-width over z): unlike
    sqrt(p(1-p)/n) it is not 0 when every answer is the same."""
    if n <= 0:
        raise ValueError("n must be positive")
    p, z2 = successes / n, z * z
    return math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)


def two_proportion_test(x1: int, n1: int, x2: int, n2: int) -> tuple[float, float]:
    """Two-sided pooled two-proportion z-test (normal approximation): returns (z, p).

    z is positive when x1/n1 > x2/n2. When both samples are all successes or all
    failures there is no variance and no evidence of a change: (0.0, 1.0)."""
    if n1 <= 0 or n2 <= 0:
        raise ValueError("both samples must be non-empty")
    pooled = (x1 + x2) / (n1 + n2)
    variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2)
    if variance <= 0:
        return 0.0, 1.0
    z = (x1 / n1 - x2 / n2) / math.sqrt(variance)
    return z, math.erfc(abs(z) / math.sqrt(2))


def _log_choose(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def fisher_exact_test(x1: int, n1: int, x2: int, n2: int) -> float:
    """Two-sided Fisher's exact test of the 2x2 table [[x1, n1-x1], [x2, n2-x2]]: the
    probability, given the margins, of a table at most as likely as the one observed."""
    if n1 <= 0 or n2 <= 0:
        raise ValueError("both samples must be non-empty")
    if not (0 <= x1 <= n1 and 0 <= x2 <= n2):
        raise ValueError("successes must be between 0 and n")
    successes, total = x1 + x2, n1 + n2
    low, high = max(0, successes - n2), min(successes, n1)
    denominator = _log_choose(total, successes)

    def probability(a: int) -> float:
        return math.exp(_log_choose(n1, a) + _log_choose(n2, successes - a) - denominator)

    observed = probability(x1)
    # tables as likely as the observed one, up to float noise, count as "at most as likely"
    p = sum(q for q in (probability(a) for a in range(low, high + 1))
            if q <= observed * (1 + 1e-7))
    return min(1.0, p)


def newcombe_interval(x1: int, n1: int, x2: int, n2: int,
                      z: float = Z_95) -> tuple[float, float]:
    """Newcombe's hybrid score interval for p1 - p2 (Statistics in Medicine 1998, 17:873,
    method 10): good coverage for small samples and shares near 0 or 1."""
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson_interval(x1, n1, z)
    l2, u2 = wilson_interval(x2, n2, z)
    difference = p1 - p2
    return (difference - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2),
            difference + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2))


def needs_exact_test(x1: int, n1: int, x2: int, n2: int) -> bool:
    """True when a cell of the 2x2 table would expect fewer than FISHER_BELOW answers."""
    successes, total = x1 + x2, n1 + n2
    failures = total - successes
    return min(n1, n2) * min(successes, failures) / total < FISHER_BELOW


def enough_to_judge(n_now: int, n_before: int) -> bool:
    return min(n_now, n_before) >= MIN_N_PER_SIDE


def compare_proportions(x_now: int, n_now: int, x_prev: int, n_prev: int,
                        alpha: float = 0.05) -> Comparison:
    """The previous round's share of the same figure, the change with its interval, and
    whether it is clear (see the module's rule)."""
    if n_prev <= 0:
        return Comparison(share=None, valid=n_prev, change_pp=None)
    previous = x_prev / n_prev
    if n_now <= 0:
        return Comparison(share=previous, valid=n_prev, change_pp=None)
    if needs_exact_test(x_now, n_now, x_prev, n_prev):
        test, p_value = TEST_FISHER, fisher_exact_test(x_now, n_now, x_prev, n_prev)
    else:
        test, p_value = TEST_Z, two_proportion_test(x_now, n_now, x_prev, n_prev)[1]
    low, high = newcombe_interval(x_now, n_now, x_prev, n_prev)
    judged = enough_to_judge(n_now, n_prev)
    return Comparison(share=previous, valid=n_prev,
                      change_pp=(x_now / n_now - previous) * 100,
                      p_value=p_value, significant=p_value < alpha if judged else None,
                      change_low_pp=low * 100, change_high_pp=high * 100, test=test,
                      too_few=not judged)


def index_standard_error(item_errors: Sequence[float]) -> float | None:
    """The delta-method standard error of an unweighted mean of item shares, at its
    perfect-correlation bound: the mean of the items' standard errors."""
    return sum(item_errors) / len(item_errors) if item_errors else None


def mean_standard_error(errors: Sequence[float]) -> float | None:
    """The same bound for a mean of indices (the overall index is a mean of group indices)."""
    return index_standard_error(errors)


def index_interval(share: float | None, error: float | None,
                   z: float = Z_95) -> tuple[float | None, float | None]:
    if share is None or error is None:
        return None, None
    return max(0.0, share - z * error), min(1.0, share + z * error)


def compare_indices(now: float | None, error_now: float | None, before: float | None,
                    error_before: float | None, n_now: int, n_before: int,
                    alpha: float = 0.05, current: float | None = None) -> Comparison:
    """An index's change between two independent rounds by the delta method (the variances
    of the two rounds add). `now`/`before` rest on the same items (like for like); `current`
    is that like-for-like figure of this round when it differs from the one printed."""
    if before is None:
        return Comparison(share=None, valid=n_before, change_pp=None)
    if now is None:
        return Comparison(share=before, valid=n_before, change_pp=None, current=current)
    change = now - before
    judged = enough_to_judge(n_now, n_before)
    if error_now is None or error_before is None:
        return Comparison(share=before, valid=n_before, change_pp=change * 100,
                          current=current, too_few=not judged)
    error = math.sqrt(error_now ** 2 + error_before ** 2)
    p_value = math.erfc(abs(change) / error / math.sqrt(2)) if error > 0 else (
        1.0 if change == 0 else 0.0)
    return Comparison(share=before, valid=n_before, change_pp=change * 100,
                      p_value=p_value, significant=p_value < alpha if judged else None,
                      change_low_pp=(change - Z_95 * error) * 100,
                      change_high_pp=(change + Z_95 * error) * 100, test=TEST_DELTA,
                      current=current, too_few=not judged)
