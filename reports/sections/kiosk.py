"""The one-stop-desk section of the commune report: residents' ratings at the desks of a unit
for a period, by service (thủ tục) and by week, with the share satisfied and its Wilson 95%
interval, the count beside it.

Plain data in (``KioskFigures``, already k-suppressed by the server: a hidden figure is None),
flowables out. Comments are never printed here. The strings live here (vi first, en second)
until the lead moves them into reports/i18n.py with the section's wiring."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from reports.formatting import format_date, format_int, format_interval, format_percent
from reports.styles import markup, para, rich
from reports.tables import data_table

NO_DATA = "no_data"
TOO_FEW = "too_few"

_TEXT = {
    "section": ("Đánh giá tại bộ phận một cửa", "Ratings at the one-stop desk"),
    "intro": ("Người dân tự đánh giá trên máy tính bảng tại bàn tiếp nhận và trả kết quả của "
              "{unit}, từ {start} đến {end}.",
              "Residents' own ratings on the tablet at the one-stop desk of {unit}, "
              "{start} to {end}."),
    "no_data": ("Chưa có đánh giá nào trong kỳ này.", "No rating in this period yet."),
    "too_few": ("Có ít hơn {k} đánh giá: không công bố số liệu để bảo vệ người đánh giá.",
                "Fewer than {k} ratings: no figures are shown, to protect those who rated."),
    "ratings": ("Số đánh giá hợp lệ", "Valid ratings"),
    "flagged": ("Đánh giá bị đánh dấu (quá dày, không tính)", "Flagged ratings (too close together, not counted)"),
    "by_service": ("Theo thủ tục", "By service"),
    "by_week": ("Theo tuần", "By week"),
    "service": ("Thủ tục", "Service"),
    "no_service": ("(không chọn thủ tục)", "(no service picked)"),
    "week_of": ("Tuần từ {day}", "Week of {day}"),
    "n": ("Số đánh giá", "Ratings"),
    "satisfied": ("Hài lòng", "Satisfied"),
    "interval": ("Khoảng tin cậy 95%", "95% interval"),
    "total": ("Tổng", "Total"),
    "hidden": ("ẩn", "hidden"),
    "note": ("Hài lòng = \"Hài lòng\" hoặc \"Rất hài lòng\". Dòng có ít hơn {k} đánh giá được ẩn "
             "(và thêm một dòng nếu cần, để không suy ra được bằng phép trừ). Khoảng tin cậy "
             "Wilson 95%.",
             "Satisfied = \"Satisfied\" or \"Very satisfied\". Rows with fewer than {k} ratings "
             "are hidden (and one more where needed, so none can be found by subtraction). "
             "Wilson 95% interval."),
}


def text(key: str, lang: str, **values) -> str:
    vi, en = _TEXT[key]
    template = en if lang == "en" else vi
    return template.format(**values) if values else template


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
    withheld: str | None                  # NO_DATA, TOO_FEW or None (figures shown)
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
        return text("week_of", lang, day=format_date(row.week_start, lang))
    return row.label if row.label is not None else text("no_service", lang)


def _cells(row_label: str, n, share, low, high, lang: str) -> list[str]:
    if n is None:
        hidden = text("hidden", lang)
        return [row_label, hidden, hidden, hidden]
    return [row_label, format_int(n, lang), format_percent(share, lang),
            format_interval(low, high, lang)]


def _table(title: str, first: str, rows: tuple[KioskRow, ...], figures: KioskFigures,
           lang: str, width: float) -> list[Flowable]:
    body = [_cells(_row_label(row, lang), row.n, row.share, row.low, row.high, lang)
            for row in rows]
    body.append(_cells(text("total", lang), figures.total, figures.share, figures.low,
                       figures.high, lang))
    widths = [width - 80 * mm, 22 * mm, 22 * mm, 36 * mm]
    return [para(title, "h2"),
            data_table([first, text("n", lang), text("satisfied", lang), text("interval", lang)],
                       body, widths, numeric=(1, 2, 3), bold_rows=(len(body) - 1,))]


def _heading(context, lang: str) -> Flowable:
    if context is not None and hasattr(context, "heading"):
        return context.heading("kiosk_section")
    return rich(markup("{title}", title=text("section", lang)), "h1")


def kiosk_section(figures: KioskFigures, lang: str, width: float,
                  context=None) -> list[Flowable]:
    """The section's flowables. With the report's Context, the heading is numbered as the
    report's other sections are (it then needs a "kiosk_section" string there)."""
    story: list[Flowable] = [_heading(context, lang), para(text(
        "intro", lang, unit=figures.unit_name, start=format_date(figures.period_start, lang),
        end=format_date(figures.period_end, lang)), "muted")]
    if figures.withheld == NO_DATA:
        return [*story, para(text("no_data", lang), "prose")]
    if figures.withheld == TOO_FEW:
        return [*story, para(text("too_few", lang, k=figures.threshold), "prose")]
    story.append(para(f"{text('ratings', lang)}: {format_int(figures.total, lang)}", "prose"))
    if figures.flagged:
        story.append(para(f"{text('flagged', lang)}: {format_int(figures.flagged, lang)}",
                          "muted"))
    story += _table(text("by_service", lang), text("service", lang), figures.by_service,
                    figures, lang, width)
    story += _table(text("by_week", lang), "", figures.by_week, figures, lang, width)
    story.append(para(text("note", lang, k=figures.threshold), "muted"))
    return story


def desk_ratings(context) -> list[Flowable]:
    """The section in the round report (reports.pdf): only when the summary has the figures,
    that is when the unit's subtree has a desk; kept on one page."""
    figures = context.summary.desk_ratings
    if figures is None:
        return []
    return [KeepTogether(kiosk_section(figures, context.lang, context.width, context))]
