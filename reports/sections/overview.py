"""The one-page summary: the two headline figures (the direct question and the SIPAS-style
index, named apart), group indices, largest rises and falls, incidents.

Every table that compares rounds has one column order: previous round, this round, change;
a change carries a ▲ or ▼ so its direction survives black-and-white printing.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from reports.fonts import REGULAR
from reports.formatting import (
    format_change_interval,
    format_change_pp,
    format_coverage,
    format_int,
    format_interval,
    format_mean,
    format_percent,
)
from reports.sections.context import Context
from reports.styles import RULE, ZEBRA, markup, para, rich
from reports.summary import Comparison, GroupIndex, ItemSatisfaction
from reports.tables import data_table

MOVERS = 3   # rises and falls shown on the summary page
# ▲ and ▼ from ZapfDingbats, one of the PDF standard fonts every reader has: the embedded
# text face has no triangles (a missing glyph would be dropped, see reports.styles.clean)
# (reportlab maps the Unicode triangles to the font's own codes; they copy out as ▲/▼)
_MARKS = {1: '<font name="ZapfDingbats" size="7">\u25b2</font> ',
          -1: '<font name="ZapfDingbats" size="7">\u25bc</font> '}


def change_text(context: Context, comparison: Comparison | None, verdict: bool = True,
                star: bool = False) -> str:
    """A change as plain text: "+3,2 điểm % (rõ rệt)"; "(chưa đủ N)" when the rounds are too
    small to judge; without `verdict` (a table with its own column for it) the change only;
    with `star` a "*" when the comparison left items out of both rounds (like for like)."""
    if comparison is None or comparison.change_pp is None:
        return "–"
    text = format_change_pp(comparison.change_pp, context.lang)
    if star and comparison.dropped:
        text += "*"
    if not verdict:
        return text
    if comparison.significant:
        text += f" ({context.text('clear_change')})"
    elif comparison.too_few:
        text += f" ({context.text('too_few_to_judge')})"
    return text


def change_mark(comparison: Comparison | None) -> str:
    """The ▲/▼ markup for a change (empty when there is none)."""
    return _MARKS.get(comparison.direction, "") if comparison is not None else ""


def change_cell(context: Context, comparison: Comparison | None, interval: bool = False,
                style: str = "cell_right", star: bool = False) -> Flowable:
    """A table cell: ▲/▼, the change and, with `interval`, its 95% interval below (and then
    no verdict: the table has a column for it)."""
    text = change_text(context, comparison, verdict=not interval, star=star)
    body = change_mark(comparison) + markup("{text}", text=text)
    if interval and comparison is not None and comparison.change_low_pp is not None:
        body += markup("<br/><font size=7>{interval}</font>", interval=format_change_interval(
            comparison.change_low_pp, comparison.change_high_pp, context.lang))
    return rich(body, style)


def _card(value: str, label: str, notes: list[str] | None = None) -> list[Flowable]:
    card = [para(value, "figure"), para(label, "figure_label")]
    card += [para(note, "small") for note in notes or [] if note]
    return card


def _since(context: Context, comparison: Comparison | None) -> Flowable | None:
    previous = context.summary.previous_round
    if previous is None or comparison is None or comparison.change_pp is None:
        return None
    label = context.text("change_since", round=previous.name)
    return rich(change_mark(comparison) + markup("{label}: {change}", label=label,
                                                 change=change_text(context, comparison, star=True)),
                "small")


def _direct_card(context: Context, item: ItemSatisfaction) -> list[Flowable]:
    lang = context.lang
    if item.suppressed or item.share is None:
        return _card(context.text("suppressed") if item.suppressed else "–",
                     context.text("direct_question"))
    card = _card(format_percent(item.share, lang), context.text("direct_question"), [
        context.text("interval_n", interval=format_interval(item.ci_low, item.ci_high, lang),
                     n=format_int(item.valid, lang)),
        context.text("mean_score_of", mean=format_mean(item.mean_score, lang))
        if item.mean_score is not None else ""])
    since = _since(context, item.previous)
    return [*card, since] if since else card


def _index_card(context: Context) -> list[Flowable]:
    summary, lang = context.summary, context.lang
    groups = len(summary.groups)
    notes = []
    if summary.overall_index is not None and summary.overall_ci_low is not None:
        notes.append(context.text(
            "interval_n", interval=format_interval(summary.overall_ci_low,
                                                   summary.overall_ci_high, lang),
            n=format_int(max((g.valid for g in summary.groups), default=0), lang)))
    card = _card(format_percent(summary.overall_index, lang),
                 context.text("sipas_index", groups=groups), notes)
    since = _since(context, summary.overall_previous)
    return [*card, since] if since else card


def _headline(context: Context) -> Table:
    summary, lang = context.summary, context.lang
    coverage = summary.coverage
    target_note = (f"{context.text('target')}: {format_int(coverage.target, lang)}"
                   if coverage.target else "")
    cards = [_card(format_int(coverage.responses, lang), context.text("responses"),
                   [target_note]),
             _card(format_coverage(coverage.coverage, lang), context.text("coverage"),
                   [context.text("over_target_note")] if coverage.over_target else [])]
    if summary.overall_question is not None:
        cards.append(_direct_card(context, summary.overall_question))
    cards.append(_index_card(context))
    widths = ([0.15, 0.19, 0.33, 0.33] if len(cards) == 4 else [0.22, 0.22, 0.56])
    table = Table([cards], colWidths=[context.width * share for share in widths])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, -1), ZEBRA),
        ("LINEAFTER", (0, 0), (-2, -1), 2, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
    ]))
    return table


def _headline_notes(context: Context) -> list[Flowable]:
    """What the two headline figures are, and the trend question's answers."""
    summary, lang = context.summary, context.lang
    notes = []
    if summary.overall_question is not None:
        notes.append(context.text("headline_direct_note",
                                  question=summary.overall_question.label.text(lang)))
    groups = ", ".join(group.label.text(lang) for group in summary.groups)
    notes.append(context.text("headline_index_note", groups=groups))
    trend = summary.question(summary.trend_question) if summary.trend_question else None
    if trend is not None and not trend.suppressed and trend.valid and trend.distribution:
        values = " · ".join(
            f"{choice.label.text(lang)} {format_percent(choice.count / trend.valid, lang)}"
            for choice in trend.distribution if not choice.suppressed)
        notes.append(context.text("trend_line", label=trend.label.text(lang), values=values,
                                  n=format_int(trend.valid, lang)))
    return [para(" ".join(notes), "muted")]


