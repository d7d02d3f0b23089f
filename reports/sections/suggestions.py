"""The suggestion-box section of the commune report: messages by topic and status, the
median time to a first reply and the share answered within 7 days, for a unit and a period.

Plain data in (``SuggestionFigures``, already k-suppressed by the server: a hidden figure is
None), flowables out. The messages' text is never printed here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from reports.formatting import format_decimal, format_int, format_percent
from reports.i18n import t
from reports.sections.channel_opening import opening
from reports.styles import para
from reports.tables import data_table

STATUSES = ("new", "assigned", "answered", "closed")


@dataclass(frozen=True)
class TopicRow:
    label: dict[str, str]                 # {"vi": ..., "en": ...}
    counts: tuple[int | None, ...]        # per status, in STATUSES order; None: hidden
    total: int | None


@dataclass(frozen=True)
class SuggestionFigures:
    unit_name: str
    period_start: date
    period_end: date                      # both days included (Viet Nam time)
    threshold: int                        # k of the k-suppression
    withheld: str | None                  # channel_opening.NO_DATA, TOO_FEW or None (shown)
    total: int | None                     # None when withheld
    status_totals: tuple[int | None, ...] = ()
    topics: tuple[TopicRow, ...] = ()
    replied: int | None = None            # messages with a first reply
    median_hours_to_first_reply: float | None = None
    decided_within_7_days: int | None = None   # the share's denominator
    answered_within_7_days: int | None = None
    share_answered_within_7_days: float | None = None


def _count(value: int | None, lang: str) -> str:
    return t("suppressed", lang) if value is None else format_int(value, lang)


def duration_text(hours: float | None, lang: str) -> str:
    if hours is None:
        return t("suppressed", lang)
    if hours < 48:
        return t("sb_hours", lang, value=format_decimal(hours, lang, 1))
    return t("sb_days", lang, value=format_decimal(hours / 24, lang, 1))


def suggestion_section(figures: SuggestionFigures, lang: str, width: float,
                       context=None) -> list[Flowable]:
    """The section's flowables. With the report's Context, the heading is numbered as the
    report's other sections are."""
    story, shown = opening("sb", figures, lang, context)
    if not shown:
        return story
    story.append(para(f"{t('sb_messages', lang)}: {_count(figures.total, lang)}", "prose"))
    header = [t("sb_topic", lang), *[t(f"sb_status_{s}", lang) for s in STATUSES],
              t("total", lang)]
    rows = [[row.label.get(lang) or row.label.get("vi", ""),
             *[_count(n, lang) for n in row.counts], _count(row.total, lang)]
            for row in figures.topics]
    rows.append([t("total", lang), *[_count(n, lang) for n in figures.status_totals],
                 _count(figures.total, lang)])
    number_width = 22 * mm
    widths = [width - number_width * (len(STATUSES) + 1)] + [number_width] * (len(STATUSES) + 1)
    story.append(data_table(header, rows, widths, numeric=tuple(range(1, len(STATUSES) + 2)),
                            bold_rows=(len(rows) - 1,)))
    n = figures.decided_within_7_days
    timing = [[t("sb_median_reply", lang), duration_text(figures.median_hours_to_first_reply, lang),
               t("n_equals", lang, n=_count(figures.replied, lang))],
              [t("sb_answered_7", lang),
               format_percent(figures.share_answered_within_7_days, lang)
               if figures.share_answered_within_7_days is not None else t("suppressed", lang),
               t("n_equals", lang, n=_count(n, lang))]]
    story.append(Spacer(1, 3 * mm))
    story.append(data_table([t("figure", lang), "", ""], timing,
                            [width - 60 * mm, 32 * mm, 28 * mm], numeric=(1, 2)))
    story.append(para(t("sb_note", lang, k=figures.threshold, n=_count(n, lang)), "muted"))
    return story


def suggestions(context) -> list[Flowable]:
    """The section in the round report (reports.pdf): only when the summary has the figures,
    that is when the unit's subtree has a suggestion box."""
    figures = context.summary.suggestions
    if figures is None:
        return []
    # a short section: kept on one page (split, its second table lost its heading)
    return [KeepTogether(suggestion_section(figures, context.lang, context.width, context))]
