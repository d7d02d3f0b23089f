"""Paragraphs made cheaper to draw, showing the same: markup parsed once per process,
lines broken once per width.

A report draws thousands of table cells, each a Paragraph, and most of the time it takes
went to reportlab doing the same work again:
- parsing each cell's markup, though the same texts come back in every table and every
  report a process draws (headers, "ẩn", common percentages);
- breaking a cell's lines each time the cell is wrapped: when the table measures its
  rows, again when it splits across a page, and again when it draws the cell, at the
  same width and so with the same lines; and in every report, for the same cell texts
  at the same column widths.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import cleanBlockQuotedText, textTransformFrags
from reportlab.platypus.paraparser import ParaParser
from reportlab.rl_config import _FUZZ

# distinct (markup, style) pairs kept parsed, and (markup, style, width) kept broken into
# lines, by a process: a few MB each at most
PARSED_KEPT = 20_000
LINES_KEPT = 20_000
# (markup, style, width) -> what wrapping set on a paragraph of one frag (lines of words)
_broken: OrderedDict[tuple, dict] = OrderedDict()


class WrappedOnceParagraph(Paragraph):
    """Keeps the lines of its last wrap and gives them back when wrapped again at the
    same width. Lines do not depend on the height offered; a split makes new paragraphs
    (reportlab builds them with ``self.__class__``), each with no lines kept.

    A paragraph made by ``paragraph`` (``_source`` set) of a single frag, whose lines are
    plain words that drawing only reads, also takes them from another paragraph of the
    same markup and style wrapped at the same width."""

    # (width offered, the frags broken, what wrapping set on the paragraph)
    _kept: tuple | None = None
    _source: tuple | None = None      # (markup, style) when made by ``paragraph``

    def wrap(self, availWidth, availHeight):
        kept = self._kept
        if kept is not None and kept[0] == availWidth and kept[1] is self.frags:
            self.__dict__.update(kept[2])
            return self.width, self.height
        shared_key = (*self._source, availWidth) if self._source is not None else None
        shared = _broken.get(shared_key) if shared_key is not None else None
        if shared is not None:
            _broken.move_to_end(shared_key)
            self.__dict__.update(shared)
            self._kept = (availWidth, self.frags, shared)
            return self.width, self.height
        before, frags = dict(self.__dict__), self.frags
        width, height = super().wrap(availWidth, availHeight)
        if availWidth < _FUZZ:       # reportlab broke nothing
            return width, height
        wrapped = {key: value for key, value in self.__dict__.items()
                   if key not in before or before[key] is not value}
        wrapped.pop("_kept", None)
        self._kept = (availWidth, self.frags, wrapped)
        if shared_key is not None and self.frags is frags and self.blPara.kind == 0:
            _broken[shared_key] = wrapped
            if len(_broken) > LINES_KEPT:
                _broken.popitem(last=False)
        return width, height


@lru_cache(maxsize=PARSED_KEPT)
def _parsed(markup: str, style: ParagraphStyle) -> tuple:
    """What Paragraph's own set-up makes of the markup: the cleaned text, the style (the
    markup may change it), the text's frags and the bullet's."""
    text = cleanBlockQuotedText(markup)
    parser = ParaParser()
    parser.caseSensitive = 1
    style, frags, bullet_frags = parser.parse(text, style)
    if frags is None:
        raise ValueError(f"xml parser error ({parser.errors[0]}) in paragraph beginning "
                         f"{text[:30]!r}")
    textTransformFrags(frags, style)
    return text, style, tuple(frags), tuple(bullet_frags or ())


def paragraph(markup: str, style: ParagraphStyle) -> Paragraph:
    """Paragraph(markup, style), from the parse of the same markup kept by the process.
    Each paragraph gets copies of the frags: line breaking may change them."""
    text, style, frags, bullet_frags = _parsed(markup, style)
    bullet = [frag.clone() for frag in bullet_frags] if bullet_frags else None
    made = WrappedOnceParagraph(text, style, bulletText=bullet,
                                frags=[frag.clone() for frag in frags])
    if bullet is None:
        made._source = (markup, style)
    return made
