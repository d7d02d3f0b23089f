"""The opening the report's sections on a unit's other channels share (the suggestion box's,
reports/sections/suggestions.py; the one-stop desk's, reports/sections/kiosk.py): the heading,
the unit and period, and, when the figures are withheld, the notice that stands in for them.
Each section's words are the report's, under its own key prefix."""

from __future__ import annotations

from reportlab.platypus import Flowable

from reports.formatting import format_date
from reports.i18n import t
from reports.styles import markup, para, rich

NO_DATA = "no_data"
TOO_FEW = "too_few"


def _heading(prefix: str, lang: str, context) -> Flowable:
    if context is not None and hasattr(context, "heading"):
        return context.heading(f"{prefix}_section")       # numbered as the report's others
    return rich(markup("{title}", title=t(f"{prefix}_section", lang)), "h1")


def opening(prefix: str, figures, lang: str, context=None) -> tuple[list[Flowable], bool]:
    """The first flowables (words `<prefix>_section`, `_intro`, `_no_data`, `_too_few`) and
    whether the figures follow them: False when withheld, the notice then ends the section."""
    story: list[Flowable] = [_heading(prefix, lang, context), para(t(
        f"{prefix}_intro", lang, unit=figures.unit_name,
        start=format_date(figures.period_start, lang),
        end=format_date(figures.period_end, lang)), "muted")]
    if figures.withheld == NO_DATA:
        return [*story, para(t(f"{prefix}_no_data", lang), "prose")], False
    if figures.withheld == TOO_FEW:
        return [*story, para(t(f"{prefix}_too_few", lang, k=figures.threshold), "prose")], False
    return story, True
