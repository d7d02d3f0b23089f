"""The one page template: A4, a header (unit, round) and a footer (page x of y, time).

"Page x of y" needs the page count, known only at the end, so the footer is drawn by a
canvas that holds every page until ``save`` and then stamps them all.

A provisional report (the round is still open) says so on every page, the cover included:
a band across the top and a light diagonal watermark under the content, so a page copied
or printed on its own cannot pass for the final figures.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from reports.fonts import BOLD, register_fonts
from reports.scripts import draw_pieces, draw_text, image_font
from reports.styles import ACCENT, MUTED, PRIMARY, PROVISIONAL_BAND, RULE, clean

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
    provisional: str = ""            # "TẠM THỜI": the band's and the watermark's word
    provisional_note: str = ""       # the band's explanation, after the word


def _draw_header(canvas: Canvas, furniture: PageFurniture) -> None:
    font = register_fonts()
    top = PAGE_HEIGHT - 12 * mm
    canvas.saveState()
    canvas.setFillColor(PRIMARY)
    draw_text(canvas, MARGIN_X, top, clean(furniture.header_left), BOLD, 8.5)
    canvas.setFillColor(MUTED)
    draw_text(canvas, PAGE_WIDTH - MARGIN_X, top, clean(furniture.header_right), font, 8.5,
              anchor="end")
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN_X, top - 2.5 * mm, PAGE_WIDTH - MARGIN_X, top - 2.5 * mm)
    canvas.restoreState()


WATERMARK_SIZE = 96             # points
WATERMARK_TINT = 0.09           # of the accent colour over white: light in colour and in grey
WATERMARK_ANGLE = 55            # degrees, bottom left to top right
WATERMARK_FILL = 0.85           # at most this share of the page's width and height
_WATERMARK_SCALE = 2            # pixels a point


@cache
def _watermark(word: str) -> tuple[ImageReader, float, float]:
    """The word as a transparent picture, level (the page turns it), with its size in
    points. A picture, not text: rotated text would be copied out of the page in fragments
    mixed into the figures' lines; the band at the top carries the same word as text. Level
    and tight around the word it has a quarter of the pixels of a turned picture's box."""
    font = image_font(word, WATERMARK_SIZE * _WATERMARK_SCALE)    # Khmer too (scripts)
    left, top, right, bottom = font.getbbox(word)
    tint = tuple(round(255 - WATERMARK_TINT * (255 - channel * 255))
                 for channel in (ACCENT.red, ACCENT.green, ACCENT.blue))
    picture = Image.new("RGBA", (right - left, bottom - top), (255, 255, 255, 0))
    ImageDraw.Draw(picture).text((-left, -top), word, font=font, fill=(*tint, 255))
    width, height = picture.size
    return ImageReader(picture), width / _WATERMARK_SCALE, height / _WATERMARK_SCALE


def _watermark_form(canvas: Canvas, word: str) -> str:
    """The watermark as a form of this document, drawn on its first page and reused on the
    others: reportlab would otherwise hash the picture's pixels again on every page."""
    name = "provisional-watermark"
    if canvas.hasForm(name):
        return name
    picture, width, height = _watermark(word)
    turn = math.radians(WATERMARK_ANGLE)
    box_width = width * math.cos(turn) + height * math.sin(turn)
    box_height = width * math.sin(turn) + height * math.cos(turn)
    # a long word ("PROVISIONAL") is made smaller to stay on the page
    fit = min(1.0, WATERMARK_FILL * PAGE_WIDTH / box_width,
              WATERMARK_FILL * PAGE_HEIGHT / box_height)
    canvas.beginForm(name)
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(WATERMARK_ANGLE)
    canvas.scale(fit, fit)
    canvas.drawImage(picture, -width / 2, -height / 2, width, height, mask="auto")
    canvas.endForm()
    return name


def _draw_provisional(canvas: Canvas, furniture: PageFurniture) -> None:
    """The band across the top and the diagonal watermark, drawn before the content."""
    if not furniture.provisional:
        return
    font = register_fonts()
    word = clean(furniture.provisional)
    canvas.saveState()
    band_bottom = PAGE_HEIGHT - 7 * mm
    canvas.setFillColor(PROVISIONAL_BAND)
    canvas.rect(0, band_bottom, PAGE_WIDTH, 7 * mm, stroke=0, fill=1)
    canvas.setFillColor(ACCENT)
    # draw_text: the word and note may be Khmer (reports.scripts)
    pieces = [(word, BOLD, 8.5)]
    if furniture.provisional_note:
        pieces.append((" · " + clean(furniture.provisional_note), font, 8))
    draw_pieces(canvas, MARGIN_X, band_bottom + 2.4 * mm, pieces)
    canvas.doForm(_watermark_form(canvas, word))
    canvas.restoreState()


def _begin_cover(canvas: Canvas, furniture: PageFurniture) -> None:
    _draw_provisional(canvas, furniture)


def _begin_body(canvas: Canvas, furniture: PageFurniture) -> None:
    _draw_provisional(canvas, furniture)
    _draw_header(canvas, furniture)


def _draw_footer(canvas: Canvas, furniture: PageFurniture, page: int, pages: int) -> None:
    font = register_fonts()
    bottom = 10 * mm
    canvas.saveState()
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN_X, bottom + 4 * mm, PAGE_WIDTH - MARGIN_X, bottom + 4 * mm)
    canvas.setFillColor(MUTED)
    draw_text(canvas, MARGIN_X, bottom, clean(furniture.footer_left), font, 7.5)
    draw_text(canvas, PAGE_WIDTH - MARGIN_X, bottom, clean(furniture.page_label(page, pages)),
              font, 7.5, anchor="end")
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
            PageTemplate(id=COVER, frames=[frame], autoNextPageTemplate=BODY,
                         onPage=lambda canvas, _doc: _begin_cover(canvas, furniture)),
            PageTemplate(id=BODY, frames=[frame],
                         onPage=lambda canvas, _doc: _begin_body(canvas, furniture)),
        ])

    def build_story(self, story: list) -> None:
        self.build(story,
                   canvasmaker=_numbered_canvas(self.furniture))
