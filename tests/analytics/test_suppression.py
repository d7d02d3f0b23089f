"""k-anonymity on plain data: primary and complementary suppression on hand-made tables and
on a full summary (reports.sample), without a database."""

from __future__ import annotations

from dataclasses import replace

import pytest

from reports.sample import sample_summary
from reports.summary import (
    BreakdownCell,
    BreakdownColumn,
    BreakdownRow,
    BreakdownTable,
    ChildRank,
    ChoiceCount,
    Coverage,
    LocalText,
    QuestionSummary,
)
from server.analytics.suppression import (
    complementary,
    primary,
    suppress,
    suppress_children,
    suppress_table,
)

K = 5


def _table(key: str, rows: list[tuple[str, int, list[int]]]) -> BreakdownTable:
    columns = tuple(BreakdownColumn(f"g{i}", LocalText(f"G{i}"))
                    for i in range(len(rows[0][2])))
    return BreakdownTable(key=key, title=LocalText(key), columns=columns, rows=tuple(
        BreakdownRow(key=label, label=LocalText(label), n=n,
                     cells=tuple(BreakdownCell(n=c, share=0.5 if c else None) for c in cells))
        for label, n, cells in rows))


def _hidden(table: BreakdownTable) -> dict[str, list[bool]]:
    return {row.key: [cell.suppressed for cell in row.cells] for row in table.rows}


def test_a_lone_hidden_member_takes_the_next_smallest_with_it():
    counts = [40, 3, 12, 9]
    assert complementary(counts, primary(counts, K)) == (False, True, False, True)


def test_two_hidden_members_need_no_complement():
    counts = [40, 3, 2, 9]
    assert complementary(counts, primary(counts, K)) == (False, True, True, False)


def test_empty_members_neither_count_as_hidden_nor_serve_as_complement():
    # an empty group (0) is known to be empty: the lone 3 still needs a partner
    counts = [0, 3, 20, 8]
    assert complementary(counts, primary(counts, K)) == (False, True, False, True)
    assert complementary([0, 20], primary([0, 20], K)) == (False, False)


def test_nothing_hidden_nothing_added():
    assert complementary([10, 20, 30], primary([10, 20, 30], K)) == (False, False, False)


def test_a_respondent_group_table_hides_small_counts_and_their_complement():
    table = _table("age_band", [("18-29", 30, [30, 28]), ("30-59", 3, [3, 3]),
                                ("60+", 7, [7, 6]), ("", 12, [12, 12])])
    result = suppress_table(table, K)
    counts = {row.key: row.n_suppressed for row in result.rows}
    assert counts == {"18-29": False, "30-59": True, "60+": True, "": False}
    hidden = _hidden(result)
    assert hidden["30-59"] == [True, True] and hidden["60+"] == [True, True]
    assert hidden["18-29"] == [False, False] and hidden[""] == [False, False]
    assert all(cell.share is None for row in result.rows if row.n_suppressed
               for cell in row.cells)
    # the parent's total (52) minus the shown rows (42) gives only the pair's sum
    shown = sum(row.n for row in result.rows if not row.n_suppressed)
    assert 52 - shown == 10


def test_a_cell_alone_in_its_column_takes_the_next_smallest_cell_of_that_column():
    # rows are big enough, but the second group's cell rests on 2 valid answers in one row
    table = _table("sex", [("f", 40, [40, 2]), ("m", 30, [30, 25]), ("x", 20, [20, 9])])
    hidden = _hidden(suppress_table(table, K))
    assert hidden == {"f": [False, True], "m": [False, False], "x": [False, True]}


def test_child_unit_tables_keep_their_counts_but_hide_cells_with_a_complement():
    table = _table("residential_group", [("a", 3, [3]), ("b", 25, [25]), ("c", 11, [11])])
    result = suppress_table(table, K)
    assert not any(row.n_suppressed for row in result.rows)   # progress is published
    assert _hidden(result) == {"a": [True], "b": [False], "c": [True]}


def test_child_ranking_hides_a_lone_small_unit_with_the_next_smallest():
    children = [ChildRank(1, "A", 3, 0.9, 1), ChildRank(2, "B", 50, 0.8, 2),
                ChildRank(3, "C", 20, 0.7, 3), ChildRank(4, "D", 0, None, None, surveyed=False)]
    result = {child.name: child for child in suppress_children(children, K)}
    assert result["A"].suppressed and result["A"].index is None and result["A"].rank is None
    assert result["C"].suppressed and result["C"].index is None
    assert not result["B"].suppressed and result["B"].rank == 1
    # not in the round: "not surveyed", neither hidden nor a complement
    assert not result["D"].suppressed and not result["D"].surveyed


