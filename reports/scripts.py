"""Which font draws which character: per-run font fallback for Vietnamese and Khmer.

Be Vietnam Pro has no Khmer letters and Noto Sans Khmer no Vietnamese ones, so a text
that mixes them (a Khmer comment followed by its "(Tổ 1)", a Khmer report's labels next to
a Vietnamese unit name) is drawn run by run: Khmer letters and marks in Noto Sans Khmer,
the rest in Be Vietnam Pro. Characters both fonts draw (digits, ASCII punctuation) join
the run of the word they are in, so "(ខ្មែរ)." is one Khmer run and "(Tổ 1)" a Vietnamese one.

reportlab shapes a word (text between spaces) with the font of its first character, so a
word must not mix the two fonts: where a word switches font (a Khmer letter right after a
Vietnamese one, which real text hardly ever does) it is cut in two by an invisible break
(``BREAK_MARKUP``), as are long Khmer words between syllables and at zero-width spaces.
"""

from __future__ import annotations

import io
import re
from functools import cache

import fontpkg
from PIL import ImageFont
from reportlab.graphics.shapes import String
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import ShapedStr, shapeStr

from reports.fonts import (
    BOLD,
    FAMILY,
    KHMER,
    KHMER_BOLD,
    KHMER_FORMAT,
    is_khmer,
    khmer_codepoints,
    khmer_counterpart,
    khmer_face,
    latin_codepoints,
    register_fonts,
)
from reports.shaping import BREAK_SIZE

ZERO_WIDTH_SPACE = "\u200b"   # Khmer's invisible word boundary
_TAG = re.compile(r"<[^>]*>")
_BOLD_OPEN = re.compile(r"<(b|strong)(\s[^>]*)?>", re.IGNORECASE)
_BOLD_CLOSE = re.compile(r"</(b|strong)\s*>", re.IGNORECASE)
_BULLET_OPEN = re.compile(r"<bullet(\s[^>]*)?>", re.IGNORECASE)
_BULLET_CLOSE = re.compile(r"</bullet\s*>", re.IGNORECASE)
_KHMER_TEXT = re.compile("[\u1780-\u17ff\u19e0-\u19ff]")


def has_khmer(text: str) -> bool:
    return _KHMER_TEXT.search(text) is not None


def _is_space(char: str) -> bool:
    """Where reportlab's paragraph splits words: whitespace, but not the no-break space."""
    return char.isspace() and char != "\xa0"


def _wants_khmer(char: str) -> bool | None:
    """True: only the Khmer font draws it; False: only Be Vietnam Pro does (or neither:
    reports.styles.clean has dropped those); None: both do, the neighbours decide."""
    code = ord(char)
    if is_khmer(char) or code in KHMER_FORMAT:
        return True
    if code in khmer_codepoints() and code in latin_codepoints():
        return None
    return False


def khmer_flags(text: str) -> list[bool]:
    """For each character of ``text``: is it drawn with the Khmer font?

    A character both fonts draw takes the font of the nearest character before it in its
    word that only one font draws (after it, at the start of a word); a space takes the
    font of the character before it, so that a run of Khmer words stays one run."""
    register_fonts()
    wants = [_wants_khmer(char) for char in text]
    flags = [False] * len(text)
    start = 0
    while start < len(text):
        if _is_space(text[start]):
            flags[start] = flags[start - 1] if start else False
            start += 1
            continue
        end = start
        while end < len(text) and not _is_space(text[end]):
            end += 1
        decided = [want for want in wants[start:end] if want is not None]
        current = decided[0] if decided else False
        for index in range(start, end):
            if wants[index] is not None:
                current = wants[index]
            flags[index] = current
        start = end
    return flags


def font_runs(text: str, font: str) -> list[tuple[str, str]]:
    """``text`` cut into (run, font name) pieces; Khmer runs in the Khmer face of the
    same weight as ``font``."""
    runs: list[tuple[str, str]] = []
    khmer = khmer_counterpart(font)
    for char, flag in zip(text, khmer_flags(text), strict=True):
        name = khmer if flag else font
        if runs and runs[-1][1] == name:
            runs[-1] = (runs[-1][0] + char, name)
        else:
            runs.append((char, name))
    return runs


