"""The one page template: A4, a header (unit, round) and a footer (page x of y, time).

"Page x of y" needs the page count, known only at the end, so the footer is drawn by a
canvas that holds every page until ``save`` and then stamps them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from reports.fonts import BOLD, register_fonts
from reports.styles import MUTED, PRIMARY, RULE, clean

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 18 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

COVER = "cover"
BODY = "body"


@dataclass(frozen=True)
class PageFurniture:
    """What every page shows around its content."""
    header_left: str                 # the unit
    header_right: str                # the round
    footer_left: str                 # app name and generation time
    page_label: Callable[[int, int], str]   # (page, pages) -> "Trang 2/9"


def _draw_header(canvas: Canvas, furniture: PageFurniture) -> None:
    font = register_fonts()
    top = PAGE_HEIGHT - 12 * mm
    canvas.saveState()
    canvas.setFillColor(PRIMARY)
    canvas.setFont(BOLD, 8.5)
    canvas.drawString(MARGIN_X, top, clean(furniture.header_left))
    canvas.setFillColor(MUTED)
    canvas.setFont(font, 8.5)
    canvas.drawRightString(PAGE_WIDTH - MARGIN_X, top, clean(furniture.header_right))
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN_X, top - 2.5 * mm, PAGE_WIDTH - MARGIN_X, top - 2.5 * mm)
    canvas.restoreState()


def _draw_footer(canvas: Canvas, furniture: PageFurniture, page: int, pages: int) -> None:
    font = register_fonts()
    bottom = 10 * mm
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN_X, bottom + 4 * mm, PAGE_WIDTH - MARGIN_X, bottom + 4 * mm)
    canvas.setFillColor(MUTED)
    canvas.setFont(font, 7.5)
    canvas.drawString(MARGIN_X, bottom, clean(furniture.footer_left))
    canvas.drawRightString(PAGE_WIDTH - MARGIN_X, bottom, furniture.page_label(page, pages))
    canvas.restoreState()


def _numbered_canvas(furniture: PageFurniture) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            # start every page in our font, so no unembedded Helvetica is referenced
            kwargs["initialFontName"] = register_fonts()
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            pages = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                _draw_footer(self, furniture, number, pages)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


class ReportDocument(BaseDocTemplate):
    """A4 document: a cover page without header, then body pages with header."""

    def __init__(self, output, furniture: PageFurniture, **metadata):
        super().__init__(output, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
                         topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, **metadata)
        self.furniture = furniture
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_WIDTH,
                      PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM, id="content",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate(id=COVER, frames=[frame], autoNextPageTemplate=BODY),
            PageTemplate(id=BODY, frames=[frame],
                         onPage=lambda canvas, _doc: _draw_header(canvas, furniture)),
        ])

    def build_story(self, story: list) -> None:
        self.build(story,
                   canvasmaker=_numbered_canvas(self.furniture))
