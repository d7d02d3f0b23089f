"""The "3 không" incidents, residents' comments and the methodology note."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from reports.formatting import format_decimal, format_int, format_percent
from reports.sections.context import Context
from reports.sections.overview import change_text
from reports.stats import mask_personal_numbers
from reports.styles import markup, para, rich
from reports.tables import data_table

MAX_COMMENTS = 300   # a province can have thousands; the export has them all


def incidents(context: Context) -> list[Flowable]:
    summary, lang = context.summary, context.lang
    if not summary.incidents:
        return []
    rows = [[incident.label.text(lang), format_int(incident.count, lang),
             format_int(incident.valid, lang), format_percent(incident.share, lang),
             format_percent(incident.previous.share if incident.previous else None, lang),
             change_text(context, incident.previous)] for incident in summary.incidents]
    widths = [context.width - 118 * mm, 22 * mm, 18 * mm, 20 * mm, 20 * mm, 38 * mm]
    table = data_table([context.text("figure"), context.text("reported"),
                        context.text("n_col"), context.text("share"),
                        context.text("previous"), context.text("change")],
                       rows, widths, numeric=(1, 2, 3, 4, 5))
    return [context.heading("incidents_section"), para(context.text("incidents_intro"), "muted"),
            table]


def comments(context: Context) -> list[Flowable]:
    all_comments = context.summary.comments
    story: list[Flowable] = [context.heading("comments_section")]
    if not all_comments:
        return [*story, para(context.text("no_comments"))]
    shown = all_comments[:MAX_COMMENTS]
    notes = [context.text("comments_masked")]
    if len(shown) < len(all_comments):
        notes.insert(0, context.text("comments_truncated",
                                     shown=format_int(len(shown), context.lang),
                                     total=format_int(len(all_comments), context.lang)))
    story.append(para(" ".join(notes), "muted"))
    for number, comment in enumerate(shown, start=1):
        # masked again here: the renderer must not leak a number the analytics missed
        text = markup("{n}. {text}", n=number, text=mask_personal_numbers(comment.text))
        if comment.unit_name:
            text += markup(" <font color='#5F6B7A'>({unit})</font>", unit=comment.unit_name)
        story.append(rich(text, "comment"))
    return story


def methodology(context: Context) -> list[Flowable]:
    summary, lang = context.summary, context.lang
    method = summary.methodology
    satisfied = f" {context.text('method_or')} ".join(
        f"“{label.text(lang)}”" for label in method.satisfied_labels)
    suppressed = method.suppressed_cells
    return [
        context.heading("method_section"),
        para(context.text("method_share", satisfied=satisfied), "prose"),
        para(context.text("method_index"), "prose"),
        para(context.text("method_ci", confidence=format_percent(method.confidence, lang, 0),
                          alpha=format_decimal(method.alpha, lang, 2)), "prose"),
        para(context.text("method_suppression", k=method.suppression_threshold,
                          count=format_int(suppressed, lang)), "prose"),
    ]
