"""The one font set-up: Be Vietnam Pro (regular and bold), embedded in every PDF.

The TrueType files come from the PyPI package ``fontpkg-be-vietnam-pro``; reportlab embeds
a subset of every TTFont it draws with, so the PDF reads the same on any machine.
"""

from __future__ import annotations

from functools import cache

import fontpkg
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FAMILY = "Be Vietnam Pro"
REGULAR = "BeVietnamPro"
BOLD = "BeVietnamPro-Bold"


@cache
def register_fonts() -> str:
    """Register the family with reportlab once per process; returns the regular font name.

    The mapping lets Paragraph markup (<b>) switch to the bold face."""
    pdfmetrics.registerFont(TTFont(REGULAR, str(fontpkg.path(FAMILY, 400))))
    pdfmetrics.registerFont(TTFont(BOLD, str(fontpkg.path(FAMILY, 700))))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    return REGULAR


@cache
def drawable_codepoints() -> frozenset[int]:
    """The characters both faces have a glyph for. Anything else would be drawn as the
    empty .notdef glyph, which copies out of the PDF as NUL."""
    register_fonts()
    regular = pdfmetrics.getFont(REGULAR).face.charToGlyph
    bold = pdfmetrics.getFont(BOLD).face.charToGlyph
    return frozenset(regular.keys() & bold.keys())
