"""The one-page summary: headline figures, group indices, largest rises and falls."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from reports.fonts import REGULAR
from reports.formatting import format_change_pp, format_int, format_percent
from reports.sections.context import Context
from reports.styles import RULE, ZEBRA, para
from reports.summary import Comparison, ItemSatisfaction
from reports.tables import data_table

MOVERS = 3   # rises and falls shown on the summary page


def change_text(context: Context, comparison: Comparison | None) -> str:
    if comparison is None or comparison.change_pp is None:
        return "–"
    text = format_change_pp(comparison.change_pp, context.lang)
    if comparison.significant:
        text += f" ({context.text('clear_change')})"
    return text


def _card(value: str, label: str, note: str = "") -> list[Flowable]:
    card = [para(value, "figure"), para(label, "figure_label")]
    if note:
        card.append(para(note, "small"))
    return card


def _headline(context: Context) -> Table:
    summary, lang = context.summary, context.lang
    coverage = summary.coverage
    responses_note = ""
    if coverage.target:
        responses_note = f"{context.text('target')}: {format_int(coverage.target, lang)}"
    cards = [
        _card(format_int(coverage.responses, lang), context.text("responses"), responses_note),
        _card(format_percent(coverage.coverage, lang), context.text("coverage")),
        _card(format_percent(summary.overall_index, lang), context.text("overall_index"),
              _since(context, summary.overall_previous)),
    ]
    width = context.width / len(cards)
    table = Table([cards], colWidths=[width] * len(cards))
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


def _since(context: Context, comparison: Comparison | None) -> str:
    previous = context.summary.previous_round
    if previous is None or comparison is None or comparison.change_pp is None:
        return ""
    return f"{context.text('change_since', round=previous.name)}: {change_text(context, comparison)}"


def _group_table(context: Context) -> Flowable:
    lang = context.lang
    groups = list(context.summary.groups)
    if context.summary.conduct is not None:
        groups.append(context.summary.conduct)
    rows = [[group.label.text(lang), format_percent(group.share, lang),
             format_percent(group.previous.share if group.previous else None, lang),
             change_text(context, group.previous)] for group in groups]
    widths = [context.width - 3 * 38 * mm, 30 * mm, 30 * mm, 54 * mm]
    return data_table([context.text("group_indices"), context.text("this_round"),
                       context.text("previous"), context.text("change")],
                      rows, widths, numeric=(1, 2, 3))


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
             change_text(context, item.previous)] for item in chosen]
    widths = [context.width - 3 * 38 * mm, 30 * mm, 30 * mm, 54 * mm]
    return data_table([title, context.text("previous"), context.text("this_round"),
                       context.text("change")], rows, widths, numeric=(1, 2, 3))


def _incidents_table(context: Context) -> Flowable:
    lang = context.lang
    rows = [[incident.label.text(lang),
             context.text("suppressed") if incident.suppressed
             else format_int(incident.count, lang),
             format_percent(incident.share, lang),
             change_text(context, incident.previous)]
            for incident in context.summary.incidents]
    widths = [context.width - 3 * 38 * mm, 30 * mm, 30 * mm, 54 * mm]
    return data_table([context.text("incidents_section"), context.text("reported"),
                       context.text("share"), context.text("change")],
                      rows, widths, numeric=(1, 2, 3))


def overview(context: Context) -> list[Flowable]:
    summary = context.summary
    story: list[Flowable] = [context.heading("summary"), _headline(context),
                             Spacer(1, 5 * mm), _group_table(context), Spacer(1, 5 * mm)]
    if summary.previous_round is None:
        story.append(para(context.text("no_previous"), "muted"))
    else:
        story += [KeepTogether([_movers_table(context, rising=True)]), Spacer(1, 4 * mm),
                  KeepTogether([_movers_table(context, rising=False)])]
    if summary.incidents:
        story += [Spacer(1, 5 * mm), KeepTogether([_incidents_table(context)])]
    return story
