"""The one-page notice printed in place of a report that may not (or cannot yet) be made:
"too few responses to report" (fewer than k) or "no data yet" (no response).

It names the unit, the round and k, and carries no figure at all: not even the count of a
unit below k, only "fewer than k"."""

from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, HRFlowable, Spacer

from reports.document import issuer
from reports.formatting import format_date_range, format_datetime
from reports.i18n import check_language, t
from reports.sections.context import Context
from reports.sections.cover import masthead
from reports.styles import ACCENT, clean, para
from reports.summary import RoundSummary
from reports.template import CONTENT_WIDTH, PageFurniture, ReportDocument

NOTICES = ("too_few", "no_data")


def _unit_full_name(summary: RoundSummary) -> str:
    unit = summary.unit
    return ", ".join([unit.name, *reversed(unit.parent_names)])


def _story(summary: RoundSummary, lang: str) -> list[Flowable]:
    kind = summary.withheld
    round_ = summary.round
    k = summary.methodology.suppression_threshold
    period = format_date_range(round_.starts_on, round_.ends_on, lang)
    status = t(f"status_{round_.status}", lang)
    return [
        # the same document header as a report: it is filed the same way
        masthead(Context(summary=summary, lang=lang, width=CONTENT_WIDTH)),
        Spacer(1, 32 * mm),
        para(t(f"notice_{kind}_title", lang), "cover_title"),
        Spacer(1, 8 * mm),
        HRFlowable(width="25%", thickness=1.5, color=ACCENT),
        Spacer(1, 8 * mm),
        para(_unit_full_name(summary), "cover_unit"),
        para(f"{round_.name} ({status}) · {period}", "cover_subtitle"),
        Spacer(1, 14 * mm),
        para(t(f"notice_{kind}", lang, unit=summary.unit.name, round=round_.name, k=k),
             "cover_subtitle"),
        Spacer(1, 6 * mm),
        para(t("notice_threshold", lang, k=k), "muted_center"),
        Spacer(1, 20 * mm),
        para(t("generated", lang, when=format_datetime(summary.generated_at, lang)),
             "muted_center"),
    ]


def render_notice(summary: RoundSummary, lang: str = "vi") -> bytes:
    """The one-page notice for a summary whose ``withheld`` is "too_few" or "no_data"."""
    lang = check_language(lang)
    if summary.withheld not in NOTICES:
        raise ValueError(f"not a withheld summary: {summary.withheld!r}")
    title = t(f"notice_{summary.withheld}_title", lang)
    open_round = summary.round.status == "open"
    furniture = PageFurniture(
        header_left=summary.unit.name, header_right=summary.round.name,
        footer_left=t("app", lang),
        page_label=lambda page, pages: t("page_of", lang, page=page, pages=pages),
        provisional=t("provisional", lang) if open_round else "",
        provisional_note=t("provisional_band", lang) if open_round else "")
    output = io.BytesIO()
    document = ReportDocument(output, furniture,
                              title=clean(f"{title} - {summary.unit.name} - "
                                          f"{summary.round.name}"),
                              author=clean(issuer(summary, lang)),
                              subject=clean(title), creator="Lắng Nghe", lang=lang)
    document.build_story(_story(summary, lang))
    return output.getvalue()
