"""render_round_report: a RoundSummary in, PDF bytes out."""

from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak

from reports.document import issuer
from reports.formatting import format_datetime
from reports.i18n import check_language, t
from reports.notice import render_notice
from reports.sections.breakdowns import breakdowns
from reports.sections.closing import annex, comments, incidents, signed_methodology
from reports.sections.comparison import children, comparison
from reports.sections.context import Context
from reports.sections.cover import cover
from reports.sections.kiosk import desk_ratings
from reports.sections.narrative import narrative
from reports.sections.overview import overview
from reports.sections.results import group_results, likert_distributions, other_questions
from reports.sections.suggestions import suggestions
from reports.styles import clean
from reports.summary import RoundSummary
from reports.template import CONTENT_WIDTH, PageFurniture, ReportDocument

PART_ROOM = 70 * mm     # less room than this left on a page: the next part starts a new one


def _furniture(summary: RoundSummary, lang: str) -> PageFurniture:
    generated = t("generated", lang, when=format_datetime(summary.generated_at, lang))
    open_round = summary.round.status == "open"
    return PageFurniture(
        header_left=summary.unit.name,
        header_right=f"{summary.round.name} · {t('title', lang).capitalize()}",
        footer_left=f"{t('app', lang)} · {generated}",
        page_label=lambda page, pages: t("page_of", lang, page=page, pages=pages),
        provisional=t("provisional", lang) if open_round else "",
        provisional_note=t("provisional_band", lang) if open_round else "",
    )


def _unnested(flowables: list[Flowable]) -> list[Flowable]:
    """The contents of KeepTogether blocks nested in another one, lifted into it.

    reportlab's KeepTogether reports an unbounded height to force its own split, so one
    nested in another makes the outer one never fit: it always moves to a new page and
    leaves the page before it near-empty. The outer block keeps everything together."""
    lifted: list[Flowable] = []
    for flowable in flowables:
        if isinstance(flowable, KeepTogether):
            flowable._content = [inner for item in _unnested(flowable._content)
                                 for inner in (item._content if isinstance(item, KeepTogether)
                                               else [item])]
        lifted.append(flowable)
    return lifted


def _story(context: Context) -> list[Flowable]:
    # each part starts a page when it is present; empty parts leave no blank page
    parts = [[*cover(context), *narrative(context)], overview(context),
             group_results(context),
             [*likert_distributions(context), *other_questions(context)],
             breakdowns(context), comparison(context), children(context),
             # the closing parts are short: they share pages, and end with the signature
             [*incidents(context), *suggestions(context), *desk_ratings(context),
              *comments(context),
              *signed_methodology(context)],
             annex(context)]
    story: list[Flowable] = []
    for number, part in enumerate(parts):
        if not part:
            continue
        if number == 1 or part is parts[-1]:
            story.append(PageBreak())   # the figures start on page 2; the annex is attached
        elif story:
            # a part starts a new page only when little room is left: no near-empty page
            story.append(CondPageBreak(PART_ROOM))
        story += _unnested(part)
    return story


def render_round_report(summary: RoundSummary, lang: str = "vi") -> bytes:
    """The round report for one unit as PDF bytes, in Vietnamese ("vi") or English ("en")."""
    lang = check_language(lang)
    if summary.withheld is not None:
        # too few responses, or none yet: a one-page notice instead of the report
        return render_notice(summary, lang)
    context = Context(summary=summary, lang=lang, width=CONTENT_WIDTH)
    output = io.BytesIO()
    title = f"{t('title', lang).capitalize()} - {summary.unit.name} - {summary.round.name}"
    document = ReportDocument(output, _furniture(summary, lang), title=clean(title),
                              author=clean(issuer(summary, lang)),
                              subject=clean(t("subtitle", lang)), creator="Lắng Nghe",
                              lang=lang)
    document.build_story(_story(context))
    return output.getvalue()