@pytest.fixture(params=[0, 12], ids=["commune", "province"])
def summary(request):
    return sample_summary(children=request.param)


def test_a_unit_under_k_is_withheld_with_no_figure(summary):
    small = replace(summary, coverage=Coverage(responses=3, target=30))
    result = suppress(small, K)
    assert result.withheld == "too_few"
    assert result.coverage.responses == 0 and result.coverage.rows == ()
    assert not (result.items or result.groups or result.questions or result.incidents
                or result.breakdowns or result.children or result.comments)
    assert result.overall_index is None and result.previous_round is None
    assert result.unit == summary.unit and result.round == summary.round
    assert result.methodology.suppression_threshold == K


def test_a_unit_with_no_response_reads_no_data(summary):
    result = suppress(replace(summary, coverage=Coverage(responses=0, target=30)), K)
    assert result.withheld == "no_data"


def test_a_full_summary_hides_small_items_incidents_and_their_complements(summary):
    group = summary.groups[0]
    members = summary.items_of(group.key)
    assert len(members) >= 2
    items = list(summary.items)
    small = members[0].question
    items = [replace(item, valid=3, satisfied=2, share=2 / 3) if item.question == small
             else item for item in items]
    incident = replace(summary.incidents[0], valid=4, count=1, share=0.25)
    question = summary.question(small)
    questions = [replace(q, valid=3) if q.name == small else q for q in summary.questions]
    result = suppress(replace(summary, items=tuple(items), questions=tuple(questions),
                              incidents=(incident, *summary.incidents[1:])), K)
    assert result.withheld is None
    hidden = [item for item in result.items_of(group.key) if item.suppressed]
    # the small item and the next smallest of its group: the group mean no longer gives it
    assert len(hidden) == 2 and small in {item.question for item in hidden}
    assert all(item.share is None and item.previous is None and item.ci_low is None
               for item in hidden)
    assert all(result.question(item.question).suppressed for item in hidden)
    assert question is not None
    assert result.incidents[0].suppressed and result.incidents[0].share is None
    assert not any(other.suppressed for other in result.incidents[1:])
    assert result.methodology.suppressed_cells >= 3
    # nothing under k is left showing anywhere
    for item in result.items:
        assert item.suppressed or item.valid >= K or item.valid == 0
    for table in result.breakdowns:
        for row in table.rows:
            for cell in row.cells:
                assert cell.suppressed or cell.n >= K or cell.n == 0


def test_every_column_of_a_full_summary_hides_zero_or_at_least_two_cells(summary):
    result = suppress(summary, K)
    for table in result.breakdowns:
        for c in range(len(table.columns)):
            hidden = [row.cells[c] for row in table.rows
                      if row.cells[c].suppressed and row.cells[c].n > 0]
            assert len(hidden) != 1, (table.key, c)
        if table.key not in ("residential_group", "unit"):
            counts = [row for row in table.rows if row.n_suppressed and row.n > 0]
            assert len(counts) != 1, table.key
    children = [child for child in result.children if child.suppressed and child.responses]
    assert len(children) != 1


def test_previous_round_figures_under_k_are_not_compared(summary):
    item = next(item for item in summary.items if item.previous is not None)
    small = replace(item, previous=replace(item.previous, valid=3))
    items = tuple(small if i.question == item.question else i for i in summary.items)
    result = suppress(replace(summary, items=items), K)
    shown = next(i for i in result.items if i.question == item.question)
    assert shown.previous is None



def test_a_breakdown_question_hides_the_same_head_counts_as_its_table(summary):
    # the respondent questions behind the age and sex tables, with the same head counts
    profile = tuple(
        QuestionSummary(name=table.key, label=table.title, type="select_one",
                        distribution=tuple(ChoiceCount(row.key, row.label, row.n)
                                           for row in table.rows),
                        valid=sum(row.n for row in table.rows))
        for table in summary.breakdowns if table.key in ("age_band", "sex"))
    result = suppress(replace(summary, questions=(*summary.questions, *profile)), K)
    for table in result.breakdowns:
        question = result.question(table.key)
        if question is None:
            continue
        hidden_rows = {row.key for row in table.rows if row.n_suppressed}
        hidden_choices = {choice.value for choice in question.distribution if choice.suppressed}
        assert hidden_rows and hidden_choices == hidden_rows
