"""The rows of the progress page: counts, a unit's row, a volunteer's row, a day's count."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(slots=True)
class Counts:
    responses: int = 0     # counted: the report's number
    late: int = 0          # counted and completed after the round closed
    rejected: int = 0      # rejected on review, or refused at upload
    excluded: int = 0      # excluded from reports by an admin

    def add(self, other: Counts) -> None:
        self.responses += other.responses
        self.late += other.late
        self.rejected += other.rejected
        self.excluded += other.excluded


def add_numbers(into: dict[int, list[int]], key: int, numbers) -> None:
    """Add [responses, late, rejected, excluded] (Counts' order) into the key's list: the
    national page adds 36,000 of them, as lists, not Counts."""
    known = into.get(key)
    if known is None:
        into[key] = list(numbers)
        return
    known[0] += numbers[0]
    known[1] += numbers[1]
    known[2] += numbers[2]
    known[3] += numbers[3]


@dataclass(slots=True)
class UnitRow:
    id: int
    name: str
    kind: str
    has_children: bool = False
    own: bool = False              # responses made at the scope unit itself
    target: int | None = None
    counts: Counts = field(default_factory=Counts)
    expected: int | None = None

    @property
    def responses(self) -> int:
        return self.counts.responses

    @property
    def coverage(self) -> float | None:
        return self.responses / self.target if self.target else None

    @property
    def shortfall(self) -> int:
        """Responses missing to be on pace (0 when on or ahead of pace)."""
        return max((self.expected or 0) - self.responses, 0)

    @property
    def behind(self) -> bool:
        return self.shortfall > 0


@dataclass(slots=True)
class VolunteerRow:
    id: int
    display_name: str
    username: str
    is_active: bool
    last_sync_at: datetime | None
    app_version: str | None
    queued: int | None
    counts: Counts
    last_response_at: datetime | None = None
    units: list[str] = field(default_factory=list)

    @property
    def responses(self) -> int:
        return self.counts.responses


@dataclass(frozen=True, slots=True)
class DayCount:
    day: date
    responses: int
    cumulative: int
    future: bool = False        # a day of the round still to come
    in_window: bool = True      # between the round's opening and closing days
