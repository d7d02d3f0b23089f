"""Issue 10, "honest figures": per-unit previous rounds, like-for-like indices, the direct
question apart from the index, intervals, mean scores, the minimum N, coverage flags and
sorted breakdowns; each checked against the generated answers (survey_data.build_history)."""

from dataclasses import replace
from fractions import Fraction

import pytest
from survey_data import build_history

from reports.stats import index_standard_error, wilson_standard_error
from server.analytics.build import build_round_summary
from server.analytics.history import earlier_rounds_state, previous_rounds
from server.analytics.scope import unit_scope
from server.analytics.spec import form_spec

pytestmark = pytest.mark.db
SATISFIED = {"4", "5"}


@pytest.fixture
def history(db, factory):
    return build_history(db, factory)


def item_counts(responses, name):
    values = [r.answers[name] for r in responses if name in r.answers]
    valid = [v for v in values if v != "na"]
    return sum(v in SATISFIED for v in valid), len(valid)


def share(responses, names):
    shares = [Fraction(*item_counts(responses, name)) for name in names
              if item_counts(responses, name)[1]]
    return sum(shares) / len(shares) if shares else None


def groups_of(history, commune_name):
    commune = history.communes[commune_name]
    return [g for g in history.groups.values() if g.parent_id == commune.id]


def test_each_unit_is_compared_with_its_own_latest_round(db, history):
    first, second, current = history.rounds
    an_hoa = build_round_summary(db.session, current, history.communes["Xã An Hòa"])
    binh_minh = build_round_summary(db.session, current, history.communes["Xã Bình Minh"])
    # An Hòa did not answer in round 2: it is compared with round 1
    assert an_hoa.previous_round.id == first.id
    assert binh_minh.previous_round.id == second.id
    province = build_round_summary(db.session, current, history.province)
    assert province.previous_round.id == second.id
    ranks = {child.name: child for child in province.children}
    assert ranks["Xã An Hòa"].previous_round == first.title
    assert ranks["Xã Bình Minh"].previous_round == second.title
    before = history.counted(first, groups_of(history, "Xã An Hòa"))
    expected = sum(share(before, names) for names in (
        ["access_location", "access_facilities"], ["proc_public", "proc_fees"])) / 2
    assert ranks["Xã An Hòa"].previous_index == pytest.approx(float(expected))


def test_coverage_differences_between_the_two_rounds_are_stated(db, history):
    first, _, current = history.rounds
    summary = build_round_summary(db.session, current, history.communes["Xã An Hòa"])
    coverage = summary.comparison_coverage
    assert coverage.previous_responses == 40 + 34 + 12
    assert coverage.only_before == ("Thôn Cũ",)
    assert coverage.only_now == ("Thôn Mới",)
    rows = {row.name: row for row in summary.coverage.rows}
    assert not rows["Thôn Cũ"].surveyed and rows["Thôn Mới"].surveyed


def test_a_previous_round_under_k_is_not_chosen(db, history):
    first, second, current = history.rounds
    commune = history.communes["Xã Bình Minh"]
    scope = unit_scope(db.session, current, commune)
    chosen = previous_rounds(db.session, current, commune.path, scope.bucket_of, [], 32)
    assert chosen.unit is None            # 31 responses in round 2, none in round 1
    chosen = previous_rounds(db.session, current, commune.path, scope.bucket_of, [], 31)
    assert chosen.unit.round.id == second.id
    state = earlier_rounds_state(db.session, current, commune.path)
    assert [entry[0] for entry in state] == [second.id, first.id]
    assert state[0][3][0] == 31 and state[1][3][0] == 0


def test_group_indices_are_compared_like_for_like(db, history):
    """proc_fees has only "not applicable" answers in round 1: it drops out of both rounds
    of the procedures comparison, and out of the overall index's comparison."""
    first, _, current = history.rounds
    summary = build_round_summary(db.session, current, history.communes["Xã An Hòa"])
    groups = groups_of(history, "Xã An Hòa")
    now, before = history.counted(current, groups), history.counted(first, groups)
    assert item_counts(before, "proc_fees")[1] == 0 and item_counts(now, "proc_fees")[1] > 0
    procedures = next(g for g in summary.groups if g.key == "procedures")
    assert procedures.share == pytest.approx(float(share(now, ["proc_public", "proc_fees"])))
    comparison = procedures.previous
    assert comparison.dropped == ("proc_fees",)
    assert comparison.share == pytest.approx(float(share(before, ["proc_public"])))
    assert comparison.current == pytest.approx(float(share(now, ["proc_public"])))
    assert comparison.change_pp == pytest.approx(
        float(share(now, ["proc_public"]) - share(before, ["proc_public"])) * 100)
    access = next(g for g in summary.groups if g.key == "access")
    assert access.previous.dropped == () and access.previous.current is None
    overall_now = (share(now, ["access_location", "access_facilities"])
                   + share(now, ["proc_public"])) / 2
    overall_before = (share(before, ["access_location", "access_facilities"])
                      + share(before, ["proc_public"])) / 2
    assert summary.overall_previous.change_pp == pytest.approx(
        float(overall_now - overall_before) * 100)
    # the item itself has nothing to compare with (no valid answer, fewer than k)
    fees = next(i for i in summary.items if i.question == "proc_fees")
    assert fees.previous is None and fees.share is not None


