"""The first page: the administrative document header, the title, the unit and round.

The header follows the form of Vietnamese administrative documents (Nghị định
30/2020/NĐ-CP): on the left the superior body, the issuing body in bold capitals with a
short rule under it, and the document number; on the right the Quốc hiệu and the tiêu ngữ
with a rule as long as the tiêu ngữ under it, and the place and date in italics. Each
column's lines are centred on the column."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, Spacer, Table, TableStyle

from reports.document import CenteredRule, document_number, issuer, place_and_date
from reports.fonts import BOLD, REGULAR
from reports.formatting import format_date_range
from reports.sections.context import Context
from reports.styles import ACCENT, para, rich, safe, styles

LEFT_SHARE = 0.47       # of the width: the issuing body's column; the rest for the Quốc hiệu


def unit_full_name(context: Context) -> str:
    unit = context.summary.unit
    return ", ".join([unit.name, *reversed(unit.parent_names)])


def _issuer_column(context: Context) -> list[Flowable]:
    summary, lang = context.summary, context.lang
    column: list[Flowable] = []
    if summary.document.superior:
        column.append(para(summary.document.superior.upper(), "doc_superior"))
    column += [para(issuer(summary, lang).upper(), "doc_issuer"),
               CenteredRule(fraction=0.35),
               para(document_number(summary, lang), "doc_number")]
    return column


def _nation_column(context: Context) -> list[Flowable]:
    motto = context.text("motto")
    motto_style = styles()["doc_motto"]
    return [para(context.text("nation"), "doc_nation"),
            para(motto, motto_style),
            CenteredRule(text=motto, font=motto_style.fontName, size=motto_style.fontSize),
            para(place_and_date(context.summary, context.lang), "doc_date")]


def masthead(context: Context) -> Table:
    left_width = context.width * LEFT_SHARE
    table = Table([[_issuer_column(context), _nation_column(context)]],
                  colWidths=[left_width, context.width - left_width])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _details(context: Context) -> Table:
    summary, lang = context.summary, context.lang
    round_ = summary.round
    status = context.text(f"status_{round_.status}") if round_.status in (
        "open", "closed", "planned") else round_.status
    form = round_.form_title.text(lang)
    if round_.form_version is not None:
        form = f"{form} ({context.text('form_version', version=round_.form_version)})"
    rows = [
        (context.text("unit"), unit_full_name(context)),
        (context.text("round"), f"{round_.name} ({status})"),
        (context.text("period"), format_date_range(round_.starts_on, round_.ends_on, lang)),
    ]
    if form.strip():
        rows.append((context.text("form"), form))
    previous = summary.previous_round
    if previous is not None:
        rows.append((context.text("previous_round"), f"{previous.name} ("
                     f"{format_date_range(previous.starts_on, previous.ends_on, lang)})"))
    cells = [[rich(f"<b>{safe(label)}</b>", "cover_meta"), para(value, "cover_meta")]
             for label, value in rows]
    table = Table(cells, colWidths=[40 * mm, context.width - 55 * mm], hAlign="CENTER")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), BOLD),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("TOPPADDING", (0, 0), (-1, -1), 1),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
    return table


def cover(context: Context) -> list[Flowable]:
    """The header, the title block and the round's details: the top half of page 1; the
    key findings (reports.sections.narrative) follow on the same page."""
    summary = context.summary
    story: list[Flowable] = [
        masthead(context),
        Spacer(1, 14 * mm),
        para(context.text("title"), "cover_title"),
        Spacer(1, 2 * mm),
        para(context.text("subtitle"), "cover_subtitle"),
        para(f"{summary.unit.name} · {summary.round.name}", "cover_subtitle"),
        Spacer(1, 4 * mm),
        HRFlowable(width="25%", thickness=1.5, color=ACCENT, spaceAfter=6 * mm),
        _details(context),
    ]
    if summary.round.status == "open":
        story += [Spacer(1, 2 * mm), para(context.text("in_progress_note"), "provisional_note")]
    return story
