"""Per-run font fallback (reports/scripts.py): Khmer runs in Noto Sans Khmer, the rest in
Be Vietnam Pro, inside one paragraph; nothing a resident typed is dropped."""

import io
import os
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate

from reports.fonts import BOLD, KHMER, KHMER_BOLD, REGULAR, drawable_codepoints, register_fonts
from reports.scripts import (
    BREAK_MARKUP,
    draw_text,
    font_runs,
    khmer_flags,
    text_width,
    with_script_fonts,
)
from reports.styles import clean, para, rich

KHMER_FONT = f'<font name="{KHMER}">'
# pypdf does not read ActualText, so shaped Khmer is read back with poppler; in CI it must be
# there (the test then fails rather than skips)
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None and not os.environ.get("CI"),
                                   reason="pdftotext (poppler-utils) is not installed")


def test_every_khmer_letter_and_mark_is_drawable():
    drawable = drawable_codepoints()
    khmer = [code for code in range(0x1780, 0x17FF + 1) if chr(code).isprintable()]
    missing = [hex(code) for code in khmer if code not in drawable]
    # U+17A3, U+17A4 (deprecated) and U+17B4, U+17B5 (inherent vowels, invisible) are the
    # only ones Noto Sans Khmer leaves out
    assert set(missing) <= {"0x17a3", "0x17a4", "0x17b4", "0x17b5"}, missing


def test_clean_keeps_khmer_and_its_joiners_but_drops_them_elsewhere():
    text = "ក្មេងៗ\u200bទៅ\u200bសាលា ក\u200cា"
    assert clean(text) == text
    # a zero-width joiner in an emoji sequence goes with the emoji
    assert clean("Gia đình 👨\u200d👩\u200d👧 hài lòng") == "Gia đình hài lòng"
    assert clean("ខ្ញុំ 😀 ពេញចិត្ត") == "ខ្ញុំ ពេញចិត្ត"


def test_runs_split_by_script_and_neutral_characters_join_their_word():
    assert font_runs("Tổ 1: ខ្ញុំពេញចិត្ត (ấp Tà Lọt).", REGULAR) == [
        ("Tổ 1: ", REGULAR), ("ខ្ញុំពេញចិត្ត ", KHMER), ("(ấp Tà Lọt).", REGULAR)]
    # a word of digits alone stays in Be Vietnam Pro, like the figures around it
    assert font_runs("(ខ្មែរ). 12", BOLD) == [("(ខ្មែរ). ", KHMER_BOLD), ("12", BOLD)]
    assert khmer_flags("abc") == [False, False, False]


def test_paragraph_markup_puts_khmer_in_its_font_with_the_right_weight():
    assert with_script_fonts("Hài lòng: ពេញ") == f"Hài lòng: {KHMER_FONT}ពេញ</font>"
    assert with_script_fonts("<b>ពេញ</b> ចិត្ត") == \
        f'<b><font name="{KHMER_BOLD}">ពេញ</font></b>{KHMER_FONT} ចិត្ត</font>'
    assert with_script_fonts("ពេញ", bold=True) == f'<font name="{KHMER_BOLD}">ពេញ</font>'
    # markup and entities are left whole
    assert with_script_fonts("a &amp; <font color='#5F6B7A'>ក</font>") == \
        f"a &amp; <font color='#5F6B7A'>{KHMER_FONT}ក</font></font>"


def test_a_bullet_keeps_its_own_font():
    # read with the text after it, "•" would join the Khmer word and shrink to its face
    assert with_script_fonts("<bullet>•</bullet>ពេញ") == \
        f"<bullet>•</bullet>{KHMER_FONT}ពេញ</font>"


def test_a_word_that_switches_font_is_cut_by_an_invisible_break():
    # reportlab shapes a whole word with the font of its first letter
    assert with_script_fonts("Tổ១") == f"Tổ{BREAK_MARKUP}{KHMER_FONT}១</font>"


