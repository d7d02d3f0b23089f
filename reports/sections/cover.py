"""The cover: issuing body, title, unit, round and dates."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, Spacer, Table, TableStyle

from reports.fonts import REGULAR
from reports.formatting import format_date_range, format_datetime
from reports.sections.context import Context
from reports.styles import ACCENT, INK, para, rich, safe


def unit_full_name(context: Context) -> str:
    unit = context.summary.unit
    return ", ".join([unit.name, *reversed(unit.parent_names)])


def _masthead(context: Context) -> Table:
    half = context.width / 2
    left = [para(context.summary.issuer.text(context.lang).upper(), "cover_issuer"),
            HRFlowable(width="30%", thickness=0.8, color=INK, spaceBefore=2)]
    right = [para(context.text("nation"), "cover_nation"),
             para(context.text("motto"), "cover_motto"),
             HRFlowable(width="45%", thickness=0.8, color=INK, spaceBefore=2)]
    table = Table([[left, right]], colWidths=[half * 0.9, half * 1.1])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
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
    rows.append((context.text("issued_by"), summary.issuer.text(lang)))
    cells = [[rich(f"<b>{safe(label)}</b>", "cover_meta"), para(value, "cover_meta")]
             for label, value in rows]
    table = Table(cells, colWidths=[45 * mm, context.width - 60 * mm], hAlign="CENTER")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    return table


def cover(context: Context) -> list[Flowable]:
    summary, lang = context.summary, context.lang
    story: list[Flowable] = [
        _masthead(context),
        Spacer(1, 45 * mm),
        para(context.text("title"), "cover_title"),
        Spacer(1, 3 * mm),
        para(context.text("subtitle"), "cover_subtitle"),
        Spacer(1, 10 * mm),
        HRFlowable(width="25%", thickness=1.5, color=ACCENT),
        Spacer(1, 10 * mm),
        para(summary.unit.name, "cover_unit"),
        para(summary.round.name, "cover_subtitle"),
        Spacer(1, 18 * mm),
        _details(context),
        Spacer(1, 20 * mm),
        para(context.text("generated", when=format_datetime(summary.generated_at, lang)),
             "muted_center"),
    ]
    if summary.round.status == "open":
        story.append(para(context.text("in_progress_note"), "muted_center"))
    return story
