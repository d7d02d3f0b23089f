"""k-anonymity of a summary: every figure resting on fewer than k responses is hidden, and
enough others with it that no hidden figure can be recovered by subtraction.

All of it works on plain data (reports.summary dataclasses), once, after the figures are
computed; the renderers (PDF, web page) only print what is left.

Rules (the methodology text in reports/i18n.py says exactly this):
- a unit with no response gets a "no data yet" notice, one with fewer than k a "too few
  responses" notice: no figure at all, not even its count;
- an item, incident or question distribution with fewer than k valid answers is hidden;
- a breakdown cell resting on fewer than k is hidden; in a respondent-group table (age, sex)
  the group's count too; a child unit with fewer than k responses is not ranked;
- complementary suppression: where exactly one member of a set that adds up to a shown
  total (a column of a breakdown, the row counts, the child units, the items of a group,
  the groups of the overall index) is hidden, the next smallest is hidden too;
- the previous round's figures obey the same threshold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import MISSING, fields, replace

from reports.summary import (
    BreakdownRow,
    BreakdownTable,
    ChildRank,
    Coverage,
    GroupIndex,
    IncidentRate,
    ItemSatisfaction,
    QuestionSummary,
    RoundSummary,
)
from server.analytics.breakdowns import competition_ranks

NO_DATA = "no_data"
TOO_FEW = "too_few"
UNIT_TABLES = ("residential_group", "unit")


def complementary(counts: Sequence[int], hidden: Sequence[bool]) -> tuple[bool, ...]:
    """`hidden` plus, when exactly one member with a count is hidden, the smallest shown member
    with a count: a lone hidden member is its parent's total minus its shown siblings.
    Members with a count of 0 protect nobody and hide nothing (they are known to be empty)."""
    result = list(hidden)
    protected = [i for i, n in enumerate(counts) if result[i] and n > 0]
    if len(protected) == 1:
        candidates = [i for i, n in enumerate(counts) if not result[i] and n > 0]
        if candidates:
            result[min(candidates, key=lambda i: (counts[i], i))] = True
    return tuple(result)


def primary(counts: Sequence[int], threshold: int) -> tuple[bool, ...]:
    return tuple(0 < n < threshold for n in counts)


def withheld_reason(responses: int, threshold: int) -> str | None:
    if responses == 0:
        return NO_DATA
    return TOO_FEW if responses < threshold else None


# what a notice keeps; every other field (figures, comments, anything added later) is reset
NOTICE_FIELDS = ("unit", "round", "issuer", "generated_at", "methodology", "withheld")


def withhold(summary: RoundSummary, reason: str) -> RoundSummary:
    """The notice's summary: who, which round, k, and no figure (no count, no comment)."""
    emptied = {f.name: f.default if f.default is not MISSING else f.default_factory()
               for f in fields(RoundSummary)
               if f.name not in NOTICE_FIELDS and f.name != "coverage"}
    return replace(summary, **emptied, withheld=reason, coverage=Coverage(responses=0),
                   methodology=replace(summary.methodology, suppressed_cells=0))


def suppress_table(table: BreakdownTable, threshold: int) -> BreakdownTable:
    rows = list(table.rows)
    counts_hidden = (False,) * len(rows)
    if table.key not in UNIT_TABLES:
        # how many residents of a group answered is itself an answer (age, sex...)
        counts = [row.n for row in rows]
        counts_hidden = complementary(counts, primary(counts, threshold))
    columns = len(table.columns)
    # a row under k shows no cell at all, not even an empty one ("all said not applicable")
    hidden = [[row_hidden or 0 < row.n < threshold or 0 < cell.n < threshold
               for cell in row.cells] for row, row_hidden in zip(rows, counts_hidden, strict=True)]
    for c in range(columns):
        # a hidden cell protects its row's respondents even when it rests on no valid answer
        weights = [row.cells[c].n or (row.n if hidden[r][c] else 0) for r, row in enumerate(rows)]
        column = complementary(weights, [h[c] for h in hidden])
        for r, value in enumerate(column):
            hidden[r][c] = value
    new_rows = []
    for r, row in enumerate(rows):
        cells = tuple(replace(cell, share=None, suppressed=True) if hidden[r][c]
                      else replace(cell, suppressed=False) for c, cell in enumerate(row.cells))
        new_rows.append(replace(row, cells=cells, n_suppressed=counts_hidden[r]))
    return replace(table, rows=tuple(new_rows))


def suppress_children(children: Sequence[ChildRank], threshold: int) -> tuple[ChildRank, ...]:
    counts = [child.responses for child in children]
    hidden = complementary(counts, [0 < n < threshold for n in counts])
    # ranks among the shown children only (ties share a rank)
    ranks = competition_ranks([child.index for child, h in zip(children, hidden, strict=True)
                               if not h and child.index is not None])
    result = []
    for child, h in zip(children, hidden, strict=True):
        if h:
            result.append(replace(child, index=None, rank=None, suppressed=True,
                                  previous_index=None, change_pp=None, dropped=()))
        else:
            rank = ranks[child.index] if child.index is not None else None
            result.append(replace(child, suppressed=False, rank=rank))
    return tuple(result)


def _hide_item(item: ItemSatisfaction) -> ItemSatisfaction:
    return replace(item, share=None, ci_low=None, ci_high=None, previous=None, suppressed=True)


def _previous_ok(previous, threshold: int):
    return previous if previous is None or previous.valid >= threshold else None


