"""The end of the report: the "3 không" incidents, residents' comments, the methodology in
plain words, the signature block with "Nơi nhận", and the technical annex."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from reports.document import document_number, recipients, signer_title
from reports.fonts import REGULAR
from reports.formatting import format_decimal, format_int, format_percent
from reports.masking import mask_comment
from reports.sections.context import Context
from reports.sections.overview import change_cell
from reports.styles import markup, para, rich
from reports.tables import data_table


def incidents(context: Context) -> list[Flowable]:
    """The "3 không" incidents with their counts, in the one column order of every table
    that compares rounds: previous round, this round, change (with its ▲/▼)."""
    summary, lang = context.summary, context.lang
    if not summary.incidents:
        return []
    compared = summary.previous_round is not None
    rows = []
    for incident in summary.incidents:
        row = [incident.label.text(lang)]
        if compared:
            row.append(format_percent(incident.previous.share if incident.previous else None,
                                      lang))
        row += [context.text("suppressed") if incident.suppressed
                else format_int(incident.count, lang),
                format_int(incident.valid, lang), format_percent(incident.share, lang)]
        if compared:
            row.append(change_cell(context, incident.previous))
        rows.append(row)
    header = [context.text("figure")]
    widths = []
    if compared:
        header.append(context.text("previous"))
        widths.append(20 * mm)
    header += [context.text("reported"), context.text("n_col"),
               context.text("this_round" if compared else "share")]
    widths += [22 * mm, 18 * mm, 20 * mm]
    if compared:
        header.append(context.text("change"))
        widths.append(40 * mm)
    widths = [context.width - sum(widths), *widths]
    table = data_table(header, rows, widths, numeric=tuple(range(1, len(header))))
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
    """How to read the figures, in plain words; the technical terms are in the annex."""
    method = context.summary.methodology
    return [
        context.heading("method_section"),
        para(context.text("method_plain_share", satisfied=_satisfied(context)), "prose"),
        para(context.text("method_plain_index"), "prose"),
        para(context.text("method_plain_change", min_n=format_int(method.min_n_per_side,
                                                                  context.lang)), "prose"),
        para(context.text("method_plain_privacy", k=method.suppression_threshold), "prose"),
        *_moderation(context),
    ]


def _moderation(context: Context) -> list[Flowable]:
    """How many comments moderation hid (server/moderation): said whenever the round has
    comments, 0 included, so the reader knows none was left out silently."""
    summary = context.summary
    if not (summary.comment_hidden or summary.comment_total or summary.comments):
        return []
    return [para(context.text("method_moderation",
                              count=format_int(summary.comment_hidden, context.lang)), "prose")]


def _satisfied(context: Context) -> str:
    return f" {context.text('method_or')} ".join(
        f"“{label.text(context.lang)}”" for label in context.summary.methodology.satisfied_labels)


def signed_methodology(context: Context) -> list[Flowable]:
    """The methodology, then the signature block, kept together on one page: a page
    holding nothing but a signature (or a line and a signature) is no page to sign."""
    return [KeepTogether([*methodology(context), *signature(context)])]


def signature(context: Context) -> list[Flowable]:
    """"Nơi nhận" on the left, the signer's title, room to sign and the name on the right."""
    summary, lang = context.summary, context.lang
    entries = recipients(summary, lang)
    left: list[Flowable] = [para(context.text("recipients_label"), "recipients_head")]
    for number, entry in enumerate(entries, start=1):
        ending = "" if entry.endswith((".", ";", ":")) else "." if number == len(entries) else ";"
        left.append(para(f"- {entry}{ending}", "recipient"))
    right: list[Flowable] = [para(line.upper(), "sign_title")
                             for line in signer_title(summary, lang)]
    right.append(para(summary.document.signer_name or "\u00a0", "sign_name"))
    half = context.width / 2
    table = Table([[left, right]], colWidths=[half * 0.9, half * 1.1])
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), REGULAR),
                               ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    return [Spacer(1, 8 * mm), table]


def annex(context: Context) -> list[Flowable]:
    """The methodology in its technical terms (Wilson intervals, the test, the suppression
    rules, the comment masking), after the signature, as the report's annex."""
    summary, lang = context.summary, context.lang
    method = summary.methodology
    return [
        para(context.text("annex_section"), "annex_title"),
        para(context.text("annex_intro", number=document_number(summary, lang)), "muted_center"),
        Spacer(1, 4 * mm),
        para(context.text("method_share", satisfied=_satisfied(context)), "prose"),
        para(context.text("method_index"), "prose"),
        para(context.text("method_ci", confidence=format_percent(method.confidence, lang, 0),
                          alpha=format_decimal(method.alpha, lang, 2),
                          exact_test_below=format_int(method.exact_test_below, lang),
                          min_n_per_side=format_int(method.min_n_per_side, lang),
                          k=method.suppression_threshold), "prose"),
        para(context.text("method_suppression", k=method.suppression_threshold,
                          count=format_int(method.suppressed_cells, lang)), "prose"),
        para(context.text("method_comments", limit=format_int(method.comment_limit, lang),
                          k=method.suppression_threshold), "prose"),
    ]
