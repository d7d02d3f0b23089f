"""Comparison with the previous round, and the ranking of child units."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from reports.formatting import (
    format_change_pp,
    format_date_range,
    format_decimal,
    format_int,
    format_p_value,
    format_percent,
)
from reports.sections.context import Context
from reports.sections.overview import change_text
from reports.styles import para
from reports.summary import ChildRank, Comparison
from reports.tables import data_table


def _share_n(context: Context, share: float | None, n: int | None) -> str:
    if n is None:
        return format_percent(share, context.lang)
    return context.text("share_n", share=format_percent(share, context.lang),
                        n=format_int(n, context.lang))


def _row(context: Context, label: str, share: float | None, valid: int | None,
         previous: Comparison | None, suppressed: bool = False) -> list:
    lang = context.lang
    if suppressed:
        return [label, "–", context.text("suppressed"), "–", "–", "–"]
    if previous is None:
        return [label, "–", _share_n(context, share, valid), "–", "–", "–"]
    significant = "–" if previous.significant is None else context.text(
        "yes" if previous.significant else "no")
    return [label, _share_n(context, previous.share, previous.valid if valid else None),
            _share_n(context, share, valid),
            format_change_pp(previous.change_pp, lang), format_p_value(previous.p_value, lang),
            significant]


def comparison(context: Context) -> list[Flowable]:
    summary, lang = context.summary, context.lang
    previous_round = summary.previous_round
    if previous_round is None:
        return []
    rows = [_row(context, context.text("overall_index"), summary.overall_index, None,
                 summary.overall_previous)]
    bold = [0]
    for group in [*summary.groups, *([summary.conduct] if summary.conduct else [])]:
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
        "comparison_intro", round=previous_round.name,
        period=format_date_range(previous_round.starts_on, previous_round.ends_on, lang),
        alpha=format_decimal(summary.methodology.alpha, lang, 2))
    widths = [context.width - 119 * mm, 34 * mm, 34 * mm, 22 * mm, 15 * mm, 14 * mm]
    table = data_table([context.text("figure"), context.text("previous"),
                        context.text("this_round"), context.text("change"),
                        context.text("p_value"), context.text("significant")],
                       rows, widths, numeric=(1, 2, 3, 4, 5), bold_rows=bold)
    return [context.heading("comparison_section"), para(intro, "muted"), table]


def _child_index(context: Context, child: ChildRank) -> str:
    if not child.surveyed:
        return context.text("not_surveyed")
    if child.suppressed:
        return context.text("suppressed")
    return format_percent(child.index, context.lang)


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
                                change_pp=(child.index - child.previous_index) * 100)
        rows.append([
            str(child.rank) if child.rank is not None else "–",
            child.name, format_int(child.responses, lang),
            _child_index(context, child),
            format_percent(child.previous_index, lang),
            change_text(context, change)])
    widths = [14 * mm, context.width - 106 * mm, 20 * mm, 22 * mm, 22 * mm, 28 * mm]
    table = data_table([context.text("rank"), context.text("sub_unit"),
                        context.text("n_col"), context.text("index"),
                        context.text("previous"), context.text("change")],
                       rows, widths, numeric=(0, 2, 3, 4, 5))
    note = context.text("children_note", k=summary.methodology.suppression_threshold)
    return [context.heading("children_section"), para(note, "muted"), table]