def _suppress_items(summary: RoundSummary, threshold: int) -> tuple[ItemSatisfaction, ...]:
    items = []
    for block in [*summary.groups, *([summary.conduct] if summary.conduct else [])]:
        members = summary.items_of(block.key)
        counts = [item.valid for item in members]
        hidden = complementary(counts, primary(counts, threshold))
        items += [_hide_item(item) if h
                  else replace(item, previous=_previous_ok(item.previous, threshold))
                  for item, h in zip(members, hidden, strict=True)]
    grouped = {item.question for item in items}
    items += [_hide_item(item) if 0 < item.valid < threshold else item
              for item in summary.items if item.question not in grouped]
    order = {item.question: i for i, item in enumerate(summary.items)}
    return tuple(sorted(items, key=lambda item: order[item.question]))


def _suppress_groups(groups: Sequence[GroupIndex], items: Sequence[ItemSatisfaction],
                     threshold: int) -> tuple[GroupIndex, ...]:
    """A group rests on its best-answered item; where exactly one group is hidden the overall
    index (their mean) would give it away, so the next weakest goes too."""
    bases = [max((i.valid for i in items if i.group_key == g.key), default=0) for g in groups]
    hidden = complementary(bases, primary(bases, threshold))
    return tuple(replace(group, share=None, previous=None, ci_low=None, ci_high=None,
                         mean_score=None) if h
                 else replace(group, previous=_previous_ok(group.previous, threshold))
                 for group, h in zip(groups, hidden, strict=True))


def _suppress_incident(incident: IncidentRate, threshold: int) -> IncidentRate:
    if 0 < incident.valid < threshold:
        return replace(incident, share=None, previous=None, suppressed=True)
    return replace(incident, previous=_previous_ok(incident.previous, threshold))


def _suppress_question(question: QuestionSummary, hidden_items: set[str],
                       threshold: int) -> QuestionSummary:
    if question.name in hidden_items or 0 < question.valid < threshold:
        return replace(question, suppressed=True)
    return question


def _hide_choices(question: QuestionSummary,
                  tables: Sequence[BreakdownTable]) -> QuestionSummary:
    """A breakdown question (age band, sex) prints the same head counts as its table: the
    choices hidden there are hidden here too."""
    table = next((t for t in tables if t.key == question.name), None)
    if table is None:
        return question
    hidden = {row.key for row in table.rows if row.n_suppressed}
    if not hidden:
        return question
    return replace(question, distribution=tuple(
        replace(choice, suppressed=True) if choice.value in hidden else choice
        for choice in question.distribution))


def _count_hidden(summary: RoundSummary) -> int:
    cells = sum(cell.suppressed for table in summary.breakdowns for row in table.rows
                for cell in row.cells)
    counts = sum(row.n_suppressed for table in summary.breakdowns for row in table.rows)
    return (cells + counts + sum(child.suppressed for child in summary.children)
            + sum(item.suppressed for item in summary.items)
            + sum(incident.suppressed for incident in summary.incidents)
            + sum(group.share is None and any(i.suppressed for i in summary.items_of(group.key))
                  for group in summary.groups))


def suppress(summary: RoundSummary, threshold: int) -> RoundSummary:
    """The summary as it may be published with k = `threshold`."""
    reason = withheld_reason(summary.coverage.responses, threshold)
    if reason is not None:
        return withhold(summary, reason)
    items = _suppress_items(summary, threshold)
    overall_question = summary.overall_question
    if overall_question is not None and 0 < overall_question.valid < threshold:
        overall_question = _hide_item(overall_question)
    elif overall_question is not None:
        overall_question = replace(overall_question,
                                   previous=_previous_ok(overall_question.previous, threshold))
    hidden_items = {item.question for item in items if item.suppressed}
    groups = _suppress_groups(summary.groups, items, threshold)
    overall = summary.overall_index
    overall_previous = _previous_ok(summary.overall_previous, threshold)
    overall_low, overall_high = summary.overall_ci_low, summary.overall_ci_high
    if groups and all(group.share is None for group in groups):
        overall, overall_previous, overall_low, overall_high = None, None, None, None
    conduct = summary.conduct
    if conduct is not None:
        conduct = _suppress_groups((conduct,), items, threshold)[0]
    tables = tuple(suppress_table(table, threshold) for table in summary.breakdowns)
    result = replace(
        summary, items=items, groups=groups, conduct=conduct, overall_index=overall,
        overall_previous=overall_previous, overall_question=overall_question,
        overall_ci_low=overall_low, overall_ci_high=overall_high,
        incidents=tuple(_suppress_incident(i, threshold) for i in summary.incidents),
        questions=tuple(_hide_choices(_suppress_question(q, hidden_items, threshold), tables)
                        for q in summary.questions),
        breakdowns=tables,
        children=suppress_children(summary.children, threshold))
    return replace(result, methodology=replace(summary.methodology,
                                               suppression_threshold=threshold,
                                               suppressed_cells=_count_hidden(result)))


def _score(row: BreakdownRow) -> tuple:
    """Best overall index first; rows without one (hidden, no answer) last, by label. Only
    published figures decide the order: a hidden row's place must not hint at its score."""
    overall = row.cells[-1].share if row.cells else None
    return (overall is None, -(overall or 0.0), row.label.vi)


def sort_breakdowns(summary: RoundSummary) -> RoundSummary:
    """Every breakdown table sorted by score (after suppression, see _score)."""
    return replace(summary, breakdowns=tuple(
        replace(table, rows=tuple(sorted(table.rows, key=_score)))
        for table in summary.breakdowns))
