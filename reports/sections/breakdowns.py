"""Progress by sub-unit and the breakdown tables (residential group, age band, sex)."""

from __future__ import annotations

import math

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer

from reports.fonts import BOLD
from reports.formatting import format_coverage, format_int, format_percent
from reports.sections.context import Context
from reports.styles import HEADER_SIZE, clean, header_style, para
from reports.summary import BreakdownCell, BreakdownTable
from reports.tables import CELL_PADDING, data_table


def _progress(context: Context) -> list[Flowable]:
    lang, coverage = context.lang, context.summary.coverage
    if not coverage.rows:
        return []
    not_surveyed = context.text("not_surveyed")
    rows = [[row.name, format_int(row.responses, lang),
             format_int(row.target, lang) if row.target else "–",
             format_coverage(row.coverage, lang)] if row.surveyed else
            [row.name, "–", "–", not_surveyed] for row in coverage.rows]
    rows.append([context.text("total"), format_int(coverage.responses, lang),
                 format_int(coverage.target, lang) if coverage.target else "–",
                 format_coverage(coverage.coverage, lang)])
    widths = [context.width - 3 * 30 * mm, 30 * mm, 30 * mm, 30 * mm]
    table = data_table([context.text("sub_unit"), context.text("responses"),
                        context.text("target"), context.text("coverage")],
                       rows, widths, numeric=(1, 2, 3), bold_rows=(len(rows) - 1,))
    story = [para(context.text("progress"), "h2"), table]
    if coverage.over_target or any(row.over_target for row in coverage.rows):
        story.append(para(context.text("over_target_note"), "muted"))
    return story


def _header_style(labels: list[str], room: float) -> str:
    """The largest header size at which no word of a column label has to be broken."""
    words = [word for label in labels for word in clean(label).split()] or [""]
    longest = max(stringWidth(word, BOLD, HEADER_SIZE) for word in words)
    size = HEADER_SIZE if longest <= room else max(6.0, HEADER_SIZE * room / longest)
    return header_style(math.floor(size * 4) / 4)   # quarter points: few cached styles


def _cell(context: Context, cell: BreakdownCell) -> str:
    if cell.suppressed:
        return context.text("suppressed")
    return format_percent(cell.share, context.lang)


def _breakdown(context: Context, breakdown: BreakdownTable) -> list[Flowable]:
    lang = context.lang
    label_width, n_width = 44 * mm, 14 * mm
    columns = len(breakdown.columns)
    share_width = (context.width - label_width - n_width) / max(columns, 1)
    labels = [column.label.text(lang) for column in breakdown.columns]
    style = _header_style(labels, share_width - 2 * CELL_PADDING)
    header = [breakdown.title.text(lang), context.text("n_col"),
              *[para(label, style) for label in labels]]
    rows = [[row.label.text(lang),
             context.text("suppressed") if row.n_suppressed else format_int(row.n, lang),
             *[_cell(context, cell) for cell in row.cells]] for row in breakdown.rows]
    table = data_table(header, rows, [label_width, n_width, *[share_width] * columns],
                       numeric=tuple(range(1, columns + 2)))
    return [para(breakdown.title.text(lang), "h2"), table]


def breakdowns(context: Context) -> list[Flowable]:
    summary = context.summary
    story: list[Flowable] = _progress(context)
    for breakdown in summary.breakdowns:
        story += _breakdown(context, breakdown)
    if not story:
        return []
    if any(row.n_suppressed or any(cell.suppressed for cell in row.cells)
           for table in summary.breakdowns for row in table.rows):
        story += [Spacer(1, 2 * mm), para(context.text(
            "suppressed_note", k=summary.methodology.suppression_threshold), "muted")]
    return [context.heading("breakdowns_section"), *story]