# -- paragraphs ---------------------------------------------------------------------------

def with_script_fonts(markup: str, bold: bool = False, size: float = 10) -> str:
    """Paragraph markup with every Khmer run inside ``<font name="NotoSansKhmer">``
    (the bold face inside <b>, or when the style itself is bold): Paragraph's own
    fallback would draw Khmer letters with Be Vietnam Pro, as empty boxes. Long Khmer
    words get line-break opportunities between syllables (see ``_break_points``)."""
    # (stream, piece): stream None for a tag; fonts are decided over the text as read,
    # across tags ("<b>ខ្មែរ</b>:" is one word), but a <bullet>'s text is read on its own
    segments: list[tuple[int | None, str]] = []
    position, bullets, stream = 0, 0, 0
    for match in _TAG.finditer(markup):
        if match.start() > position:
            segments.append((stream, markup[position:match.start()]))
        segments.append((None, match.group()))
        if _BULLET_OPEN.fullmatch(match.group()):
            bullets += 1
            stream = bullets
        elif _BULLET_CLOSE.fullmatch(match.group()):
            stream = 0
        position = match.end()
    if position < len(markup):
        segments.append((stream, markup[position:]))
    texts: dict[int, str] = {}
    for stream, piece in segments:
        if stream is not None:
            texts[stream] = texts.get(stream, "") + piece
    flags = {stream: khmer_flags(text) for stream, text in texts.items()}
    breaks = {stream: _break_points(text, flags[stream], size) if stream == 0 else set()
              for stream, text in texts.items()}
    out: list[str] = []
    depth = 0
    read = dict.fromkeys(texts, 0)      # characters of each stream emitted so far
    for stream, piece in segments:
        if stream is None:
            if _BOLD_OPEN.fullmatch(piece):
                depth += 1
            elif _BOLD_CLOSE.fullmatch(piece):
                depth = max(0, depth - 1)
            out.append(piece)
            continue
        face = KHMER_BOLD if bold or depth else KHMER
        run: list[str] = []
        run_khmer = False
        for char in piece:
            index = read[stream]
            flag = flags[stream][index]
            if run and (flag != run_khmer or index in breaks[stream]):
                out.append(_wrap("".join(run), run_khmer, face))
                run = []
            if index in breaks[stream]:
                out.append(BREAK_MARKUP)
            run.append(char)
            run_khmer = flag
            read[stream] = index + 1
        if run:
            out.append(_wrap("".join(run), run_khmer, face))
    return "".join(out)


# A place where reportlab may break a line, drawn as a space too small to see and marked
# in the PDF as standing for no text (reports.shaping): Khmer writes no spaces between
# the words of a phrase, and reportlab breaks lines only at spaces. (Its own fallback,
# cutting an over-long word anywhere, cuts through shaped Khmer letters and loses them.)
BREAK_MARKUP = f'<font size="{BREAK_SIZE}"> </font>'
# Khmer words wider than this (points) get a break opportunity between syllables, so
# that they fit the narrowest table column
LONG_WORD = 20
_COENG = "\u17d2"


def _starts_syllable(text: str, index: int) -> bool:
    """A Khmer consonant or independent vowel followed by a dependent vowel sign begins
    an orthographic syllable. (One followed by the coeng sign may be the final cluster of
    the syllable before, as in ចិត្ត: no break offered there.)"""
    following = text[index + 1] if index + 1 < len(text) else ""
    return "\u1780" <= text[index] <= "\u17b3" and "\u17b6" <= following <= "\u17c5"


def _break_points(text: str, flags: list[bool], size: float) -> set[int]:
    """Indexes before which a line may break with no space drawn: where a word switches
    font (reportlab shapes a word with the font of its first letter), and between the
    syllables of a long Khmer word."""
    points: set[int] = set()
    start = 0
    while start < len(text):
        if _is_space(text[start]):
            start += 1
            continue
        end = start
        while end < len(text) and not _is_space(text[end]):
            end += 1
        long_khmer = stringWidth("".join(char for char, flag in zip(text[start:end],
                                                                   flags[start:end],
                                                                   strict=True) if flag),
                                 KHMER, size) > LONG_WORD
        for index in range(start + 1, end):
            if flags[index] != flags[index - 1]:
                points.add(index)
            elif long_khmer and _starts_syllable(text, index) and is_khmer(text[index - 1]) \
                    and text[index - 1] != _COENG:
                # between two Khmer letters only: "(" or a joiner stays with its syllable
                points.add(index)
        start = end
    points.update(index for index, char in enumerate(text) if index and char == ZERO_WIDTH_SPACE)
    return points