def test_long_khmer_words_break_between_syllables_only():
    markup = with_script_fonts("ប្រជាពលរដ្ឋនៅភូមិយើងចង់ឱ្យឃុំរៀបចំការប្រជុំ", size=9)
    pieces = [re.sub(r"<[^>]*>", "", piece) for piece in markup.split(BREAK_MARKUP)]
    assert len(pieces) > 3
    assert "".join(pieces) == "ប្រជាពលរដ្ឋនៅភូមិយើងចង់ឱ្យឃុំរៀបចំការប្រជុំ"
    for piece in pieces[1:]:
        # never before a subscript (coeng) or a vowel sign: each piece starts a syllable
        assert "\u1780" <= piece[0] <= "\u17b3" and "\u17b6" <= piece[1] <= "\u17c5", piece
    # an opening bracket stays with the syllable after it
    bracketed = with_script_fonts("(មិនទាន់ច្បាស់លាស់)", size=9).split(BREAK_MARKUP)
    assert len(bracketed) > 1
    assert not any(re.sub(r"<[^>]*>", "", piece).endswith("(") for piece in bracketed)
    # a short word is left alone, and so is Vietnamese
    assert BREAK_MARKUP not in with_script_fonts("ពេញ ចិត្ត", size=9)
    assert with_script_fonts("Nghị quyết về thủ tục hành chính") == \
        "Nghị quyết về thủ tục hành chính"


def test_only_khmer_paragraphs_are_shaped():
    assert not para("Hài lòng").style.shaping
    assert para("ពេញចិត្ត").style.shaping
    assert rich("<b>{x}</b>ពេញ", "cell_head").style.shaping
    assert para("ពេញចិត្ត", "h1").style.fontName == BOLD     # Khmer runs get the bold face


def _canvas_text(text: str, font: str) -> str:
    register_fonts()
    output = io.BytesIO()
    canvas = Canvas(output, initialFontName=REGULAR)
    draw_text(canvas, 400, 700, text, font, 10, anchor="end")
    canvas.showPage()
    canvas.save()
    done = subprocess.run(["pdftotext", "-raw", "-", "-"], input=output.getvalue(),
                          capture_output=True, check=True)
    return done.stdout.decode("utf-8").strip()


@needs_poppler
@pytest.mark.parametrize("font", [REGULAR, BOLD])
def test_canvas_text_is_shaped_and_copies_out_as_written(font):
    # page headers, footers and chart labels are drawn on the canvas, not in paragraphs
    text = "Đợt 1 năm 2025 · របាយការណ៍លទ្ធផលការស្ទង់មតិ"
    assert _canvas_text(text, font) == text
    # shaping makes the subscript narrower than the letters drawn one by one
    assert text_width("ស្ទ", font, 10) < text_width("ស", font, 10) + text_width("ទ", font, 10)


def test_text_after_a_subscript_stays_on_its_line():
    """reportlab 5.1's setRise lost track of the baseline after two offset clusters in a
    row: "%" and "(ច្បាស់លាស់)" after "ពិន្ទុ" were drawn lower than "+7,4" (mended in
    reports.shaping). Each offset cluster sets a rise ("Ts"); the text after it must be
    drawn at rise 0 again."""
    output = io.BytesIO()
    SimpleDocTemplate(output).build([para("+7,4 ពិន្ទុ % (ច្បាស់លាស់) 12", "cell_right")])
    content = PdfReader(io.BytesIO(output.getvalue())).pages[0].get_contents().get_data()
    text = content.decode("latin-1")
    def rise_at(drawn: str) -> float:
        rises = re.findall(r"(-?[\d.]+) Ts", text[:text.index(drawn)])
        return float(rises[-1]) if rises else 0.0

    assert any(float(value) for value in re.findall(r"(-?[\d.]+) Ts", text))  # subscripts
    assert rise_at("(% ) Tj") == 0 and rise_at("(12) Tj") == 0
