"""Charts drawn with reportlab graphics, one Drawing per row inside a Table.

A table of rows (label | bar | figures) wraps long Vietnamese item labels as paragraphs and
can break across pages, which a single tall Drawing cannot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.platypus import Table, TableStyle

from reports.fonts import REGULAR, register_fonts
from reports.formatting import format_int, format_percent
from reports.i18n import t
from reports.scripts import chart_strings, text_width
from reports.styles import (
    INK,
    LIKERT,
    LIKERT_HATCHED,
    MUTED,
    PRIMARY,
    RULE,
    ZEBRA,
    clean,
    markup,
    para,
    rich,
)

BAR_HEIGHT = 11
LABEL_SHARE = 0.42          # of the table width, for the item label column
FIGURE_WIDTH = 92           # points, for "87,4%  N=1.234"
_TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)


@dataclass(frozen=True)
class BarRow:
    label: str
    share: float | None
    n: int
    ci_low: float | None = None
    ci_high: float | None = None
    suppressed: bool = False


@dataclass(frozen=True)
class LikertRow:
    label: str
    counts: Sequence[int]   # one per level, lowest first
    valid: int


def _drawing(width: float, height: float) -> Drawing:
    drawing = Drawing(width, height)
    # the renderer starts each drawing in this font; the default would add Helvetica
    drawing.initialFontName = register_fonts()
    return drawing


def _grid(drawing: Drawing, width: float, height: float) -> None:
    for tick in _TICKS:
        x = tick * width
        drawing.add(Line(x, 0, x, height, strokeColor=RULE, strokeWidth=0.4))


def _bar(row: BarRow, width: float) -> Drawing:
    height = BAR_HEIGHT + 4
    drawing = _drawing(width, height)
    drawing.add(Rect(0, 2, width, BAR_HEIGHT, fillColor=ZEBRA, strokeColor=None))
    _grid(drawing, width, height)
    if row.share is not None and not row.suppressed:
        drawing.add(Rect(0, 2, row.share * width, BAR_HEIGHT, fillColor=PRIMARY,
                         strokeColor=None))
        if row.ci_low is not None and row.ci_high is not None:
            y = 2 + BAR_HEIGHT / 2
            low, high = row.ci_low * width, row.ci_high * width
            for shape in (Line(low, y, high, y), Line(low, y - 3, low, y + 3),
                          Line(high, y - 3, high, y + 3)):
                shape.strokeColor = INK
                shape.strokeWidth = 0.8
                drawing.add(shape)
    return drawing


def _axis(width: float, lang: str) -> Drawing:
    drawing = _drawing(width, 10)
    font = register_fonts()
    for tick in _TICKS:
        anchor = "start" if tick == 0 else "end" if tick == 1 else "middle"
        drawing.add(String(tick * width, 2, format_percent(tick, lang, 0), fontName=font,
                           fontSize=6.5, fillColor=MUTED, textAnchor=anchor))
    return drawing


def _row_table(rows: list[list], widths: list[float], header_rows: int = 0) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=header_rows, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def satisfaction_chart(rows: Sequence[BarRow], width: float, lang: str) -> Table:
    """Horizontal bars: share satisfied per item, with its 95% interval and N."""
    label_width = width * LABEL_SHARE
    bar_width = width - label_width - FIGURE_WIDTH - 12
    table_rows: list[list] = [["", _axis(bar_width, lang), ""]]
    for row in rows:
        if row.suppressed or row.share is None:
            figure = markup("<b>{s}</b>", s=t("suppressed", lang) if row.suppressed else "–")
        else:
            figure = markup("<b>{share}</b>  <font color='#5F6B7A'>{n}</font>",
                            share=format_percent(row.share, lang),
                            n=t("n_equals", lang, n=format_int(row.n, lang)))
        table_rows.append([para(row.label, "cell"), _bar(row, bar_width),
                           rich(figure, "cell_right")])
    return _row_table(table_rows, [label_width, bar_width + 8, FIGURE_WIDTH + 4],
                      header_rows=1)


HATCH_SPACING = 3.5         # points between the hatching's diagonal lines


def luma(colour: colors.Color) -> float:
    """Its grey in black-and-white print (Rec. 601 weights, as printers and pdftoppm -gray)."""
    return 0.299 * colour.red + 0.587 * colour.green + 0.114 * colour.blue


def _hatch(drawing: Drawing, x: float, y: float, width: float, height: float) -> None:
    """Diagonal lines (/) across the rectangle, cut at its edges."""
    offset = -height
    while offset < width:
        # the line x' = x + offset + t, y' = y + t for t in [0, height], clipped to [x, x+width]
        start = max(0.0, -offset)
        end = min(height, width - offset)
        if end > start:
            drawing.add(Line(x + offset + start, y + start, x + offset + end, y + end,
                             strokeColor=colors.white, strokeWidth=0.7))
        offset += HATCH_SPACING


def _level_box(drawing: Drawing, level: int, x: float, y: float, width: float,
               height: float, edge: colors.Color | None = None) -> None:
    drawing.add(Rect(x, y, width, height, fillColor=LIKERT[level], strokeColor=edge,
                     strokeWidth=0.5))
    if level in LIKERT_HATCHED:
        _hatch(drawing, x, y, width, height)


def _stacked(row: LikertRow, width: float) -> Drawing:
    height = BAR_HEIGHT + 4
    drawing = _drawing(width, height)
    font = register_fonts()
    if row.valid <= 0:
        drawing.add(Rect(0, 2, width, BAR_HEIGHT, fillColor=ZEBRA, strokeColor=None))
        return drawing
    x = 0.0
    for level, count in enumerate(row.counts):
        share = count / row.valid
        segment = share * width
        if segment <= 0:
            continue
        _level_box(drawing, level, x, 2, segment, BAR_HEIGHT, edge=colors.white)
        if segment >= 22:   # room for "12%"
            if level in LIKERT_HATCHED:   # the figure on a plain patch, not on the lines
                drawing.add(Rect(x + segment / 2 - 9, 3.5, 18, 8, fillColor=LIKERT[level],
                                 strokeColor=None))
            dark = luma(LIKERT[level]) < 0.55
            # whole percentages read the same in every language; one rounding rule
            drawing.add(String(x + segment / 2, 5, format_percent(share, "vi", 0), fontName=font,
                               fontSize=6.5, textAnchor="middle",
                               fillColor=colors.white if dark else INK))
        x += segment
    return drawing


def likert_legend(labels: Sequence[str], width: float) -> Drawing:
    """The five levels with their colours, wrapped onto as many lines as needed."""
    font = register_fonts()
    placed: list[tuple[float, int, str]] = []
    x, line = 0.0, 0
    for label in labels:
        text = clean(label)
        needed = 12 + text_width(text, font, 7.5) + 12
        if x > 0 and x + needed > width:
            x, line = 0.0, line + 1
        placed.append((x, line, text))
        x += needed
    lines = line + 1
    drawing = _drawing(width, lines * 12)
    for level, (x, line, text) in enumerate(placed):
        y = (lines - 1 - line) * 12 + 2
        _level_box(drawing, level % len(LIKERT), x, y, 9, 8)
        for string in chart_strings(x + 12, y + 1, text, font, 7.5, fillColor=INK):
            drawing.add(string)     # one String per script run (reports.scripts)
    return drawing


def likert_chart(rows: Sequence[LikertRow], width: float, lang: str) -> Table:
    """100% stacked bars of the five levels per item, with N."""
    label_width = width * LABEL_SHARE
    n_width = 52
    bar_width = width - label_width - n_width - 12
    table_rows = [[para(row.label, "cell"), _stacked(row, bar_width),
                   para(t("n_equals", lang, n=format_int(row.valid, lang)), "cell_right")]
                  for row in rows]
    return _row_table(table_rows, [label_width, bar_width + 8, n_width + 4])