def _wrap(text: str, khmer: bool, face: str) -> str:
    return f'<font name="{face}">{text}</font>' if khmer else text


@cache
def shaping_style(style: ParagraphStyle) -> ParagraphStyle:
    """``style`` with HarfBuzz shaping on, and room between lines for Khmer's marks
    above and subscripts below the letters."""
    # splitLongWords=0: reportlab's cut of an over-long word drops the shaping of its
    # pieces (their letters come out wrong); long Khmer words have syllable breaks instead
    return ParagraphStyle(f"{style.name}_shaped", parent=style, shaping=1, splitLongWords=0,
                          leading=max(style.leading, style.fontSize * 1.55))


def is_bold(style: ParagraphStyle) -> bool:
    return style.fontName in (BOLD, KHMER_BOLD)


# -- canvas and chart text ----------------------------------------------------------------

def shaped_runs(text: str, font: str, size: float) -> list[tuple[str, str, float]]:
    """(text to draw, font, width) per run; Khmer runs shaped by HarfBuzz."""
    runs = []
    for run, name in font_runs(text, font):
        if name in (KHMER, KHMER_BOLD):
            shaped = shapeStr(run, name, size, force=True)
            width = sum(data.x_advance for data in shaped.__shapeData__) * size / 1000 \
                if isinstance(shaped, ShapedStr) else stringWidth(run, name, size)
            runs.append((shaped, name, width))
        else:
            runs.append((run, name, stringWidth(run, name, size)))
    return runs


def text_width(text: str, font: str, size: float) -> float:
    return sum(width for _, _, width in shaped_runs(text, font, size))


def _start(x: float, width: float, anchor: str) -> float:
    return x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x


def draw_text(canvas, x: float, y: float, text: str, font: str, size: float,
              anchor: str = "start") -> None:
    """canvas.drawString for text of any script: run by run, each in its font."""
    draw_pieces(canvas, x, y, [(text, font, size)], anchor)


def draw_pieces(canvas, x: float, y: float, pieces: list[tuple[str, str, float]],
                anchor: str = "start") -> None:
    """Pieces of text (text, font, size) drawn one after the other on a line, as one PDF
    text object (so that they copy out together), each cut into its script runs."""
    runs = [(run, name, size, width) for text, font, size in pieces
            for run, name, width in shaped_runs(text, font, size)]
    left = _start(x, sum(run[3] for run in runs), anchor)
    line = canvas.beginText(left, y)
    for run, name, size, width in runs:
        line.setFont(name, size)
        line.setTextOrigin(left, y)
        line.textOut(run)
        left += width
    canvas.drawText(line)


def chart_strings(x: float, y: float, text: str, font: str, size: float,
                  anchor: str = "start", **attributes) -> list[String]:
    """reportlab graphics Strings for a chart label of any script, one per run."""
    runs = shaped_runs(text, font, size)
    left = _start(x, sum(width for _, _, width in runs), anchor)
    strings = []
    for run, name, width in runs:
        strings.append(String(left, y, run, fontName=name, fontSize=size, **attributes))
        left += width
    return strings


def image_font(text: str, size: float, weight: int = 700) -> ImageFont.FreeTypeFont:
    """A Pillow font to draw ``text`` into a picture (the provisional watermark): Noto Sans
    Khmer, shaped by Pillow's Raqm layout (HarfBuzz), when the text is Khmer; Be Vietnam
    Pro otherwise."""
    if has_khmer(text):
        return ImageFont.truetype(io.BytesIO(khmer_face(weight)), size,
                                  layout_engine=ImageFont.Layout.RAQM)
    return ImageFont.truetype(str(fontpkg.path(FAMILY, weight)), size)
