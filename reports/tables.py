"""The data table every section uses: bold header repeated on each page, zebra rows,
numbers right-aligned."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, Table, TableStyle

from reports.fonts import REGULAR
from reports.styles import INK, RULE, ZEBRA, para

Cell = str | Flowable
CELL_PADDING = 4


def data_table(header: Sequence[str], rows: Sequence[Sequence[Cell]],
               widths: Sequence[float], numeric: Sequence[int] = (),
               bold_rows: Sequence[int] = ()) -> Table:
    """``numeric`` lists the column indexes to right-align; plain strings become escaped
    paragraphs (so long labels wrap); ``bold_rows`` index into ``rows``."""
    def cell(value: Cell, column: int, bold: bool) -> Flowable:
        if not isinstance(value, str):
            return value
        right = column in numeric
        if bold:
            return para(value, "cell_head_right" if right else "cell_head")
        return para(value, "cell_right" if right else "cell")

    bold = set(bold_rows)
    body = [[cell(value, column, index in bold) for column, value in enumerate(row)]
            for index, row in enumerate(rows)]
    head = [cell(value, column, True) for column, value in enumerate(header)]
    table = Table([head, *body], colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LINEBELOW", (0, 0), (-1, 0), 0.9, INK),
        ("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE),
    ]
    commands += [("BACKGROUND", (0, row), (-1, row), ZEBRA)
                 for row in range(2, len(body) + 1, 2)]
    table.setStyle(TableStyle(commands))
    return table