def test_the_direct_question_is_a_headline_of_its_own(db, history):
    first, _, current = history.rounds
    summary = build_round_summary(db.session, current, history.communes["Xã An Hòa"])
    groups = groups_of(history, "Xã An Hòa")
    now, before = history.counted(current, groups), history.counted(first, groups)
    direct = summary.overall_question
    assert direct.question == "overall"      # report.overall of the form
    satisfied, valid = item_counts(now, "overall")
    assert (direct.satisfied, direct.valid) == (satisfied, valid)
    assert direct.ci_low < direct.share < direct.ci_high
    x_before, n_before = item_counts(before, "overall")
    assert direct.previous.change_pp == pytest.approx((satisfied / valid - x_before / n_before)
                                                      * 100)
    values = [int(r.answers["overall"]) for r in now if r.answers.get("overall", "na") != "na"]
    assert direct.mean_score == pytest.approx(sum(values) / len(values))
    assert summary.trend_question == "overall"
    assert summary.methodology.overall_question == direct.label
    assert [label.vi for label in summary.methodology.index_groups] == [
        "Tiếp cận dịch vụ", "Thủ tục hành chính"]
    assert summary.overall_question not in summary.items


def test_the_form_settings_drive_the_direct_question(db, history):
    definition = history.definition
    assert form_spec(definition).overall == "overall"
    changed = {**definition, "report": {**definition["report"], "overall": "listen",
                                        "trend": "nope"}}
    assert form_spec(changed).overall == "listen" and form_spec(changed).trend is None
    assert form_spec({**definition, "report": {
        k: v for k, v in definition["report"].items() if k != "overall"}}).overall is None


def test_index_intervals_and_mean_scores(db, history):
    current = history.rounds[-1]
    summary = build_round_summary(db.session, current, history.communes["Xã An Hòa"])
    now = history.counted(current, groups_of(history, "Xã An Hòa"))
    access = next(g for g in summary.groups if g.key == "access")
    errors = [wilson_standard_error(*item_counts(now, name))
              for name in ("access_location", "access_facilities")]
    half = 1.959963984540054 * index_standard_error(errors)
    assert (access.ci_low, access.ci_high) == pytest.approx((access.share - half,
                                                             access.share + half))
    for item in summary.items:
        values = [int(r.answers[item.question]) for r in now
                  if r.answers.get(item.question, "na") != "na"]
        assert item.mean_score == pytest.approx(sum(values) / len(values)), item.question
    assert summary.overall_ci_low < summary.overall_index < summary.overall_ci_high


def test_no_clear_change_below_thirty_per_side(db, history):
    _, second, current = history.rounds
    summary = build_round_summary(db.session, current, history.communes["Xã Bình Minh"])
    assert summary.previous_round.id == second.id
    for item in summary.items:
        sides = (item.valid, item.previous.valid)
        if min(sides) < 30:
            assert item.previous.significant is None and item.previous.too_few, item.question
        else:
            assert item.previous.significant is not None, item.question


def test_breakdowns_have_every_index_group_and_are_sorted_by_score(db, history):
    current = history.rounds[-1]
    summary = build_round_summary(db.session, current, history.communes["Xã An Hòa"])
    for table in summary.breakdowns:
        assert [c.key for c in table.columns] == ["access", "procedures", "five_knows",
                                                  "overall"]
        shown = [row.cells[-1].share for row in table.rows if row.cells[-1].share is not None]
        assert shown == sorted(shown, reverse=True), table.key
        hidden = [i for i, row in enumerate(table.rows) if row.cells[-1].share is None]
        assert hidden == list(range(len(shown), len(table.rows))), table.key
    by_group = summary.breakdowns[0]
    now = history.counted(current, [history.groups["Thôn Thượng"]])
    row = next(r for r in by_group.rows if r.label.vi == "Thôn Thượng")
    assert row.cells[2].share == pytest.approx(float(share(now, ["listen", "apologise"])))


def test_an_over_target_coverage_is_flagged(db, history):
    current = history.rounds[-1]
    summary = build_round_summary(db.session, current, history.communes["Xã An Hòa"])
    rows = {row.name: row for row in summary.coverage.rows}
    assert rows["Thôn Thượng"].over_target and rows["Thôn Thượng"].coverage == 42 / 30
    assert not rows["Thôn Mới"].over_target
    assert not replace(rows["Thôn Thượng"], target=None).over_target
