"""Sign-in cards: A4 sheets of eight cards (2 x 4, with cut lines), one per volunteer, each
with the person's name, username and units, and a QR code of their one-time sign-in link.

Plain data in (``SigninCard``), PDF bytes out; knows nothing of Flask or the database.
The QR code is reportlab's own widget; the link is printed under it as well, so a card
still works when typed and a test can read it back."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from reports.fonts import BOLD, register_fonts
from reports.formatting import format_date
from reports.styles import ACCENT, INK, MUTED, clean

COLUMNS, ROWS = 2, 4
CARDS_PER_PAGE = COLUMNS * ROWS
PAGE_WIDTH, PAGE_HEIGHT = A4
CARD_WIDTH, CARD_HEIGHT = PAGE_WIDTH / COLUMNS, PAGE_HEIGHT / ROWS
PAD = 6 * mm            # inside each card: printers leave the sheet's edge blank
QR_SIZE = 38 * mm       # the widget's quiet zone (4 modules) is inside this square
QR_INSET = 3.5 * mm     # from the card's top and right edges
CUT_LINE = colors.HexColor("#9AA5B1")


@dataclass(frozen=True)
class SigninCard:
    name: str
    username: str
    units: Sequence[str]
    url: str                # the one-time sign-in link: /app/#signin=<code>
    expires_on: date        # the last day it works, in Vietnam time


def instructions(expires_on: date) -> str:
    return ("Mở camera điện thoại, quét mã, ứng dụng sẽ tự đăng nhập. Mã dùng một lần, "
            f"hết hạn ngày {format_date(expires_on, 'vi')}. "
            "Giữ thẻ như mật khẩu: ai quét mã cũng đăng nhập được bằng tài khoản này.")


def _lines(text: str, font: str, size: float, width: float, most: int) -> list[str]:
    """The text wrapped to the width, at most `most` lines (the last one shortened with …)."""
    lines = simpleSplit(clean(text), font, size, width)
    if len(lines) <= most:
        return lines
    last = lines[most - 1]
    while last and stringWidth(last + "…", font, size) > width:
        last = last[:-1]
    return [*lines[:most - 1], last.rstrip() + "…"]


def _fitting_size(text: str, font: str, width: float, largest: float, smallest: float) -> float:
    size = largest
    while size > smallest and stringWidth(text, font, size) > width:
        size -= 0.25
    return size


def _url_lines(url: str, font: str, size: float, width: float) -> list[str]:
    """A link cut anywhere it must be (it has no spaces to wrap at)."""
    lines, line = [], ""
    for char in url:
        if line and stringWidth(line + char, font, size) > width:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line]


def _draw_qr(canvas: Canvas, url: str, x: float, y: float) -> None:
    widget = QrCodeWidget(url, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(QR_SIZE, QR_SIZE, transform=[QR_SIZE / (right - left), 0, 0,
                                                   QR_SIZE / (top - bottom), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)


def _draw_text(canvas: Canvas, lines: list[str], font: str, size: float, x: float,
               top: float, color, leading: float | None = None) -> float:
    """Draws lines from `top` down; returns the baseline below the last one."""
    leading = leading or size * 1.25
    canvas.setFont(font, size)
    canvas.setFillColor(color)
    y = top - size
    for line in lines:
        canvas.drawString(x, y, line)
        y -= leading
    return y + leading - size * 0.3


def _draw_card(canvas: Canvas, card: SigninCard, x0: float, y0: float) -> None:
    regular = register_fonts()
    qr_x = x0 + CARD_WIDTH - QR_INSET - QR_SIZE
    qr_y = y0 + CARD_HEIGHT - QR_INSET - QR_SIZE
    _draw_qr(canvas, card.url, qr_x, qr_y)

    # Left of the code: who the card is for.
    left = x0 + PAD
    column = qr_x - 2 * mm - left
    top = y0 + CARD_HEIGHT - PAD
    top = _draw_text(canvas, ["LẮNG NGHE · THẺ ĐĂNG NHẬP"], BOLD, 7, left, top, ACCENT) - 5
    name = clean(card.name)
    size = _fitting_size(name, BOLD, column * 2, 12.5, 9.5)
    top = _draw_text(canvas, _lines(name, BOLD, size, column, 3), BOLD, size, left, top, INK) - 4
    top = _draw_text(canvas, _lines(f"Tên đăng nhập: {card.username}", regular, 8.5, column, 2),
                     regular, 8.5, left, top, INK) - 3
    units = ", ".join(clean(unit) for unit in card.units) or "—"
    _draw_text(canvas, _lines(f"Đơn vị: {units}", regular, 8.5, column, 3),
               regular, 8.5, left, top, INK)

    # Along the bottom, under the code: what to do, and the link itself.
    width = CARD_WIDTH - 2 * PAD
    url = clean(card.url)
    url_size = _fitting_size(url, regular, width, 6.5, 4.5)
    url_lines = _url_lines(url, regular, url_size, width)
    text = _lines(instructions(card.expires_on), regular, 7.5, width, 3)
    url_top = y0 + PAD + len(url_lines) * url_size * 1.25
    text_top = url_top + 3 + len(text) * 7.5 * 1.3
    _draw_text(canvas, text, regular, 7.5, left, text_top, INK, leading=7.5 * 1.3)
    _draw_text(canvas, url_lines, regular, url_size, left, url_top, MUTED)


def _draw_cut_lines(canvas: Canvas) -> None:
    canvas.saveState()
    canvas.setStrokeColor(CUT_LINE)
    canvas.setLineWidth(0.4)
    canvas.setDash(3, 3)
    for column in range(1, COLUMNS):
        canvas.line(column * CARD_WIDTH, 0, column * CARD_WIDTH, PAGE_HEIGHT)
    for row in range(1, ROWS):
        canvas.line(0, row * CARD_HEIGHT, PAGE_WIDTH, row * CARD_HEIGHT)
    canvas.restoreState()


def render_signin_cards(cards: Sequence[SigninCard]) -> bytes:
    """The cards as PDF bytes: eight to an A4 page, left to right, top to bottom."""
    if not cards:
        raise ValueError("no sign-in cards to draw")
    register_fonts()
    output = io.BytesIO()
    canvas = Canvas(output, pagesize=A4, pageCompression=1)
    canvas.setTitle("Thẻ đăng nhập Lắng Nghe")
    canvas.setAuthor("Lắng Nghe")
    canvas.setCreator("Lắng Nghe")
    for start in range(0, len(cards), CARDS_PER_PAGE):
        _draw_cut_lines(canvas)
        for index, card in enumerate(cards[start:start + CARDS_PER_PAGE]):
            row, column = divmod(index, COLUMNS)
            _draw_card(canvas, card, column * CARD_WIDTH, PAGE_HEIGHT - (row + 1) * CARD_HEIGHT)
        canvas.showPage()
    canvas.save()
    return output.getvalue()
