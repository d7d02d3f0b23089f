"""Paragraph styles, colours and the only way text enters a Paragraph: escaped, NFC, drawable.

reportlab's Paragraph parses its text as markup, so a resident's answer containing
``<font>`` or ``&`` would otherwise change the layout or break the build. ``para`` escapes
plain text; ``markup`` fills our own templates with escaped values.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from xml.sax.saxutils import escape

import fontpkg
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph

from reports.fonts import (
    BOLD,
    FAMILY,
    KHMER_FORMAT,
    drawable_codepoints,
    is_khmer,
    register_fonts,
)
from reports.paragraphs import paragraph
from reports.scripts import has_khmer, is_bold, shaping_style, with_script_fonts

INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#5F6B7A")
ACCENT = colors.HexColor("#B71C1C")       # the red of official documents, used sparingly
PRIMARY = colors.HexColor("#1E5AA8")
RULE = colors.HexColor("#C9D1DB")
ZEBRA = colors.HexColor("#F3F5F8")
RISE = colors.HexColor("#1B7F3B")
FALL = colors.HexColor("#B3261E")
PROVISIONAL_BAND = colors.HexColor("#FBE3E1")   # the top band of a provisional report
# Rất không hài lòng .. Rất hài lòng: red to blue through grey, chosen so that printed in
# grey every level still has its own shade: luma (Rec. 601) 0.29, 0.69, 0.91, 0.48, 0.13,
# at least 0.16 apart (tests/reports/test_document_palette.py). The two ends, both dark,
# are 0.17 apart and "Rất không hài lòng" is also hatched (charts.py).
LIKERT = tuple(colors.HexColor(c) for c in ("#A82323", "#F09A6E", "#E8E8E8", "#4F86BA",
                                            "#08244F"))
LIKERT_HATCHED = (0,)        # levels drawn with diagonal hatching over their colour


# Whitespace controls read as a space; drawn as they are, the font has no glyph for them.
_AS_SPACE = {ord("\t"): " ", ord("\n"): " ", ord("\r"): " "}
_SPACES = re.compile(" {2,}")


def clean(text: object) -> str:
    """Text as it is drawn: NFC-normalised (decomposed Vietnamese renders with misplaced
    marks), and only characters the font can draw. One it cannot draw (an emoji, a
    control character such as NUL, a lone surrogate) is dropped on its own and the rest
    is kept: drawn, it would be an empty box that copies out of the PDF as NUL, which
    cuts the text in many readers."""
    text = unicodedata.normalize("NFC", str(text)).translate(_AS_SPACE)
    drawable = drawable_codepoints()
    if all(ord(char) in drawable for char in text):
        return text
    kept = _SPACES.sub(" ", "".join(char for char, keep in zip(text, _drawn(text, drawable),
                                                               strict=True) if keep))
    # "vui 😀 quá" -> "vui quá" and "Tổ 1 🏠" -> "Tổ 1": no space left where a drop was
    if not text.startswith(" "):
        kept = kept.lstrip(" ")
    if not text.endswith(" "):
        kept = kept.rstrip(" ")
    return kept


def _drawn(text: str, drawable: frozenset[int]) -> list[bool]:
    """Which characters of ``text`` are drawn: those an embedded font has, and Khmer's
    zero-width space, non-joiner and joiner right after Khmer letters (elsewhere, as in
    an emoji sequence, they are dropped with the emoji)."""
    drawn = []
    after_khmer = False
    for char in text:
        if ord(char) in KHMER_FORMAT:
            drawn.append(after_khmer)
            continue
        drawn.append(ord(char) in drawable)
        after_khmer = drawn[-1] and is_khmer(char)
    return drawn


# A unit never starts a line: "+2,4 điểm %" wrapped in a narrow cell must not leave "%"
# (or "điểm %", "pp") alone on the next one. A no-break space copies out as a space.
_NBSP = "\u00a0"
_NUMBER_THEN_UNIT = re.compile(r"(?<=\d) (?=điểm %|pp\b|%)")


def keep_units_together(text: str) -> str:
    return _NUMBER_THEN_UNIT.sub(_NBSP, text).replace("điểm %", f"điểm{_NBSP}%")


def safe(text: object) -> str:
    """Plain text made safe to put inside Paragraph markup."""
    return escape(keep_units_together(clean(text)))


def markup(template: str, **values: object) -> str:
    """Our own markup template with every value escaped."""
    return template.format(**{key: safe(value) for key, value in values.items()})


def para(text: object, style: str | ParagraphStyle = "body") -> Paragraph:
    """A Paragraph of plain text: nothing in ``text`` is interpreted as markup."""
    return _paragraph(safe(text), styles()[style] if isinstance(style, str) else style)


def rich(markup_text: str, style: str = "body") -> Paragraph:
    """A Paragraph of markup that the caller built with ``markup``/``safe``."""
    return _paragraph(markup_text, styles()[style])


def _paragraph(markup_text: str, style: ParagraphStyle) -> Paragraph:
    """Text with Khmer in it gets its Khmer runs in the Khmer font and HarfBuzz shaping
    (reports.scripts); other text is drawn as it always was, unshaped (faster)."""
    if has_khmer(markup_text):
        return paragraph(with_script_fonts(markup_text, bold=is_bold(style),
                                           size=style.fontSize),
                         shaping_style(style))
    return paragraph(markup_text, style)


HEADER_SIZE = 8.5


@cache
def header_style(size: float) -> ParagraphStyle:
    """A right-aligned bold table header at ``size`` points (narrow numeric columns)."""
    return ParagraphStyle(f"cell_head_{size}", parent=styles()["cell_head_right"],
                          fontSize=size, leading=size * 1.3)


ITALIC = "BeVietnamPro-Italic"


@cache
def italic_font() -> str:
    """The italic face, for the date line of the document header (Nghị định 30 sets it in
    italics). Registered here, beside the one style that uses it; text drawn with it is
    cleaned against the regular and bold faces, which cover no more than it does."""
    register_fonts()
    pdfmetrics.registerFont(TTFont(ITALIC, str(fontpkg.path(FAMILY, 400, "italic"))))
    return ITALIC


@cache
def styles() -> dict[str, ParagraphStyle]:
    font = register_fonts()
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13, textColor=INK)
    centred = ParagraphStyle("centred", parent=body, fontSize=11, leading=14,
                             alignment=TA_CENTER)
    return {
        # the administrative document: header, signature, recipients (reports.document)
        "doc_superior": ParagraphStyle("doc_superior", parent=centred, fontSize=10.5),
        "doc_issuer": ParagraphStyle("doc_issuer", parent=centred, fontName=BOLD,
                                     fontSize=10.5),
        "doc_number": ParagraphStyle("doc_number", parent=centred, spaceBefore=1),
        "doc_nation": ParagraphStyle("doc_nation", parent=centred, fontName=BOLD,
                                     fontSize=10.5),
        "doc_motto": ParagraphStyle("doc_motto", parent=centred, fontName=BOLD, fontSize=12,
                                    leading=15),
        "doc_date": ParagraphStyle("doc_date", parent=centred, fontName=italic_font()),
        "sign_title": ParagraphStyle("sign_title", parent=centred, fontName=BOLD),
        "sign_name": ParagraphStyle("sign_name", parent=centred, fontName=BOLD,
                                    spaceBefore=22 * mm),
        "recipients_head": ParagraphStyle("recipients_head", parent=body, fontName=BOLD,
                                          fontSize=10, leading=13),
        "recipient": ParagraphStyle("recipient", parent=body, fontSize=9, leading=11.5),
        "provisional_note": ParagraphStyle("provisional_note", parent=body, fontName=BOLD,
                                           alignment=TA_CENTER, textColor=ACCENT),
        "annex_title": ParagraphStyle("annex_title", parent=centred, fontName=BOLD,
                                      fontSize=12, leading=16, spaceAfter=2),
        "finding": ParagraphStyle("finding", parent=body, fontSize=10, leading=14,
                                  leftIndent=12, bulletIndent=2, spaceAfter=3,
                                  bulletFontName=font),
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10.5),
        "muted": ParagraphStyle("muted", parent=body, fontSize=8, leading=10.5,
                                textColor=MUTED, spaceAfter=3),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=11),
        "cell_right": ParagraphStyle("cell_right", parent=body, fontSize=8.5, leading=11,
                                     alignment=TA_RIGHT),
        "cell_head": ParagraphStyle("cell_head", parent=body, fontName=BOLD, fontSize=8.5,
                                    leading=11),
        "cell_head_right": ParagraphStyle("cell_head_right", parent=body, fontName=BOLD,
                                          fontSize=8.5, leading=11, alignment=TA_RIGHT),
        "cell_indent": ParagraphStyle("cell_indent", parent=body, fontSize=8.5, leading=11,
                                      leftIndent=10),
        "prose": ParagraphStyle("prose", parent=body, spaceAfter=6),
        "muted_center": ParagraphStyle("muted_center", parent=body, fontSize=8, leading=10.5,
                                       textColor=MUTED, alignment=TA_CENTER),
        "h1": ParagraphStyle("h1", parent=body, fontName=BOLD, fontSize=15, leading=19,
                             textColor=PRIMARY, spaceBefore=16, spaceAfter=8, keepWithNext=1),
        "h2": ParagraphStyle("h2", parent=body, fontName=BOLD, fontSize=11.5, leading=15,
                             spaceBefore=10, spaceAfter=4, keepWithNext=1),
        "figure": ParagraphStyle("figure", parent=body, fontName=BOLD, fontSize=20,
                                 leading=24, textColor=PRIMARY),
        "figure_label": ParagraphStyle("figure_label", parent=body, fontSize=8.5, leading=11,
                                       textColor=MUTED),
        "cover_nation": ParagraphStyle("cover_nation", parent=body, fontName=BOLD,
                                       fontSize=10, leading=13, alignment=TA_CENTER),
        "cover_motto": ParagraphStyle("cover_motto", parent=body, fontName=BOLD, fontSize=10,
                                      leading=13, alignment=TA_CENTER),
        "cover_issuer": ParagraphStyle("cover_issuer", parent=body, fontName=BOLD,
                                       fontSize=10, leading=13, alignment=TA_CENTER),
        "cover_title": ParagraphStyle("cover_title", parent=body, fontName=BOLD, fontSize=22,
                                      leading=28, alignment=TA_CENTER, textColor=ACCENT),
        "cover_subtitle": ParagraphStyle("cover_subtitle", parent=body, fontSize=13,
                                         leading=17, alignment=TA_CENTER),
        "cover_unit": ParagraphStyle("cover_unit", parent=body, fontName=BOLD, fontSize=17,
                                     leading=22, alignment=TA_CENTER, textColor=PRIMARY),
        "cover_meta": ParagraphStyle("cover_meta", parent=body, fontSize=10.5, leading=15),
        "comment": ParagraphStyle("comment", parent=body, fontSize=9, leading=12.5,
                                  leftIndent=14, firstLineIndent=-14, spaceAfter=3),
    }
