"""render_round_report: a RoundSummary in, PDF bytes out."""

from __future__ import annotations

import io

from reportlab.platypus import Flowable, PageBreak

from reports.formatting import format_datetime
from reports.i18n import check_language, t
from reports.notice import render_notice
from reports.sections.breakdowns import breakdowns
from reports.sections.closing import comments, incidents, methodology
from reports.sections.comparison import children, comparison
from reports.sections.context import Context
from reports.sections.cover import cover
from reports.sections.overview import overview
from reports.sections.results import group_results, likert_distributions, other_questions
from reports.styles import clean
from reports.summary import RoundSummary
from reports.template import CONTENT_WIDTH, PageFurniture, ReportDocument


def _furniture(summary: RoundSummary, lang: str) -> PageFurniture:
    generated = t("generated", lang, when=format_datetime(summary.generated_at, lang))
    return PageFurniture(
        header_left=summary.unit.name,
        header_right=f"{summary.round.name} · {t('title', lang).capitalize()}",
        footer_left=f"{t('app', lang)} · {generated}",
        page_label=lambda page, pages: t("page_of", lang, page=page, pages=pages),
    )


def _story(context: Context) -> list[Flowable]:
    # each part starts a page when it is present; empty parts leave no blank page
    parts = [cover(context), overview(context),
             group_results(context),
             [*likert_distributions(context), *other_questions(context)],
             breakdowns(context), comparison(context), children(context),
             # the closing parts are short: they share pages
             [*incidents(context), *comments(context), *methodology(context)]]
    story: list[Flowable] = []
    for part in parts:
        if not part:
            continue
        if story:
            story.append(PageBreak())
        story += part
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
                              author=clean(summary.issuer.text(lang)),
                              subject=clean(t("subtitle", lang)), creator="Lắng Nghe",
                              lang=lang)
    document.build_story(_story(context))
    return output.getvalue()
