"""Counts per bucket (a child unit, an age band...) gathered from the grouped SQL rows.

The database has already grouped the responses; here the grouped rows (a few per unit and
question) are only added up into buckets, never the responses themselves.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field


@dataclass
class Tally:
    responses: int = 0
    answered: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    values: dict[str, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    skipped: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def count(self, question: str, value: str) -> int:
        return self.values.get(question, {}).get(value, 0)

    def add(self, other: Tally) -> None:
        self.responses += other.responses
        for question, n in other.answered.items():
            self.answered[question] += n
        for question, counts in other.values.items():
            for value, n in counts.items():
                self.values[question][value] += n
        for question, n in other.skipped.items():
            self.skipped[question] += n


def total(tallies: dict) -> Tally:
    combined = Tally()
    for tally in tallies.values():
        combined.add(tally)
    return combined


def tallies_by_bucket(bucket_of: dict[int, object], answers, skipped, responses) -> dict:
    """Tallies keyed by bucket from the rows of queries.answer_counts, skipped_counts and
    response_counts; `bucket_of` maps a unit id to its bucket key."""
    tallies: dict = defaultdict(Tally)
    for unit_id, n in responses:
        tallies[bucket_of[unit_id]].responses += int(n)
    for unit_id, question, value, hits, answered in answers:
        tally = tallies[bucket_of[unit_id]]
        tally.answered[question] += int(answered)
        if value is not None:
            tally.values[question][str(value)] += int(hits)
    for unit_id, question, n in skipped:
        tallies[bucket_of[unit_id]].skipped[question] += int(n)
    return dict(tallies)


def tallies_by_dimension(responses, item_rows) -> dict:
    """Tallies keyed by the value of a breakdown question (None: not answered)."""
    tallies: dict = defaultdict(Tally)
    for dimension, n in responses:
        tallies[dimension].responses += int(n)
    for dimension, question, value, n in item_rows:
        tally = tallies[dimension]
        tally.answered[question] += int(n)
        tally.values[question][str(value)] += int(n)
    return dict(tallies)
