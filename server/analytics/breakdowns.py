"""Breakdown tables (by child unit, by a respondent question) and the child-unit ranking,
with small cells suppressed."""

from __future__ import annotations

from reports.summary import (
    BreakdownCell,
    BreakdownColumn,
    BreakdownRow,
    BreakdownTable,
    ChildRank,
    LocalText,
)
from server.analytics.figures import block_base, block_share, overall_change, overall_index
from server.analytics.spec import FormSpec
from server.analytics.tallies import Tally

OVERALL_COLUMN = BreakdownColumn("overall", LocalText("Chỉ số chung", "Overall index",
                                                      "សន្ទស្សន៍រួម"))
NOT_ANSWERED = LocalText("Không trả lời", "Not answered", "មិនបានឆ្លើយ")


def columns(spec: FormSpec) -> tuple[BreakdownColumn, ...]:
    """Every index group: the SIPAS groups, the conduct block ("5 biết"), the overall index
    (the mean of the SIPAS groups only)."""
    blocks = [*spec.groups, *([spec.conduct] if spec.conduct else [])]
    return (*[BreakdownColumn(block.key, block.label) for block in blocks], OVERALL_COLUMN)


def competition_ranks(values: list[float]) -> dict[float, int]:
    """Rank of each value, best (largest) first, ties sharing a rank ("1, 2, 2, 4"), in
    n log n: a ranking of thousands of communes must not compare each with each."""
    ranks: dict[float, int] = {}
    for position, value in enumerate(sorted(values, reverse=True), start=1):
        ranks.setdefault(value, position)
    return ranks


def _cell(n: int, share: float | None, threshold: int) -> BreakdownCell:
    if n < threshold:
        return BreakdownCell(n=n, share=None, suppressed=True)
    return BreakdownCell(n=n, share=share if n else None)


def row_cells(spec: FormSpec, tally: Tally, threshold: int) -> tuple[BreakdownCell, ...]:
    """One cell per SIPAS group, then the overall index. A cell rests on the valid answers of
    its best-answered item; the overall cell on the row's best-answered group."""
    cells = [_cell(block_base(spec, tally, block), block_share(spec, tally, block), threshold)
             for block in spec.groups]
    overall_n = max((cell.n for cell in cells), default=0)
    if spec.conduct:
        cells.append(_cell(block_base(spec, tally, spec.conduct),
                           block_share(spec, tally, spec.conduct), threshold))
    cells.append(_cell(overall_n, overall_index(spec, tally), threshold))
    return tuple(cells)


def breakdown_table(spec: FormSpec, key: str, title: LocalText,
                    rows: list[tuple[str, LocalText, Tally]], threshold: int) -> BreakdownTable:
    return BreakdownTable(key=key, title=title, columns=columns(spec), rows=tuple(
        BreakdownRow(key=row_key, label=label, n=tally.responses,
                     cells=row_cells(spec, tally, threshold))
        for row_key, label, tally in rows))


def dimension_rows(spec: FormSpec, dimension: str,
                   tallies: dict[str | None, Tally]) -> list[tuple[str, LocalText, Tally]]:
    """Rows in the question's choice order; responses without an answer last."""
    question = spec.question(dimension)
    rows = [(choice.value, choice.label, tallies[choice.value])
            for choice in question.choices if choice.value in tallies]
    known = {choice.value for choice in question.choices}
    others = sorted(key for key in tallies if key is not None and key not in known)
    rows += [(key, LocalText(key), tallies[key]) for key in others]
    if None in tallies:
        rows.append(("", NOT_ANSWERED, tallies[None]))
    return rows


def child_ranking(spec: FormSpec, children: list[tuple[int, str, int | None]],
                  tallies: dict, previous: dict | None, threshold: int,
                  previous_names: dict[int, str] | None = None) -> tuple[ChildRank, ...]:
    """Each child (id, name, target) with its overall index, ranked best first (ties share a
    rank); a child with fewer than `threshold` responses is neither shown nor ranked, one not
    in the round (no target, no response) is "not surveyed". `previous` holds each child's
    tally in its own previous round, `previous_names` that round's name."""
    entries = []
    for unit_id, name, target in children:
        tally = tallies.get(unit_id, Tally())
        surveyed = target is not None or tally.responses > 0
        suppressed = surveyed and tally.responses < threshold
        index = None if suppressed else overall_index(spec, tally)
        previous_index, change = None, None
        before = (previous or {}).get(unit_id)
        if before is not None and before.responses >= threshold and index is not None:
            change = overall_change(spec, tally, before, index, 0.05)
            previous_index = change.share
        entries.append((unit_id, name, tally.responses, index, suppressed, target,
                        previous_index, surveyed, change))
    ranks = competition_ranks([entry[3] for entry in entries if entry[3] is not None])
    names = previous_names or {}
    return tuple(
        ChildRank(unit_id=unit_id, name=name, responses=responses, index=index,
                  rank=ranks[index] if index is not None else None,
                  suppressed=suppressed, target=target, previous_index=previous_index,
                  surveyed=surveyed,
                  previous_round=names.get(unit_id) if previous_index is not None else None,
                  change_pp=change.change_pp if change else None,
                  dropped=change.dropped if change else ())
        for unit_id, name, responses, index, suppressed, target, previous_index, surveyed,
        change in entries)
