"""Shaped text (Khmer) that copies out of the PDF as the text it shows.

reportlab shapes text with HarfBuzz (``uharfbuzz``): a paragraph style with
``shaping=1`` or ``reportlab.pdfbase.ttfonts.shapeStr``. Khmer needs it (a consonant after
the coeng sign is drawn as a subscript, some vowel signs are drawn before the consonant
they follow), but reportlab writes the shaped glyphs as the PDF's text: a subscript form
has no Unicode value, so reportlab gives it a private-use one, and a vowel drawn first
copies out first. A reader who copies a Khmer comment, a screen reader and a search all
get broken text.

PDF says what a run of glyphs stands for with ActualText marked content. ``install``
wraps two reportlab functions, once per process:
- shaping records, on the first glyph of every glyph cluster, the characters the
  cluster was shaped from (``SourcedShapeData``);
- the PDF text writer wraps every shaped string it writes in
  ``/Span <</ActualText (...)>> BDC ... EMC``, the characters of its clusters in order.
Text that was not shaped is written as before. Checked by tests/reports/test_khmer_*.py
(pdftotext reads ActualText), which fail if a reportlab upgrade changes these functions.

It also mends reportlab's ``PDFTextObject.setRise`` (5.1): when it merges two rises in a
row it keeps the old one as the current rise, so after two clusters with a vertical offset
in a row (a subscript, then a mark above) the baseline of the rest of the line stays
raised or lowered: "%" and "(ច្បាស់លាស់)" after "ពិន្ទុ" were drawn off their line.
"""

from __future__ import annotations

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import ttfonts
from reportlab.pdfgen import textobject
from reportlab.platypus import paragraph


class SourcedShapeData(ttfonts.ShapeData):
    """A glyph's shaping data and ``source``: the characters of its cluster for the
    cluster's first glyph, "" for the others."""

    source: str


def _sourced(data: ttfonts.ShapeData, source: str) -> SourcedShapeData:
    sourced = SourcedShapeData(*data)
    sourced.source = source
    return sourced


def _shaped_strings(word) -> list:
    return [entry[1] for entry in word[1:]
            if isinstance(entry, tuple) and len(entry) == 2
            and isinstance(entry[1], ttfonts.ShapedStr)]


def _record_sources(original, shaped) -> None:
    """Attach to each cluster of ``shaped`` the characters of ``original`` it drew.

    Clusters are indexes into the word's text; reportlab shapes with monotone clusters,
    so a cluster's characters run up to the next larger cluster index."""
    # the text HarfBuzz was given, as reportlab's shapeFragWord builds it
    text = "".join(piece for frag, piece in original[1:] if not hasattr(frag, "cbDefn"))
    strings = _shaped_strings(shaped)
    starts = sorted({data.cluster for string in strings for data in string.__shapeData__
                     if 0 <= data.cluster < len(text)})
    ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))
    previous = None
    for string in strings:
        recorded = []
        for data in string.__shapeData__:
            if data.cluster not in ends:          # a character reportlab added, not shaped
                recorded.append(data)
                continue
            first = data.cluster != previous
            previous = data.cluster
            recorded.append(_sourced(data, text[data.cluster:ends[data.cluster]] if first else ""))
        string.__shapeData__[:] = recorded


def source_text(text: str) -> str | None:
    """The characters a shaped string stands for; None if it was not shaped by us."""
    data = getattr(text, "__shapeData__", None)
    if not data or len(data) != len(text) or \
            not any(isinstance(item, SourcedShapeData) for item in data):
        return None
    return "".join(item.source if isinstance(item, SourcedShapeData) else char
                   for item, char in zip(data, text, strict=True))


def _pdf_text_string(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


# reports.scripts draws a line-break opportunity as a space of this size (points): it
# stands for no text, so it is written as ActualText "" (pdftotext then reads no space)
BREAK_SIZE = 0.1
_installed = False


def install() -> None:
    """Wrap reportlab's shaping and text writing (once per process; reports.fonts calls
    it when it registers the fonts, before anything is drawn)."""
    global _installed
    if _installed:
        return
    _installed = True
    shape = ttfonts.shapeFragWord
    write = textobject.PDFTextObject._formatText

    def shape_recording_sources(word, *args, **kwargs):
        shaped = shape(word, *args, **kwargs)
        if shaped is not word:
            _record_sources(word, shaped)
        return shaped

    def write_with_actual_text(self, text):
        code = write(self, text)
        if self._fontsize <= BREAK_SIZE and not text.strip(" "):
            return f"/Span <</ActualText <FEFF>>> BDC {code} EMC"
        source = source_text(text)
        if source is None:
            return code
        return f"/Span <</ActualText {_pdf_text_string(source)}>> BDC {code} EMC"

    def set_rise(self, rise):
        code = f"{fp_str(rise)} Ts"
        if self._code and self._code[-1].endswith(" Ts"):   # replaces the rise just set
            self._y += self._rise
            self._code[-1] = code
        else:
            self._code.append(code)
        self._rise = rise
        self._y -= rise

    # paragraph imported the function by name; shapeStr looks it up in ttfonts
    ttfonts.shapeFragWord = shape_recording_sources
    paragraph.shapeFragWord = shape_recording_sources
    textobject.PDFTextObject._formatText = write_with_actual_text
    textobject.PDFTextObject.setRise = set_rise
