"""A report with Khmer form labels and Khmer comments, in Khmer and in Vietnamese: every
Khmer word is drawn (shaped, in the embedded Noto Sans Khmer) and copies out of the PDF as
the resident wrote it. Issue 10: "a Khmer comment prints as blank in the PDF"."""

import io
import os
import re
import shutil
import subprocess
import unicodedata
from dataclasses import replace

import pytest
from PIL import Image
from pypdf import PdfReader

from reports.i18n import t
from reports.pdf import render_round_report
from reports.scripts import has_khmer
from tests.reports.khmer_sample import (
    KHMER_COMMENTS,
    KHMER_LABELS,
    KHMER_LONG_COMMENT,
    khmer_summary,
)

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None and not os.environ.get("CI"),
    reason="pdftotext (poppler-utils) is not installed; pypdf does not read ActualText")

KHMER_CHAR = "[\u1780-\u17ff\u19e0-\u19ff]"


def normalise(text: str) -> str:
    """NFC, whitespace squashed; and no whitespace between two Khmer characters: Khmer
    lines wrap inside a word (the line end copies out as a space), and pdftotext adds a
    space at some of the places where a line could have broken. Applied to what was
    written and to what the PDF gives back alike, so every character is still compared,
    in order."""
    text = " ".join(unicodedata.normalize("NFC", text).replace("\u200b", " ").split())
    return re.sub(f"(?<={KHMER_CHAR}) (?={KHMER_CHAR})", "", text)


def pdftotext(pdf: bytes, *options: str) -> str:
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", *options, "-", "-"], input=pdf,
                          capture_output=True, check=True)
    return done.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def pdfs():
    summary = khmer_summary()
    return {lang: render_round_report(summary, lang) for lang in ("km", "vi")}


@pytest.fixture(scope="module")
def texts(pdfs):
    # -raw: content-stream order, where a cell's wrapped lines follow each other
    return {lang: pdftotext(pdf, "-raw") for lang, pdf in pdfs.items()}


@pytest.mark.parametrize("lang", ["km", "vi"])
def test_every_khmer_comment_copies_out_as_written(texts, lang):
    text = normalise(texts[lang])
    for comment in (*KHMER_COMMENTS, KHMER_LONG_COMMENT):
        assert normalise(f"{comment} (Tổ dân phố Đà Sơn)") in text, comment


@pytest.mark.parametrize("lang", ["km", "vi"])
def test_nothing_is_drawn_with_a_missing_glyph(texts, lang):
    text = texts[lang]
    assert "\x00" not in text and "\ufffd" not in text
    # shaped glyphs without a Unicode value of their own (subscripts, ligatures) must copy
    # out as the letters they stand for, never as private-use characters
    assert not re.search("[\ue000-\uf8ff]", text)
    assert "\u25cc" not in text      # the dotted circle of a mark with no letter to sit on


def test_khmer_labels_print_in_the_khmer_report(texts):
    text = normalise(texts["km"])
    for vietnamese in ("Nơi ngồi chờ có đủ chỗ ngồi", "Công chức chú ý lắng nghe ý kiến của "
                       "người dân", "Rất không hài lòng", "Tiếp cận dịch vụ",
                       "Gặp phiền hà, sách nhiễu", "Theo giới tính"):
        assert normalise(KHMER_LABELS[vietnamese]) in text, vietnamese
    for key in ("title", "summary", "comments_section", "method_section"):
        assert normalise(t(key, "km")) in text, key
    # unit names stay as they are called, in Vietnamese, inside the Khmer text
    assert "Phường Hòa Khánh" in text


def test_the_vietnamese_report_keeps_vietnamese_labels(texts):
    text = normalise(texts["vi"])
    assert "Nơi ngồi chờ có đủ chỗ ngồi" in text
    assert normalise(KHMER_LABELS["Nơi ngồi chờ có đủ chỗ ngồi"]) not in text


def test_every_page_header_and_footer_is_in_khmer(texts, pdfs):
    pages = texts["km"].split("\f")[:-1]
    assert len(pages) == len(PdfReader(io.BytesIO(pdfs["km"])).pages)
    for number, page in enumerate(pages, start=1):
        assert t("page_of", "km", page=number, pages=len(pages)) in page
    for page in pages[1:]:
        assert t("title", "km") in page     # the running header, drawn on the canvas


def test_both_khmer_faces_are_embedded(pdfs):
    reader = PdfReader(io.BytesIO(pdfs["km"]))
    embedded = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is not None and "/FontFile2" in descriptor.get_object():
                embedded.add(str(font["/BaseFont"]).split("+")[-1])
    assert {"NotoSansKhmer", "NotoSansKhmer-Bold", "BeVietnamPro-Regular"} <= embedded


def test_the_khmer_comments_are_not_blank_on_the_page(pdfs, tmp_path):
    """The page of comments, rasterised: the Khmer lines have ink (a blank comment was the
    bug), as much as their Vietnamese unit name beside them has."""
    text = pdftotext(pdfs["km"], "-layout")
    page = next(number for number, content in enumerate(text.split("\f"), start=1)
                if normalise(KHMER_COMMENTS[0])[:20] in normalise(content))
    subprocess.run(["pdftoppm", "-r", "100", "-gray", "-png", "-f", str(page), "-l", str(page),
                    "-singlefile", "-", str(tmp_path / "page")], input=pdfs["km"], check=True)
    image = Image.open(tmp_path / "page.png")
    bbox = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-", "-"],
                          input=pdfs["km"], capture_output=True, check=True).stdout.decode()
    scale = 100 / 72
    written = normalise(" ".join((*KHMER_COMMENTS, KHMER_LONG_COMMENT)))
    inked = 0
    for match in re.finditer(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                             r'yMax="([\d.]+)">([^<]*)</word>', bbox):
        x0, y0, x1, y1 = (float(value) * scale for value in match.groups()[:4])
        word = normalise(match.group(5))
        if not has_khmer(word) or word not in written:     # the comments' words only
            continue
        box = image.crop((int(x0), int(y0), max(int(x1), int(x0) + 1), max(int(y1), int(y0) + 1)))
        dark = sum(box.convert("L").histogram()[:160])      # pixels of ink, not paper
        assert dark > 0, word
        inked += 1
    assert inked >= len(KHMER_COMMENTS)


def test_a_provisional_khmer_report_says_so_in_khmer_on_every_page():
    summary = khmer_summary(long_comment=False)
    summary = replace(summary, round=replace(summary.round, status="open"))
    pages = pdftotext(render_round_report(summary, "km"), "-raw").split("\f")[:-1]
    band = normalise(f"{t('provisional', 'km')} · {t('provisional_band', 'km')}")
    assert all(band in normalise(page) for page in pages)
