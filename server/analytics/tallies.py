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


def tallies_by_bucket(bucket_of: dict[int, object], answers, chosen, responses) -> dict:
    """Tallies keyed by bucket from the rows of queries.answer_counts, chosen_counts (per
    select_multiple question name) and response_counts; `bucket_of` maps a unit id to its
    bucket key."""
    tallies: dict = defaultdict(Tally)
    for unit_id, n in responses:
        tallies[bucket_of[unit_id]].responses += int(n)
    for unit_id, question, value, n in answers:
        tally = tallies[bucket_of[unit_id]]
        tally.answered[question] += int(n)
        if value is not None:
            tally.values[question][str(value)] += int(n)
    for question, rows in chosen.items():
        for unit_id, value, n in rows:
            tallies[bucket_of[unit_id]].values[question][str(value)] += int(n)
    return dict(tallies)


def _add_measures(tally: Tally, measures, numbers: list[int]) -> None:
    # what shares need: valid answers (as answered) and counted ones (under the first value)
    tally.responses += numbers[0]
    for index, measure in enumerate(measures):
        tally.answered[measure.question] += numbers[1 + 2 * index]
        tally.values[measure.question][measure.values[0]] += numbers[2 + 2 * index]


def tallies_by_breakdown(rows, dimensions: tuple[str, ...], measures) -> dict[str, dict]:
    """Per breakdown question, tallies keyed by its answer (None: not answered), as margins
    of the rows of queries.breakdown_counts."""
    result: dict[str, dict] = {name: defaultdict(Tally) for name in dimensions}
    for row in rows:
        keys, numbers = row[:len(dimensions)], [int(n or 0) for n in row[len(dimensions):]]
        for name, key in zip(dimensions, keys, strict=True):
            _add_measures(result[name][key], measures, numbers)
    return {name: dict(tallies) for name, tallies in result.items()}


def tallies_by_measures(bucket_of: dict[int, object], rows, measures) -> dict:
    """Tallies keyed by bucket from the rows of queries.unit_measure_counts."""
    tallies: dict = defaultdict(Tally)
    for unit_id, *numbers in rows:
        _add_measures(tallies[bucket_of[unit_id]], measures, [int(n or 0) for n in numbers])
    return dict(tallies)
