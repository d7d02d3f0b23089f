"""The "3 không" incidents, residents' comments and the methodology note."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from reports.formatting import format_decimal, format_int, format_percent
from reports.masking import mask_comment
from reports.sections.context import Context
from reports.sections.overview import change_text
from reports.styles import markup, para, rich
from reports.tables import data_table


def incidents(context: Context) -> list[Flowable]:
    summary, lang = context.summary, context.lang
    if not summary.incidents:
        return []
    rows = [[incident.label.text(lang),
             context.text("suppressed") if incident.suppressed
             else format_int(incident.count, lang),
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
    """The sample the analytics chose (reports.comments), with the truth about how many
    there are in all."""
    summary, lang = context.summary, context.lang
    shown = summary.comments
    story: list[Flowable] = [context.heading("comments_section")]
    if not shown:
        return [*story, para(context.text("no_comments"))]
    represented = sum(comment.count for comment in shown)
    total = max(summary.comment_total or 0, represented)
    notes = []
    if represented < total:
        notes.append(context.text("comments_truncated", shown=format_int(represented, lang),
                                  total=format_int(total, lang)))
    if any(comment.count > 1 for comment in shown):
        notes.append(context.text("comments_grouped"))
    notes.append(context.text("comments_masked"))
    story.append(para(" ".join(notes), "muted"))
    for number, comment in enumerate(shown, start=1):
        # masked again here: the renderer must not leak what the analytics missed
        text = markup("{n}. {text}", n=number, text=mask_comment(comment.text))
        if comment.count > 1:
            text += markup(" {repeats}",
                           repeats=context.text("comment_repeats", count=format_int(
                               comment.count, lang)))
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
        para(context.text("method_comments", limit=format_int(method.comment_limit, lang),
                          k=method.suppression_threshold), "prose"),
    ]
