"""Per SIPAS group a bar chart of its items; Likert distributions; other questions."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from reports.charts import BarRow, LikertRow, likert_chart, likert_legend, satisfaction_chart
from reports.formatting import format_int, format_interval, format_mean, format_percent
from reports.sections.context import Context
from reports.styles import markup, para, rich
from reports.summary import GroupIndex, QuestionSummary
from reports.tables import data_table

DEFAULT_LEVELS = ("Rất không hài lòng", "Không hài lòng", "Bình thường", "Hài lòng",
                  "Rất hài lòng")
DEFAULT_LEVELS_EN = ("Very dissatisfied", "Dissatisfied", "Neutral", "Satisfied",
                     "Very satisfied")


def _blocks(context: Context) -> list[GroupIndex]:
    summary = context.summary
    return [*summary.groups, *([summary.conduct] if summary.conduct else [])]


def _group_chart(context: Context, group: GroupIndex) -> Flowable:
    lang = context.lang
    rows = [BarRow(label=item.label.text(lang), share=item.share, n=item.valid,
                   ci_low=item.ci_low, ci_high=item.ci_high, suppressed=item.suppressed)
            for item in context.summary.items_of(group.key)]
    title = rich(markup("{label}: <font color='#1E5AA8'>{share}</font>",
                        label=group.label.text(lang), share=format_percent(group.share, lang)),
                 "h2")
    return KeepTogether([title, satisfaction_chart(rows, context.width, lang),
                         Spacer(1, 2 * mm), _items_table(context, group), Spacer(1, 3 * mm)])


def _items_table(context: Context, group: GroupIndex) -> Flowable:
    """The chart's figures as numbers: N, share satisfied, its 95% interval, mean score; the
    group's index and interval on the last line."""
    lang, hidden = context.lang, context.text("suppressed")
    rows = [[item.label.text(lang), format_int(item.valid, lang), hidden, hidden, hidden]
            if item.suppressed else
            [item.label.text(lang), format_int(item.valid, lang),
             format_percent(item.share, lang), format_interval(item.ci_low, item.ci_high, lang),
             format_mean(item.mean_score, lang)]
            for item in context.summary.items_of(group.key)]
    rows.append([group.label.text(lang), format_int(group.valid, lang),
                 format_percent(group.share, lang),
                 format_interval(group.ci_low, group.ci_high, lang),
                 format_mean(group.mean_score, lang)])
    widths = [22 * mm, 24 * mm, 30 * mm, 20 * mm]
    return data_table([context.text("items_table"), context.text("n_col"),
                       context.text("satisfied_col"), context.text("ci_col"),
                       context.text("mean_col")], rows,
                      [context.width - sum(widths), *widths], numeric=(1, 2, 3, 4),
                      bold_rows=(len(rows) - 1,))


def group_results(context: Context) -> list[Flowable]:
    blocks = _blocks(context)
    if not blocks:
        return []
    story: list[Flowable] = [context.heading("groups_section"),
                             para(context.text("group_chart_note"), "muted")]
    story += [_group_chart(context, group) for group in blocks]
    return story


def _levels(context: Context, question: QuestionSummary) -> list:
    na = context.summary.methodology.not_applicable_value
    return [choice for choice in question.distribution if choice.value != na]


def _legend_labels(context: Context) -> list[str]:
    for item in context.summary.items:
        question = context.summary.question(item.question)
        if question is not None and _levels(context, question):
            return [choice.label.text(context.lang) for choice in _levels(context, question)]
    return list(DEFAULT_LEVELS_EN if context.lang == "en" else DEFAULT_LEVELS)


def likert_distributions(context: Context) -> list[Flowable]:
    summary, lang = context.summary, context.lang
    charts: list[Flowable] = []
    for group in _blocks(context):
        rows = []
        for item in summary.items_of(group.key):
            question = summary.question(item.question)
            if question is None or question.suppressed:
                continue   # fewer than k valid answers: no distribution
            counts = [choice.count for choice in _levels(context, question)]
            rows.append(LikertRow(label=item.label.text(lang), counts=counts,
                                  valid=question.valid))
        if rows:
            charts.append(KeepTogether([para(group.label.text(lang), "h2"),
                                        likert_chart(rows, context.width, lang)]))
    if not charts:
        return []
    return [context.heading("likert_section"), para(context.text("likert_note"), "muted"),
            Spacer(1, 2 * mm), likert_legend(_legend_labels(context), context.width), *charts]


def _question_block(context: Context, question: QuestionSummary) -> Flowable:
    lang = context.lang
    hidden = context.text("suppressed")
    rows = [[choice.label.text(lang), hidden, hidden] if choice.suppressed else
            [choice.label.text(lang), format_int(choice.count, lang),
             format_percent(choice.count / question.valid if question.valid else None, lang)]
            for choice in question.distribution]
    counts = context.text("question_counts", valid=format_int(question.valid, lang),
                          na=format_int(question.not_applicable, lang),
                          skipped=format_int(question.skipped_by_logic, lang),
                          missing=format_int(question.missing, lang))
    table = data_table([question.label.text(lang), context.text("count"),
                        context.text("share")], rows,
                       [context.width - 60 * mm, 30 * mm, 30 * mm], numeric=(1, 2))
    return KeepTogether([table, para(counts, "muted"), Spacer(1, 4 * mm)])


def other_questions(context: Context) -> list[Flowable]:
    """Questions that are not satisfaction items (overall rating, trend, respondent profile)."""
    item_names = {item.question for item in context.summary.items}
    questions = [question for question in context.summary.questions
                 if question.name not in item_names and question.distribution
                 and not question.suppressed]
    if not questions:
        return []
    blocks = [_question_block(context, question) for question in questions]
    # the heading stays with the first block rather than ending a page alone
    return [KeepTogether([para(context.text("other_questions"), "h2"), blocks[0]]), *blocks[1:]]
