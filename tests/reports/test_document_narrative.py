"""Key findings on page 1, generated from the figures: the three strongest and weakest
items, the largest clear rises and falls (only those the comparison judged significant),
the incident rates; plain words, no p-value, nothing suppressed."""

import subprocess
from dataclasses import replace

import pytest

from reports.pdf import render_round_report
from reports.sample import sample_summary
from reports.sections.context import Context
from reports.sections.narrative import clear_changes, findings, strongest_and_weakest
from reports.summary import Comparison, ItemSatisfaction, LocalText


def _item(name: str, share: float, change: float | None = None, significant=None,
          suppressed=False) -> ItemSatisfaction:
    previous = None if change is None else Comparison(
        share=share - change / 100, valid=200, change_pp=change, p_value=0.01,
        significant=significant)
    return ItemSatisfaction(question=name, label=LocalText(f"Tiêu chí {name}", f"Item {name}"),
                            group_key="access", satisfied=round(share * 200), valid=200,
                            share=None if suppressed else share, previous=previous,
                            suppressed=suppressed)


ITEMS = (_item("a", 0.91, +12.0, True), _item("b", 0.85, +20.0, False),
         _item("c", 0.80, +3.0, True), _item("d", 0.70, -1.0, None),
         _item("e", 0.60, -15.0, True), _item("f", 0.55, -4.0, True),
         _item("g", 0.40, -30.0, False), _item("h", 0.99, +40.0, True, suppressed=True),
         _item("i", 0.30))


@pytest.fixture
def summary():
    return replace(sample_summary(), items=ITEMS)


def _names(items):
    return [item.question for item in items]


def test_the_three_strongest_and_weakest_never_a_suppressed_one(summary):
    strongest, weakest = strongest_and_weakest(summary)
    assert _names(strongest) == ["a", "b", "c"]
    assert _names(weakest) == ["i", "g", "f"]          # the lowest first


def test_with_few_items_an_item_is_strong_or_weak_not_both(summary):
    few = replace(summary, items=ITEMS[:4])
    strongest, weakest = strongest_and_weakest(few)
    assert _names(strongest) == ["a", "b", "c"] and _names(weakest) == ["d"]


def test_only_significant_changes_are_named_largest_first(summary):
    rises, falls = clear_changes(summary)
    assert _names(rises) == ["a", "c"]     # b rose more, but not clearly; h is suppressed
    assert _names(falls) == ["e", "f"]     # g fell more, but not clearly


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_sentences_name_the_items_with_their_figures_and_no_p_value(summary, lang):
    text = " ".join(findings(Context(summary, lang, 500)))
    mark = "," if lang == "vi" else "."
    for label, share in (("a", "91"), ("i", "30")):
        assert f"{'Tiêu chí' if lang == 'vi' else 'Item'} {label} ({share}{mark}0%)" in text
    up = "tăng 12,0 điểm phần trăm" if lang == "vi" else "up 12.0 percentage points"
    assert up in text
    assert "Tiêu chí h" not in text and "Item h" not in text
    for technical in ("p =", "p <", "p-value", "Wilson", "z-test", "kiểm định"):
        assert technical not in text
    incident = summary.incidents[0]
    assert f"“{incident.label.text(lang)}”" in text


def test_no_clear_change_and_no_previous_round_are_said_plainly(summary):
    calm = replace(summary, items=tuple(replace(item, previous=replace(
        item.previous, significant=False)) if item.previous else item for item in ITEMS))
    assert "Không tiêu chí nào thay đổi rõ rệt" in " ".join(findings(Context(calm, "vi", 500)))
    first = replace(summary, previous_round=None)
    assert "Chưa có đợt khảo sát trước để so sánh." in findings(Context(first, "vi", 500))


def test_the_findings_are_on_page_one_with_no_p_value_there(summary):
    pdf = render_round_report(summary, "vi")
    page_one = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-enc", "UTF-8", "-", "-"],
                              input=pdf, capture_output=True, check=True).stdout.decode()
    page_one = " ".join(page_one.split())
    assert "1. Những điểm chính" in page_one
    assert "Tiêu chí a (91,0%)" in page_one
    assert "p <" not in page_one and "p =" not in page_one
