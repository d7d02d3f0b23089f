"""An open round's report is marked provisional on every page, cover included (a band
across the top and a diagonal watermark); a closed round's is not; a round without any
response gives a one-page "no data yet" notice, marked too while the round is open."""

import subprocess
from dataclasses import replace
from io import BytesIO

import pytest
from pypdf import PdfReader

from reports.pdf import render_round_report
from reports.sample import sample_summary
from reports.summary import Coverage
from server.analytics.suppression import suppress

WORD = {"vi": "TẠM THỜI", "en": "PROVISIONAL"}


def _pages(pdf: bytes) -> list[str]:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf,
                          capture_output=True, check=True).stdout.decode()
    return text.split("\f")[:len(PdfReader(BytesIO(pdf)).pages)]


def _pictures(resources) -> list:
    """The pictures a page draws, directly or through a form (the watermark is one form
    per document, shared by its pages)."""
    found = []
    for xobject in resources.get("/XObject", {}).values():
        xobject = xobject.get_object()
        if xobject["/Subtype"] == "/Form":
            found += _pictures(xobject.get("/Resources", {}))
        else:
            found.append(xobject)
    return found


def _open(summary):
    return replace(summary, round=replace(summary.round, status="open"))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_page_of_an_open_rounds_report_says_provisional(lang):
    pages = _pages(render_round_report(_open(sample_summary()), lang))
    assert len(pages) > 3
    for number, page in enumerate(pages, start=1):
        assert page.lstrip().startswith(WORD[lang]), (number, page[:200])   # the band


def test_every_page_has_the_watermark_under_its_content_and_copies_out_clean():
    pdf = render_round_report(_open(sample_summary()), "vi")
    for number, page in enumerate(PdfReader(BytesIO(pdf)).pages, start=1):
        assert any(image["/Subtype"] == "/Image" and "/SMask" in image
                   for image in _pictures(page["/Resources"])), number
        content = page.get_contents().get_data()
        texts = [index for index in range(len(content)) if content.startswith(b"BT", index)]
        # the band's text, then the watermark, then everything else drawn over it
        assert texts[0] < content.index(b" Do") < texts[1], number
    # one picture for the whole document, however many pages
    assert pdf.count(b"/Subtype /Image") == 2                   # the word and its mask
    # a picture, not rotated text: the word is copied out once a page (the band), never in
    # fragments mixed into the figures
    for page in _pages(pdf):
        assert page.count("TẠM") == 1 and "TẠ\n" not in page


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_closed_rounds_report_is_not_marked(lang, commune_pdf):
    assert sample_summary().round.status == "closed"
    for page in _pages(commune_pdf[lang]):
        assert WORD[lang] not in page


def test_no_response_gives_one_page_that_says_no_data_yet_and_provisional_while_open():
    empty = suppress(replace(_open(sample_summary()), coverage=Coverage(responses=0, target=40)),
                     5)
    assert empty.withheld == "no_data"
    pages = _pages(render_round_report(empty, "vi"))
    assert len(pages) == 1
    assert "CHƯA CÓ SỐ LIỆU" in pages[0] and WORD["vi"] in pages[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pages[0]     # filed like a report