def _blocks(context: Context) -> list[GroupIndex]:
    summary = context.summary
    return [*summary.groups, *([summary.conduct] if summary.conduct else [])]


def dropped_note(context: Context, comparisons) -> Flowable | None:
    """The footnote of a "*": what a like-for-like comparison left out of both rounds."""
    summary, lang = context.summary, context.lang
    labels = {item.question: item.label.text(lang) for item in summary.items}
    labels.update({group.key: group.label.text(lang) for group in summary.groups})
    dropped = [labels.get(name, name) for comparison in comparisons if comparison is not None
               for name in comparison.dropped]
    if not dropped:
        return None
    return para(context.text("like_for_like_note", items=", ".join(dict.fromkeys(dropped))),
                "muted")


def _group_table(context: Context) -> list[Flowable]:
    lang = context.lang
    blocks = _blocks(context)
    compared = context.summary.previous_round is not None
    rows = []
    for group in blocks:
        previous = group.previous
        this_round = format_percent(group.share, lang)
        if previous is not None and previous.current is not None:
            # like for like: this round on the items the previous round had too
            this_round += f" ({format_percent(previous.current, lang)}*)"
        row = [group.label.text(lang)]
        if compared:
            row.append(format_percent(previous.share if previous else None, lang))
        row += [this_round, format_interval(group.ci_low, group.ci_high, lang),
                format_mean(group.mean_score, lang)]
        if compared:
            row.append(change_cell(context, previous, star=True))
        rows.append(row)
    header = [context.text("group_indices")]
    widths = [28 * mm, 26 * mm, 16 * mm]
    if compared:
        header.append(context.text("previous"))
        widths = [20 * mm, *widths, 44 * mm]
    header += [context.text("this_round"), context.text("ci_col"), context.text("mean_col")]
    if compared:
        header.append(context.text("change"))
    widths = [context.width - sum(widths), *widths]
    story: list[Flowable] = [data_table(header, rows, widths,
                                        numeric=tuple(range(1, len(header))))]
    note = dropped_note(context, [group.previous for group in blocks])
    return [*story, note] if note else story


def movers(items: tuple[ItemSatisfaction, ...], rising: bool) -> list[ItemSatisfaction]:
    """The items whose share changed most in one direction since the previous round."""
    changed = [item for item in items if item.previous is not None
               and item.previous.change_pp is not None
               and (item.previous.change_pp > 0 if rising else item.previous.change_pp < 0)]
    changed.sort(key=lambda item: item.previous.change_pp, reverse=rising)
    return changed[:MOVERS]


def _movers_table(context: Context, rising: bool) -> Flowable:
    lang = context.lang
    chosen = movers(context.summary.items, rising)
    title = context.text("largest_rises" if rising else "largest_falls")
    if not chosen:
        return para(f"{title}: {context.text('none')}", "body")
    rows = [[item.label.text(lang),
             format_percent(item.previous.share, lang),
             format_percent(item.share, lang),
             change_cell(context, item.previous)] for item in chosen]
    widths = [context.width - 3 * 38 * mm, 30 * mm, 30 * mm, 54 * mm]
    return data_table([title, context.text("previous"), context.text("this_round"),
                       context.text("change")], rows, widths, numeric=(1, 2, 3))


def _incidents_table(context: Context) -> Flowable:
    lang = context.lang
    rows = []
    for incident in context.summary.incidents:
        this_round = (context.text("suppressed") if incident.suppressed else
                      f"{format_percent(incident.share, lang)} ({format_int(incident.count, lang)}"
                      f"/{format_int(incident.valid, lang)})")
        rows.append([incident.label.text(lang),
                     format_percent(incident.previous.share if incident.previous else None, lang),
                     this_round, change_cell(context, incident.previous)])
    widths = [context.width - 28 * mm - 38 * mm - 48 * mm, 28 * mm, 38 * mm, 48 * mm]
    return data_table([context.text("incidents_section"), context.text("previous"),
                       context.text("this_round"), context.text("change")],
                      rows, widths, numeric=(1, 2, 3))


def overview(context: Context) -> list[Flowable]:
    summary = context.summary
    story: list[Flowable] = [context.heading("summary"), _headline(context),
                             Spacer(1, 2 * mm), *_headline_notes(context), Spacer(1, 4 * mm),
                             *_group_table(context), Spacer(1, 5 * mm)]
    if summary.previous_round is None:
        story.append(para(context.text("no_previous"), "muted"))
    else:
        story += [KeepTogether([_movers_table(context, rising=True)]), Spacer(1, 4 * mm),
                  KeepTogether([_movers_table(context, rising=False)])]
    if summary.incidents:
        story += [Spacer(1, 5 * mm), KeepTogether([_incidents_table(context)])]
    return story
