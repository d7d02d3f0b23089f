"""The one font set-up: Be Vietnam Pro for Vietnamese and Latin text, Noto Sans Khmer for
Khmer, both embedded in every PDF.

The TrueType files come from the PyPI packages ``fontpkg-be-vietnam-pro`` and
``fontpkg-noto-sans-khmer``; reportlab embeds a subset of every TTFont it draws with, so
the PDF reads the same on any machine. Noto Sans Khmer ships as one variable font;
reportlab draws only a variable font's default outlines, so HarfBuzz's instancer cuts a
static regular (wght 400) and bold (wght 700) face out of it, in memory, once per process.
Which characters are drawn in which font is decided in reports/scripts.py.
"""

from __future__ import annotations

import io
from functools import cache

import fontpkg
import uharfbuzz
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FAMILY = "Be Vietnam Pro"
REGULAR = "BeVietnamPro"
BOLD = "BeVietnamPro-Bold"

KHMER_FAMILY = "Noto Sans Khmer"
KHMER = "NotoSansKhmer"
KHMER_BOLD = "NotoSansKhmer-Bold"

# Khmer (U+1780..U+17FF) and Khmer Symbols (U+19E0..U+19FF): drawn with the Khmer face
KHMER_BLOCKS = ((0x1780, 0x17FF), (0x19E0, 0x19FF))
# format characters Khmer writing uses between its letters: zero-width space (a word
# boundary, where a line may break), non-joiner and joiner (they select letter forms)
KHMER_FORMAT = frozenset((0x200B, 0x200C, 0x200D))


def is_khmer(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in KHMER_BLOCKS)


@cache
def khmer_face(weight: int) -> bytes:
    """A static face (TrueType bytes) of the variable Noto Sans Khmer at ``weight``
    (normal width)."""
    path = fontpkg.path(KHMER_FAMILY, weight)
    face = uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(path)))
    plan = uharfbuzz.SubsetInput()
    plan.keep_everything()               # every glyph and OpenType table: shaping needs them
    plan.pin_axis_location(face, "wght", weight)
    plan.pin_axis_location(face, "wdth", 100)
    return uharfbuzz.subset(face, plan).blob.data


def _khmer_font(name: str, weight: int) -> TTFont:
    font = TTFont(name, io.BytesIO(khmer_face(weight)))
    # both instances carry the variable font's PostScript name; reportlab keys embedded
    # faces by it, and would otherwise draw the bold text with the regular face
    font.face.name = name.encode("ascii")
    return font


def _map_family(regular: str, bold: str) -> None:
    """Lets Paragraph markup (<b>) switch between the two faces."""
    addMapping(regular, 0, 0, regular)
    addMapping(regular, 1, 0, bold)
    addMapping(regular, 0, 1, regular)
    addMapping(regular, 1, 1, bold)


@cache
def register_fonts() -> str:
    """Register both families with reportlab once per process; returns the regular
    Vietnamese font name, the one every style and drawing starts in."""
    # imported here: installs the PDF text layer of shaped (Khmer) text, see the module
    from reports import shaping

    shaping.install()
    pdfmetrics.registerFont(TTFont(REGULAR, str(fontpkg.path(FAMILY, 400))))
    pdfmetrics.registerFont(TTFont(BOLD, str(fontpkg.path(FAMILY, 700))))
    pdfmetrics.registerFont(_khmer_font(KHMER, 400))
    pdfmetrics.registerFont(_khmer_font(KHMER_BOLD, 700))
    _map_family(REGULAR, BOLD)
    _map_family(KHMER, KHMER_BOLD)
    return REGULAR


def _codepoints(*names: str) -> frozenset[int]:
    register_fonts()
    faces = [pdfmetrics.getFont(name).face.charToGlyph.keys() for name in names]
    common = set(faces[0])
    for face in faces[1:]:
        common &= face
    return frozenset(common)


@cache
def latin_codepoints() -> frozenset[int]:
    """The characters both Be Vietnam Pro faces have a glyph for."""
    return _codepoints(REGULAR, BOLD)


@cache
def khmer_codepoints() -> frozenset[int]:
    """The characters both Noto Sans Khmer faces have a glyph for (Khmer, and Latin-1)."""
    return _codepoints(KHMER, KHMER_BOLD)


@cache
def drawable_codepoints() -> frozenset[int]:
    """The characters some embedded font draws in both weights: Be Vietnam Pro's, and
    the Khmer letters and marks of Noto Sans Khmer. Anything else would be drawn as the
    empty .notdef glyph, which copies out of the PDF as NUL. (Khmer's zero-width format
    characters are drawable only next to Khmer letters: reports.scripts decides.)"""
    khmer_letters = {code for code in khmer_codepoints() if is_khmer(chr(code))}
    return latin_codepoints() | frozenset(khmer_letters)


def khmer_counterpart(font_name: str) -> str:
    """The Khmer face of the same weight as ``font_name``."""
    return KHMER_BOLD if font_name in (BOLD, KHMER_BOLD) else KHMER
