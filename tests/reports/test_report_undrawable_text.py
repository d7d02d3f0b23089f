"""Characters the embedded font cannot draw (NUL and other controls, emoji, lone
surrogates) are dropped one by one: the rest of the text is drawn and copies out whole."""

from dataclasses import replace
from io import BytesIO

import pytest
from pypdf import PdfReader

from reports.pdf import render_round_report
from reports.sample import sample_summary
from reports.styles import clean
from reports.summary import Comment

# what a resident typed -> what the report must show of it
COMMENTS = {
    "Trước NUL\x00sau NUL vẫn còn": "Trước NULsau NUL vẫn còn",
    "Cán bộ vui 😀 và nhiệt tình": "Cán bộ vui và nhiệt tình",
    "Cờ 🇻🇳 và tim ❤️ cuối câu": "Cờ và tim cuối câu",
    "Gia đình 👨‍👩‍👧 hài lòng": "Gia đình hài lòng",
    "Điều\x01khiển\x1fhết": "Điềukhiểnhết",
    "Nửa cặp\ud800 ký tự": "Nửa cặp ký tự",
    "Dòng một\nDòng hai\tcột": "Dòng một Dòng hai cột",
}
UNIT_NAME = "Phường Hòa\x00 Khánh 🌸 Bắc"


def _pypdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


@pytest.fixture(scope="module")
def rendered():
    summary = sample_summary()
    summary = replace(summary, unit=replace(summary.unit, name=UNIT_NAME),
                      comments=tuple(Comment(text=text, unit_name="Tổ 1 🏠")
                                     for text in COMMENTS))
    return {lang: _pypdf_text(render_round_report(summary, lang)) for lang in ("vi", "en")}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_undrawable_characters_never_reach_the_pdf(rendered, lang):
    text = rendered[lang]
    assert "\x00" not in text        # the empty glyph copies out as NUL
    assert "\ufffd" not in text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_text_around_an_undrawable_character_is_kept_whole(rendered, lang):
    squashed = " ".join(rendered[lang].split())
    for shown in COMMENTS.values():
        assert f"{shown} (Tổ 1)" in squashed, shown
    assert "Phường Hòa Khánh Bắc" in squashed      # in the body and in every page header


def test_clean_keeps_what_the_font_draws():
    assert clean("Độc lập - Tự do - Hạnh phúc “5 biết” ≥ 50%") == \
        "Độc lập - Tự do - Hạnh phúc “5 biết” ≥ 50%"
    assert clean("a 😀 b\x00c") == "a bc"
