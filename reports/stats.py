"""Small pure statistics and privacy helpers, shared by the analytics and the renderer."""

from __future__ import annotations

import math

from reports.masking import mask_personal_numbers  # noqa: F401  (older callers import it here)
from reports.summary import Comparison

Z_95 = 1.959963984540054


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


def compare_proportions(x_now: int, n_now: int, x_prev: int, n_prev: int,
                        alpha: float = 0.05) -> Comparison:
    """The previous round's share of the same figure, the change and its significance."""
    if n_prev <= 0:
        return Comparison(share=None, valid=n_prev, change_pp=None)
    previous = x_prev / n_prev
    if n_now <= 0:
        return Comparison(share=previous, valid=n_prev, change_pp=None)
    _, p_value = two_proportion_test(x_now, n_now, x_prev, n_prev)
    return Comparison(share=previous, valid=n_prev,
                      change_pp=(x_now / n_now - previous) * 100,
                      p_value=p_value, significant=p_value < alpha)
