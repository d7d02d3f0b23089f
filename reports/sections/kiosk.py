"""The one-stop-desk section of the commune report: residents' ratings at the desks of a unit
for a period, by service (thủ tục) and by week, with the share satisfied and its Wilson 95%
interval, the count beside it.

Plain data in (``KioskFigures``, already k-suppressed by the server: a hidden figure is None),
flowables out. Comments are never printed here. Its words are the report's (reports/i18n.py,
"kiosk_" keys; Khmer in reports/i18n_km.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from reports.formatting import format_date, format_int, format_interval, format_percent
from reports.i18n import t
from reports.sections.channel_opening import opening
from reports.styles import para
from reports.tables import data_table


@dataclass(frozen=True)
class KioskRow:
    label: str | None                     # a service's name; None: no service picked
    week_start: date | None = None        # by-week rows: the Monday (Viet Nam time)
    n: int | None = None                  # None: hidden (k-suppression)
    satisfied: int | None = None
    share: float | None = None
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class KioskFigures:
    unit_name: str
    period_start: date
    period_end: date                      # both days included (Viet Nam time)
    threshold: int                        # k of the k-suppression
    withheld: str | None                  # channel_opening.NO_DATA, TOO_FEW or None (shown)
    total: int | None = None              # valid (unflagged) ratings; None when withheld
    satisfied: int | None = None
    share: float | None = None
    low: float | None = None
    high: float | None = None
    flagged: int | None = None
    by_service: tuple[KioskRow, ...] = ()
    by_week: tuple[KioskRow, ...] = ()


def _row_label(row: KioskRow, lang: str) -> str:
    if row.week_start is not None:
        return t("kiosk_week_of", lang, day=format_date(row.week_start, lang))
    return row.label if row.label is not None else t("kiosk_no_service", lang)


def _cells(row_label: str, n, share, low, high, lang: str) -> list[str]:
    if n is None:
        hidden = t("suppressed", lang)
        return [row_label, hidden, hidden, hidden]
    return [row_label, format_int(n, lang), format_percent(share, lang),
            format_interval(low, high, lang)]


def _table(title: str, first: str, rows: tuple[KioskRow, ...], figures: KioskFigures,
           lang: str, width: float) -> list[Flowable]:
    body = [_cells(_row_label(row, lang), row.n, row.share, row.low, row.high, lang)
            for row in rows]
    body.append(_cells(t("total", lang), figures.total, figures.share, figures.low,
                       figures.high, lang))
    widths = [width - 80 * mm, 22 * mm, 22 * mm, 36 * mm]
    return [para(title, "h2"),
            data_table([first, t("kiosk_n", lang), t("satisfied_col", lang),
                        t("kiosk_interval", lang)],
                       body, widths, numeric=(1, 2, 3), bold_rows=(len(body) - 1,))]


def kiosk_section(figures: KioskFigures, lang: str, width: float,
                  context=None) -> list[Flowable]:
    """The section's flowables. With the report's Context, the heading is numbered as the
    report's other sections are."""
    story, shown = opening("kiosk", figures, lang, context)
    if not shown:
        return story
    story.append(para(f"{t('kiosk_ratings', lang)}: {format_int(figures.total, lang)}", "prose"))
    if figures.flagged:
        story.append(para(f"{t('kiosk_flagged', lang)}: {format_int(figures.flagged, lang)}",
                          "muted"))
    story += _table(t("kiosk_by_service", lang), t("kiosk_service", lang), figures.by_service,
                    figures, lang, width)
    story += _table(t("kiosk_by_week", lang), "", figures.by_week, figures, lang, width)
    story.append(para(t("kiosk_note", lang, k=figures.threshold), "muted"))
    return story


def desk_ratings(context) -> list[Flowable]:
    """The section in the round report (reports.pdf): only when the summary has the figures,
    that is when the unit's subtree has a desk; kept on one page."""
    figures = context.summary.desk_ratings
    if figures is None:
        return []
    return [KeepTogether(kiosk_section(figures, context.lang, context.width, context))]
