"""Key findings in plain words, generated from the figures, for page 1: how many answered,
the overall index and its change, the three strongest and three weakest items, the largest
clear rises and falls, the "3 không" incident rates.

No p-values and no jargon here: a change is named only when the comparison marked it
significant (``Comparison.significant``), and is then called "rõ rệt" (clear), the word the
tables use; how that is decided is in the annex."""

from __future__ import annotations

from reportlab.platypus import Flowable

from reports.formatting import format_decimal, format_int, format_percent
from reports.sections.context import Context
from reports.styles import markup, para, rich
from reports.summary import Comparison, ItemSatisfaction, RoundSummary

TOP = 3        # items named as strongest, weakest, rising, falling


def _shown(summary: RoundSummary) -> list[ItemSatisfaction]:
    """Items with a published share (never a suppressed one), the direct overall question
    left out: it is a headline of its own, not one of the criteria."""
    direct = summary.overall_question.question if summary.overall_question else None
    return [item for item in summary.items
            if not item.suppressed and item.share is not None and item.question != direct]


def strongest_and_weakest(summary: RoundSummary) -> tuple[list[ItemSatisfaction],
                                                          list[ItemSatisfaction]]:
    """The TOP highest shares and the TOP lowest, the lowest first; an item is never in
    both (with fewer than 2 × TOP items the weakest list is shorter)."""
    ranked = sorted(_shown(summary), key=lambda item: (-item.share, item.label.vi))
    strongest = ranked[:TOP]
    rest = ranked[len(strongest):]
    weakest = list(reversed(rest[-TOP:])) if rest else []
    return strongest, weakest


def _clear(comparison: Comparison | None) -> bool:
    return bool(comparison is not None and comparison.significant
                and comparison.change_pp is not None)


def clear_changes(summary: RoundSummary) -> tuple[list[ItemSatisfaction],
                                                  list[ItemSatisfaction]]:
    """The TOP largest clear rises and the TOP largest clear falls, largest first."""
    changed = [item for item in _shown(summary) if _clear(item.previous)]
    rises = sorted((i for i in changed if i.previous.change_pp > 0),
                   key=lambda item: -item.previous.change_pp)[:TOP]
    falls = sorted((i for i in changed if i.previous.change_pp < 0),
                   key=lambda item: item.previous.change_pp)[:TOP]
    return rises, falls


def _change_words(context: Context, change_pp: float) -> str:
    points = format_decimal(abs(change_pp), context.lang, 1)
    if points == format_decimal(0, context.lang, 1):
        return context.text("finding_same")
    return context.text("finding_up" if change_pp > 0 else "finding_down", pp=points)


def _listing(entries: list[str]) -> str:
    return "; ".join(entries)


def _responses(context: Context) -> str:
    summary, lang = context.summary, context.lang
    coverage = summary.coverage
    values = {"unit": summary.unit.name, "round": summary.round.name,
              "responses": format_int(coverage.responses, lang)}
    if coverage.target:
        return context.text("finding_responses_target", **values,
                            coverage=format_percent(coverage.coverage, lang, 0),
                            target=format_int(coverage.target, lang))
    return context.text("finding_responses", **values)


def _since(context: Context, comparison: Comparison | None,
           printed: float | None = None) -> str:
    """", tăng 4,1 điểm phần trăm so với đợt trước (rõ rệt)", or "" with nothing to compare.

    An index compared like for like (items left out of both rounds) says so and gives the
    two figures the change is the difference of: it may differ from the printed index minus
    the previous one."""
    if comparison is None or comparison.change_pp is None:
        return ""
    judged = {True: "finding_clear", False: "finding_not_clear"}.get(comparison.significant)
    values = {"change": _change_words(context, comparison.change_pp),
              "judged": context.text(judged) if judged else ""}
    if comparison.dropped and comparison.share is not None:
        now = comparison.current if comparison.current is not None else printed
        if now is not None:
            return context.text("finding_change_since_same_items", **values,
                                now=format_percent(now, context.lang),
                                before=format_percent(comparison.share, context.lang))
    return context.text("finding_change_since", **values)


def findings(context: Context) -> list[str]:
    """The key findings as sentences, in reading order."""
    summary, lang = context.summary, context.lang
    sentences = [_responses(context)]
    direct = summary.overall_question
    if direct is not None and not direct.suppressed and direct.share is not None:
        sentences.append(context.text("finding_direct", share=format_percent(direct.share, lang),
                                      change=_since(context, direct.previous)))
    if summary.overall_index is not None:
        sentences.append(context.text("finding_overall",
                                      share=format_percent(summary.overall_index, lang),
                                      change=_since(context, summary.overall_previous,
                                                    summary.overall_index)))
    strongest, weakest = strongest_and_weakest(summary)

    def named(items: list[ItemSatisfaction]) -> str:
        return _listing([context.text("finding_item", label=item.label.text(lang),
                                               share=format_percent(item.share, lang))
                                  for item in items])

    if strongest:
        sentences.append(context.text("finding_strongest", items=named(strongest)))
    if weakest:
        sentences.append(context.text("finding_weakest", items=named(weakest)))
    sentences += _change_sentences(context)
    incidents = [incident for incident in summary.incidents
                 if not incident.suppressed and incident.share is not None]
    if incidents:
        sentences.append(context.text("finding_incidents", items=_listing([
            context.text("finding_incident", share=format_percent(incident.share, lang),
                         label=incident.label.text(lang),
                         count=format_int(incident.count, lang),
                         valid=format_int(incident.valid, lang))
            for incident in incidents])))
    return sentences


def _change_sentences(context: Context) -> list[str]:
    summary, lang = context.summary, context.lang
    if summary.previous_round is None:
        return [context.text("finding_no_previous")]
    rises, falls = clear_changes(summary)
    if not rises and not falls:
        return [context.text("finding_no_clear_change")]

    def named(items: list[ItemSatisfaction]) -> str:
        return _listing([context.text(
            "finding_change_item", label=item.label.text(lang),
            change=_change_words(context, item.previous.change_pp)) for item in items])

    sentences = []
    if rises:
        sentences.append(context.text("finding_rises", items=named(rises)))
    if falls:
        sentences.append(context.text("finding_falls", items=named(falls)))
    return sentences


def narrative(context: Context) -> list[Flowable]:
    story: list[Flowable] = [context.heading("findings_section")]
    story += [rich(markup("<bullet>•</bullet>{sentence}", sentence=sentence), "finding")
              for sentence in findings(context)]
    story.append(para(context.text("finding_see_more"), "muted"))
    return story
