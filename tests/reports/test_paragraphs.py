"""reports/paragraphs.py: paragraphs parsed once per process and broken into lines once per
width draw exactly what reportlab's own Paragraph draws; reportlab's C accelerator is used."""

import re

import pytest
from reportlab.platypus import Paragraph

from reports import paragraphs, styles
from reports.paragraphs import WrappedOnceParagraph, paragraph
from reports.pdf import render_round_report
from reports.sample import sample_summary
from reports.styles import markup
from reports.styles import styles as style_sheet
from tests.reports.khmer_sample import khmer_summary

TEXTS = [
    "Ẩn",
    "64,9%",
    markup("<b>{label}</b> {value} &amp; more words to wrap across lines",
           label="Tổ 1 <script>", value="12,5 điểm %"),
    "Rất hài lòng với thái độ phục vụ của cán bộ một cửa, nhưng thời gian chờ còn dài " * 3,
]


def _lines(para, width):
    para.wrap(width, 1000)
    return [(round(line[0], 4), line[1]) if isinstance(line, tuple)
            else [word.text if hasattr(word, "text") else word for word in line.words]
            for line in para.blPara.lines]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("width", [30, 80, 400])
def test_lines_are_those_of_reportlabs_paragraph(text, width):
    style = style_sheet()["cell"]
    ours, theirs = paragraph(text, style), Paragraph(text, style)
    assert ours.wrap(width, 1000) == theirs.wrap(width, 1000)
    assert _lines(ours, width) == _lines(theirs, width)


def test_each_paragraph_has_its_own_frags():
    style = style_sheet()["cell"]
    first, second = paragraph(TEXTS[2], style), paragraph(TEXTS[2], style)
    assert first.frags is not second.frags
    assert all(a is not b for a, b in zip(first.frags, second.frags, strict=True))
    first.frags[0].text = "changed"
    assert second.frags[0].text != "changed"
    assert paragraph(TEXTS[2], style).frags[0].text != "changed"


def _counting_breaks(monkeypatch) -> list:
    breaks = []
    real = Paragraph.breakLines
    monkeypatch.setattr(Paragraph, "breakLines",
                        lambda self, widths: breaks.append(widths) or real(self, widths))
    monkeypatch.setattr(paragraphs, "_broken", type(paragraphs._broken)())
    return breaks


def test_lines_are_broken_once_per_width(monkeypatch):
    breaks = _counting_breaks(monkeypatch)
    para = paragraph(TEXTS[3], style_sheet()["body"])
    first = para.wrap(200, 500)
    assert para.wrap(200, 90) == first and len(breaks) == 1    # the height offered: same lines
    narrower = para.wrap(120, 500)
    assert len(breaks) == 2 and narrower[1] > first[1]
    assert para.wrap(200, 500) == first and len(breaks) == 2   # kept by the process
    assert para.wrap(333, 500) != first and len(breaks) == 3


def test_a_single_frag_paragraphs_lines_serve_the_same_text_at_the_same_width(monkeypatch):
    style = style_sheet()["cell"]
    expected = _lines(Paragraph(TEXTS[3], style), 150)
    breaks = _counting_breaks(monkeypatch)
    first = paragraph(TEXTS[3], style)
    first.wrap(150, 500)
    again = paragraph(TEXTS[3], style)
    assert again.wrap(150, 500) == first.wrap(150, 500) and len(breaks) == 1
    assert _lines(again, 150) == expected
    paragraph(TEXTS[3], style_sheet()["body"]).wrap(150, 500)      # another style
    paragraph(TEXTS[3] + ".", style).wrap(150, 500)                # another text
    assert len(breaks) == 3


def test_lines_of_several_frags_are_not_shared(monkeypatch):
    breaks = _counting_breaks(monkeypatch)
    style = style_sheet()["cell"]
    for _ in range(2):
        para = paragraph(TEXTS[2], style)     # bold label, then plain text: two frags
        para.wrap(80, 500)
    assert len(breaks) == 2


def test_a_split_paragraph_splits_as_reportlabs_does():
    style = style_sheet()["body"]
    ours, theirs = paragraph(TEXTS[3], style), Paragraph(TEXTS[3], style)
    for para in (ours, theirs):
        para.wrap(150, 1000)
    pieces, expected = ours.split(150, 40), theirs.split(150, 40)
    assert len(pieces) == len(expected) == 2
    assert all(isinstance(piece, WrappedOnceParagraph) for piece in pieces)
    for piece, other in zip(pieces, expected, strict=True):
        assert piece.wrap(150, 1000) == other.wrap(150, 1000)
        assert _lines(piece, 150) == _lines(other, 150)


def test_bad_markup_is_an_error_every_time():
    for _ in range(2):
        with pytest.raises(ValueError):
            paragraph("<b>never closed", style_sheet()["body"])


def _without_dates(pdf: bytes) -> bytes:
    pdf = re.sub(rb"/(CreationDate|ModDate) \(D:[^)]*\)", b"", pdf)
    return re.sub(rb"/ID\s*\[[^\]]*\]", b"", pdf)


@pytest.mark.parametrize("summary, lang", [
    (sample_summary(children=12, responses=3000), "vi"),
    (sample_summary(responses=400), "en"),
    (khmer_summary(), "km"),
], ids=["province-vi", "commune-en", "khmer"])
def test_a_report_is_the_same_pdf_as_with_reportlabs_paragraph(summary, lang, monkeypatch):
    paragraphs._parsed.cache_clear()
    ours = render_round_report(summary, lang)
    monkeypatch.setattr(styles, "paragraph", Paragraph)
    theirs = render_round_report(summary, lang)
    assert _without_dates(ours) == _without_dates(theirs)


def test_reportlab_uses_its_c_accelerator():
    from reportlab.lib import rl_accel

    assert rl_accel.fp_str.__module__ != "reportlab.lib.rl_accel"
    assert rl_accel.instanceStringWidthTTF.__module__ != "reportlab.lib.rl_accel"
