"""The poster of a suggestion box: an A4 sheet for the wall of a cultural house or the
one-stop desk, with the box's name, a large QR code of its public page, the link itself,
and a short text on anonymity.

Plain data in (``BoxPoster``), PDF bytes out; knows nothing of Flask or the database. The QR
code and the text helpers are the sign-in cards' (reports.signin_cards), drawn larger."""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from reports.fonts import BOLD, register_fonts
from reports.signin_cards import QR_SIZE, _draw_qr, _draw_text, _fitting_size, _lines, _url_lines
from reports.styles import ACCENT, INK, MUTED, clean

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
POSTER_QR = 105 * mm

ANONYMITY_VI = (
    "Ý kiến của ông/bà được gửi ẩn danh: không cần đăng nhập, không cần ghi tên. Chỉ để lại "
    "số điện thoại hoặc địa chỉ nếu muốn được trả lời; thông tin đó chỉ cán bộ xử lý ý kiến "
    "được xem và không bao giờ được công bố. Sau khi gửi, ông/bà nhận một mã biên nhận để "
    "xem câu trả lời.")
ANONYMITY_EN = (
    "Your message is anonymous: no login, no name needed. Leave a phone number or an address "
    "only if you want an answer; only the official handling your message sees it, and it is "
    "never published. After sending you get a receipt code to read the answer.")


@dataclass(frozen=True)
class BoxPoster:
    box_name: str           # the place, e.g. "Nhà văn hóa tổ dân phố Đông Thịnh"
    unit_name: str
    url: str                # the box's public page: https://…/y-kien/<code>
    follow_up_url: str      # where a receipt code is typed: https://…/y-kien/theo-doi


def _centered(canvas: Canvas, lines: list[str], font: str, size: float, top: float, color,
              leading: float | None = None) -> float:
    leading = leading or size * 1.25
    canvas.setFont(font, size)
    canvas.setFillColor(color)
    y = top - size
    for line in lines:
        canvas.drawCentredString(PAGE_WIDTH / 2, y, line)
        y -= leading
    return y + leading - size * 0.3


def render_poster(poster: BoxPoster) -> bytes:
    regular = register_fonts()
    output = io.BytesIO()
    canvas = Canvas(output, pagesize=A4, pageCompression=1)
    canvas.setTitle(clean(f"Hòm thư góp ý – {poster.box_name}"))
    canvas.setAuthor("Lắng Nghe")
    canvas.setCreator("Lắng Nghe")
    width = PAGE_WIDTH - 2 * MARGIN

    top = PAGE_HEIGHT - MARGIN
    top = _centered(canvas, ["HÒM THƯ GÓP Ý ĐIỆN TỬ"], BOLD, 22, top, ACCENT) - 4
    top = _centered(canvas, ["Electronic suggestion box"], regular, 11, top, MUTED) - 8
    top = _centered(canvas, _lines(poster.unit_name, regular, 14, width, 2), regular, 14, top,
                    INK) - 4
    name = clean(poster.box_name)
    size = _fitting_size(name, BOLD, width * 2, 24, 14)
    top = _centered(canvas, _lines(name, BOLD, size, width, 3), BOLD, size, top, INK) - 10
    top = _centered(canvas, ["Quét mã bằng camera điện thoại để gửi ý kiến"], BOLD, 13, top,
                    INK) - 2
    top = _centered(canvas, ["Scan with your phone's camera to send a message"], regular, 10,
                    top, MUTED) - 6

    # The sign-in cards' QR drawing, scaled up to the poster's size.
    qr_x, qr_y = (PAGE_WIDTH - POSTER_QR) / 2, top - POSTER_QR
    canvas.saveState()
    canvas.translate(qr_x, qr_y)
    canvas.scale(POSTER_QR / QR_SIZE, POSTER_QR / QR_SIZE)
    _draw_qr(canvas, poster.url, 0, 0)
    canvas.restoreState()
    top = qr_y - 4

    url = clean(poster.url)
    url_size = _fitting_size(url, regular, width, 12, 7)
    top = _centered(canvas, _url_lines(url, regular, url_size, width), regular, url_size, top,
                    INK) - 10

    text = _lines(ANONYMITY_VI, regular, 11, width, 6)
    top = _draw_text(canvas, text, regular, 11, MARGIN, top, INK, leading=15) - 6
    _draw_text(canvas, _lines(ANONYMITY_EN, regular, 9, width, 4), regular, 9, MARGIN, top,
               MUTED, leading=12)

    follow = clean(f"Xem trả lời / Read the answer: {poster.follow_up_url}")
    follow_size = _fitting_size(follow, regular, width, 10, 6)
    canvas.setFont(regular, follow_size)
    canvas.setFillColor(INK)
    if stringWidth(follow, regular, follow_size) <= width:
        canvas.drawCentredString(PAGE_WIDTH / 2, MARGIN, follow)
    else:
        _draw_text(canvas, _url_lines(follow, regular, follow_size, width), regular,
                   follow_size, MARGIN, MARGIN + 2 * follow_size * 1.25, INK)
    canvas.showPage()
    canvas.save()
    return output.getvalue()
