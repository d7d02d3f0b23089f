"""How far through its window a round is, and so how many responses a target expects."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from server.db_types import utcnow
from server.rounds.models import Round


@dataclass(frozen=True, slots=True)
class Pace:
    """How far through its window the round is: expected = target × elapsed / length."""
    elapsed_days: float
    length_days: float

    @property
    def fraction(self) -> float:
        if self.length_days <= 0:
            return 1.0
        return min(max(self.elapsed_days / self.length_days, 0.0), 1.0)

    def expected(self, target: int | None) -> int | None:
        return None if target is None else expected_at(target, self.fraction)


def expected_at(target: int, fraction: float) -> int:
    # whole responses: a unit is behind only once a full response is missing
    return math.floor(target * fraction + 1e-9)


def round_pace(round_: Round, now: datetime | None = None) -> Pace:
    now = now or utcnow()
    length = (round_.closes_at - round_.opens_at).total_seconds() / 86400
    if round_.effective_status(now) == "closed":
        return Pace(length, length)
    elapsed = (min(now, round_.closes_at) - round_.opens_at).total_seconds() / 86400
    return Pace(max(elapsed, 0.0), length)
