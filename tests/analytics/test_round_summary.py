"""The SQL summary equals an independent computation from the generated answers."""

import unicodedata

import pytest

from reports.stats import (
    fisher_exact_test,
    needs_exact_test,
    two_proportion_test,
    wilson_interval,
)
from server.analytics.build import SummaryOptions, build_round_summary

SATISFIED = {"4", "5"}
ITEMS = {"access": ["access_location", "access_facilities"],
         "procedures": ["proc_public", "proc_fees"], "five_knows": ["listen", "apologise"]}


def item_counts(responses, name):
    values = [r.answers[name] for r in responses if name in r.answers]
    valid = [v for v in values if v != "na"]
    return sum(v in SATISFIED for v in valid), len(valid)


def group_share(responses, key):
    shares = []
    for name in ITEMS[key]:
        satisfied, valid = item_counts(responses, name)
        if valid:
            shares.append(satisfied / valid)
    return sum(shares) / len(shares) if shares else None


def overall(responses):
    shares = [group_share(responses, key) for key in ("access", "procedures")]
    shares = [s for s in shares if s is not None]
    return sum(shares) / len(shares)


@pytest.fixture
def commune(dataset):
    return dataset.communes["Phường Đông Hòa"]


def commune_groups(dataset, commune):
    return [g for g in dataset.groups.values() if g.parent_id == commune.id]


def test_counts_and_items_match_the_answers(db, dataset, commune):
    summary = build_round_summary(db.session, dataset.current, commune)
    expected = dataset.counted(dataset.current, commune_groups(dataset, commune))
    assert summary.coverage.responses == len(expected) == 43
    assert summary.coverage.target == 3 * 20
    for item in summary.items:
        satisfied, valid = item_counts(expected, item.question)
        assert (item.satisfied, item.valid) == (satisfied, valid), item.question
        assert item.share == pytest.approx(satisfied / valid)
        assert (item.ci_low, item.ci_high) == pytest.approx(wilson_interval(satisfied, valid))
    for group in summary.groups:
        assert group.share == pytest.approx(group_share(expected, group.key))
    assert summary.conduct.share == pytest.approx(group_share(expected, "five_knows"))
    assert summary.overall_index == pytest.approx(overall(expected))


def test_skipped_missing_and_multiple_choice(db, dataset, commune):
    summary = build_round_summary(db.session, dataset.current, commune)
    expected = dataset.counted(dataset.current, commune_groups(dataset, commune))
    question = summary.question("proc_public")
    skipped = sum("proc_public" in r.skipped for r in expected)
    answered = sum("proc_public" in r.answers for r in expected)
    assert skipped > 0
    assert question.skipped_by_logic == skipped
    assert question.missing == len(expected) - answered - skipped
    fees = summary.question("proc_fees")
    assert fees.not_applicable == sum(r.answers.get("proc_fees") == "na" for r in expected)
    channels = summary.question("channels")
    for choice in channels.distribution:
        assert choice.count == sum(choice.value in r.answers.get("channels", []) for r in expected)
    assert channels.valid == sum("channels" in r.answers for r in expected)


def test_comparison_with_the_previous_round(db, dataset, commune):
    summary = build_round_summary(db.session, dataset.current, commune)
    groups = commune_groups(dataset, commune)
    now, before = (dataset.counted(dataset.current, groups),
                   dataset.counted(dataset.previous, groups))
    assert summary.previous_round.id == dataset.previous.id
    for item in summary.items:
        x1, n1 = item_counts(now, item.question)
        x2, n2 = item_counts(before, item.question)
        assert item.previous.share == pytest.approx(x2 / n2)
        assert item.previous.change_pp == pytest.approx((x1 / n1 - x2 / n2) * 100)
        # small counts: Fisher's exact test; fewer than 30 on a side: no judgement
        exact = needs_exact_test(x1, n1, x2, n2)
        p_value = fisher_exact_test(x1, n1, x2, n2) if exact else two_proportion_test(
            x1, n1, x2, n2)[1]
        assert item.previous.test == ("fisher" if exact else "z")
        assert item.previous.p_value == pytest.approx(p_value)
        judged = min(n1, n2) >= 30
        assert item.previous.too_few is not judged
        assert item.previous.significant == ((p_value < 0.05) if judged else None)
    assert summary.overall_previous.change_pp == pytest.approx(
        (overall(now) - overall(before)) * 100)
    harassment = summary.incidents[0]
    assert harassment.count == sum(r.answers.get("harassment") == "yes" for r in now)


def test_small_groups_are_suppressed(db, dataset, commune):
    summary = build_round_summary(db.session, dataset.current, commune)
    by_group = summary.breakdowns[0]
    assert by_group.key == "residential_group"
    rows = {row.label.vi: row for row in by_group.rows}
    small = rows["Tổ dân phố Kỳ Lân"]
    assert small.n == 3 and small.suppressed
    assert all(cell.share is None for cell in small.cells)
    big = rows["Tổ dân phố Đông Thịnh"]
    expected = dataset.counted(dataset.current, [dataset.groups["Tổ dân phố Đông Thịnh"]])
    assert not big.suppressed
    assert big.cells[0].share == pytest.approx(group_share(expected, "access"))
    assert summary.methodology.suppressed_cells >= 3
    # a lower threshold shows the small group
    relaxed = build_round_summary(db.session, dataset.current, commune,
                                  SummaryOptions(suppression_threshold=2))
    assert not {row.label.vi: row for row in relaxed.breakdowns[0].rows}["Tổ dân phố Kỳ Lân"].suppressed


def test_breakdown_by_respondent_question(db, dataset, commune):
    summary = build_round_summary(db.session, dataset.current, commune)
    by_sex = next(table for table in summary.breakdowns if table.key == "sex")
    expected = dataset.counted(dataset.current, commune_groups(dataset, commune))
    for row in by_sex.rows:
        members = [r for r in expected if r.answers.get("sex", "") == row.key]
        assert row.n == len(members)
        if not row.cells[0].suppressed:
            assert row.cells[0].share == pytest.approx(group_share(members, "access"))


def test_province_ranks_its_communes(db, dataset):
    summary = build_round_summary(db.session, dataset.current, dataset.province)
    assert summary.unit.kind == "province"
    ranks = {child.name: child for child in summary.children}
    assert set(ranks) == {"Phường Đông Hòa", "Xã Quỳnh Lưu"}
    for commune in dataset.communes.values():
        expected = dataset.counted(dataset.current, commune_groups(dataset, commune))
        assert ranks[commune.name].index == pytest.approx(overall(expected))
        assert ranks[commune.name].responses == len(expected)
    best = max(summary.children, key=lambda child: child.index)
    assert best.rank == 1
    assert sorted(child.rank for child in summary.children) == [1, 2]
    assert summary.coverage.responses == 43 + 27


def test_comments_are_masked_nfc_and_not_attributed_to_small_groups(db, dataset, commune):
    summary = build_round_summary(db.session, dataset.current, commune)
    texts = [comment.text for comment in summary.comments]
    assert texts, "the data set has comments"
    assert all(unicodedata.is_normalized("NFC", text) for text in texts)
    assert not any("0912" in text or "345 678" in text for text in texts)
    assert any("**** *** ***" in text for text in texts)
    for comment in summary.comments:
        assert comment.unit_name != "Tổ dân phố Kỳ Lân"


def test_a_round_without_a_previous_one_has_no_comparison(db, dataset, commune):
    summary = build_round_summary(db.session, dataset.previous, commune)
    assert summary.previous_round is None
    assert all(item.previous is None for item in summary.items)
    assert summary.overall_previous is None
