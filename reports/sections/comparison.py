"""Comparison with the previous round, and the ranking of child units.

Columns: previous round, this round, change (with ▲/▼ and its 95% interval), p, clear.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from reports.formatting import (
    format_date_range,
    format_decimal,
    format_int,
    format_p_value,
    format_percent,
)
from reports.sections.context import Context
from reports.sections.overview import change_cell, dropped_note
from reports.styles import para
from reports.summary import ChildRank, Comparison
from reports.tables import data_table


def _share_n(context: Context, share: float | None, n: int | None) -> str:
    if n is None:
        return format_percent(share, context.lang)
    return context.text("share_n", share=format_percent(share, context.lang),
                        n=format_int(n, context.lang))


def _verdict(context: Context, previous: Comparison) -> str:
    if previous.too_few:
        return context.text("too_few_to_judge")
    if previous.significant is None:
        return "–"
    return context.text("yes" if previous.significant else "no")


def _row(context: Context, label: str, share: float | None, valid: int | None,
         previous: Comparison | None, suppressed: bool = False) -> list:
    lang = context.lang
    if suppressed:
        return [label, "–", context.text("suppressed"), "–", "–", "–"]
    if previous is None:
        return [label, "–", _share_n(context, share, valid), "–", "–", "–"]
    this_round = _share_n(context, share, valid)
    if previous.current is not None:
        # an index compared like for like: this round on the items both rounds have
        this_round += f" ({format_percent(previous.current, lang)}*)"
    return [label, _share_n(context, previous.share, previous.valid if valid else None),
            this_round, change_cell(context, previous, interval=True, star=True),
            format_p_value(previous.p_value, lang), _verdict(context, previous)]


def _coverage_notes(context: Context) -> list[str]:
    """Who answered in one round and not in the other: the two rounds may not cover the
    same places, and the reader must know."""
    summary, lang = context.summary, context.lang
    coverage = summary.comparison_coverage
    if coverage is None or summary.previous_round is None:
        return []
    notes = [context.text("compared_previous", round=summary.previous_round.name,
                          n=format_int(coverage.previous_responses, lang))]
    if coverage.only_now:
        notes.append(context.text("coverage_only_now", units=", ".join(coverage.only_now)))
    if coverage.only_before:
        notes.append(context.text("coverage_only_before", units=", ".join(coverage.only_before)))
    return notes


def comparison(context: Context) -> list[Flowable]:
    summary, lang = context.summary, context.lang
    previous_round = summary.previous_round
    if previous_round is None:
        return []
    rows = [_row(context, context.text("overall_index"), summary.overall_index, None,
                 summary.overall_previous)]
    bold = [0]
    direct = summary.overall_question
    if direct is not None:
        rows.append(_row(context, context.text("direct_question"), direct.share, direct.valid,
                         direct.previous, direct.suppressed))
    blocks = [*summary.groups, *([summary.conduct] if summary.conduct else [])]
    for group in blocks:
        bold.append(len(rows))
        rows.append(_row(context, group.label.text(lang), group.share, None, group.previous))
        for item in summary.items_of(group.key):
            row = _row(context, item.label.text(lang), item.share, item.valid, item.previous,
                       item.suppressed)
            rows.append([para(row[0], "cell_indent"), *row[1:]])
    for incident in summary.incidents:
        rows.append(_row(context, incident.label.text(lang), incident.share, incident.valid,
                         incident.previous, incident.suppressed))
    intro = context.text(
        "comparison_rule", round=previous_round.name,
        period=format_date_range(previous_round.starts_on, previous_round.ends_on, lang),
        alpha=format_decimal(summary.methodology.alpha, lang, 2),
        min_n=format_int(summary.methodology.min_n_per_side, lang))
    widths = [context.width - 127 * mm, 32 * mm, 33 * mm, 31 * mm, 16 * mm, 15 * mm]
    table = data_table([context.text("figure"), context.text("previous"),
                        context.text("this_round"), context.text("change"),
                        context.text("p_value"), context.text("significant")],
                       rows, widths, numeric=(1, 2, 3, 4, 5), bold_rows=bold)
    story: list[Flowable] = [context.heading("comparison_section"), para(intro, "muted")]
    notes = _coverage_notes(context)
    if notes:
        story.append(para(" ".join(notes), "muted"))
    story.append(table)
    note = dropped_note(context, [summary.overall_previous,
                                  *[group.previous for group in blocks]])
    return [*story, note] if note else story


def _child_index(context: Context, child: ChildRank) -> str:
    if not child.surveyed:
        return context.text("not_surveyed")
    if child.suppressed:
        return context.text("suppressed")
    return format_percent(child.index, context.lang)


def _child_previous(context: Context, child: ChildRank) -> str:
    text = format_percent(child.previous_index, context.lang)
    report_round = context.summary.previous_round
    if child.previous_round and (report_round is None or child.previous_round != report_round.name):
        return context.text("child_previous_round", index=text, round=child.previous_round)
    return text


def children(context: Context) -> list[Flowable]:
    summary, lang = context.summary, context.lang
    if not summary.children:
        return []
    ordered = sorted(summary.children,
                     key=lambda child: (child.rank is None, child.rank or 0, child.name))
    rows = []
    for child in ordered:
        change = None
        if child.index is not None and child.previous_index is not None:
            change = Comparison(share=child.previous_index, valid=0,
                                change_pp=child.change_pp if child.change_pp is not None
                                else (child.index - child.previous_index) * 100,
                                dropped=child.dropped)
        rows.append([
            str(child.rank) if child.rank is not None else "–",
            child.name, format_int(child.responses, lang),
            _child_previous(context, child),
            _child_index(context, child),
            change_cell(context, change, star=True)])
    widths = [12 * mm, context.width - 112 * mm, 18 * mm, 32 * mm, 22 * mm, 28 * mm]
    table = data_table([context.text("rank"), context.text("sub_unit"),
                        context.text("n_col"), context.text("previous"),
                        context.text("index"), context.text("change")],
                       rows, widths, numeric=(0, 2, 3, 4, 5))
    k = summary.methodology.suppression_threshold
    notes = [context.text("children_note", k=k)]
    if any(child.previous_round for child in summary.children):
        notes.append(context.text("children_previous_note", k=k, round=(
            summary.previous_round.name if summary.previous_round else "–")))
    story = [context.heading("children_section"), para(" ".join(notes), "muted"), table]
    note = dropped_note(context, [Comparison(share=None, valid=0, change_pp=None,
                                             dropped=child.dropped)
                                  for child in summary.children])
    return [*story, note] if note else story
