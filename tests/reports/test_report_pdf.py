import subprocess
import sys
import unicodedata
from dataclasses import replace
from io import BytesIO

import pytest
from pypdf import PdfReader

from reports.formatting import format_change_pp, format_int, format_percent
from reports.pdf import render_round_report
from reports.sample import sample_summary
from reports.summary import Comment, LocalText


def squashed(text: str) -> str:
    return " ".join(text.split())


def test_pdf_starts_and_ends_like_a_pdf(commune_pdf):
    for pdf in commune_pdf.values():
        assert pdf.startswith(b"%PDF-")
        assert pdf.rstrip().endswith(b"%%EOF")


def test_vietnamese_text_survives_exactly(commune_text, commune_summary):
    text = commune_text["vi"]
    assert unicodedata.is_normalized("NFC", text)
    expected = [commune_summary.unit.name, commune_summary.round.name,
                commune_summary.issuer.vi.upper(), "Thành phố Đà Nẵng", "Tổ dân phố Đà Sơn",
                "Rất không hài lòng", "Công chức chú ý lắng nghe ý kiến của người dân",
                "Thực hiện “5 biết”", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập - Tự do - Hạnh phúc"]
    for phrase in expected:
        assert squashed(phrase) in squashed(text), phrase


def test_decomposed_input_is_drawn_composed(extract):
    decomposed = unicodedata.normalize("NFD", "Phường Hòa Khánh Nguyễn")
    summary = sample_summary()
    summary = replace(summary, unit=replace(summary.unit, name=decomposed))
    text = extract(render_round_report(summary))
    assert "Phường Hòa Khánh Nguyễn" in text
    assert unicodedata.normalize("NFD", "ờ") not in text


def _share_from_counts(summary, item):
    """Independent of item.share: satisfied levels over valid answers of the question."""
    question = summary.question(item.question)
    satisfied = sum(c.count for c in question.distribution if c.value in ("4", "5"))
    return satisfied / question.valid, question.valid


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_item_figures_appear_formatted_per_language(commune_text, commune_summary, lang):
    text = squashed(commune_text[lang])
    for item in commune_summary.items:
        share, valid = _share_from_counts(commune_summary, item)
        assert f"{format_percent(share, lang)} N={format_int(valid, lang)}" in text


@pytest.mark.parametrize(("lang", "decimal_mark"), [("vi", ","), ("en", ".")])
def test_headline_figures_per_language(commune_text, commune_summary, lang, decimal_mark):
    text = squashed(commune_text[lang])
    overall = commune_summary.overall_index
    assert format_percent(overall, lang) in text
    assert f"{overall * 100:.1f}".replace(".", decimal_mark) + "%" in text
    change = commune_summary.overall_previous.change_pp
    assert format_change_pp(change, lang) in text
    assert format_int(commune_summary.coverage.responses, lang) in text
    if lang == "vi":
        assert "Trang 2/" in text and "Tóm tắt kết quả" in text
    else:
        assert "Page 2 of" in text and "Summary" in text


def test_incidents_and_comments_are_listed(commune_text, commune_summary):
    text = squashed(commune_text["vi"])
    for incident in commune_summary.incidents:
        assert incident.label.vi in text
        assert f"{format_percent(incident.share, 'vi')}" in text
    assert "Đề nghị bố trí thêm ghế ngồi chờ" in text
    assert "0912 345 678" not in text and "**** *** ***" in text


@pytest.mark.parametrize(("lang", "marker"), [("vi", "ẩn"), ("en", "hidden")])
def test_suppressed_cells_are_marked_not_shown(commune_pdf, commune_summary, lang, marker):
    lines = commune_pdf_lines(commune_pdf[lang])
    tiny = next(row for row in commune_summary.breakdowns[0].rows if row.n < 5)
    assert tiny.cells[0].suppressed
    row_line = next(line for line in lines if line.startswith(tiny.label.vi)
                    and marker in line)
    cells = row_line[len(tiny.label.vi):].split()
    assert cells[0] == str(tiny.n)
    assert cells[1:] == [marker] * len(tiny.cells)


def commune_pdf_lines(pdf: bytes) -> list[str]:
    done = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=pdf,
                          capture_output=True, check=True)
    return [line.strip() for line in done.stdout.decode().splitlines()]


def test_font_is_embedded_and_the_only_one_drawn(commune_pdf):
    reader = PdfReader(BytesIO(commune_pdf["vi"]))
    used = set()
    for page in reader.pages:
        content = page.get_contents().get_data()
        for name, font in page["/Resources"]["/Font"].items():
            if name.encode() + b" " in content:   # selected with "/F2+0 9 Tf"
                font = font.get_object()
                descriptor = font.get("/FontDescriptor")
                used.add((font["/BaseFont"],
                          descriptor is not None and "/FontFile2" in descriptor.get_object()))
    # ZapfDingbats, a PDF standard font every reader has, draws only the ▲/▼ change marks
    assert used - {("/ZapfDingbats", False)} == {
        ("/AAAAAA+BeVietnamPro-Regular", True), ("/AAAAAA+BeVietnamPro-Bold", True),
        ("/AAAAAA+BeVietnamPro-Italic", True)}   # italic: the date line of the header


HOSTILE = ['<b>đậm</b> & <font size="40">to</font>', "</para><para>", '<img src="x"/>',
           "a < b && c > d", "<font name='Nope'>x", "&amp;&#x41;&lt;"]


def test_hostile_text_prints_as_text(extract):
    summary = sample_summary()
    label = LocalText(HOSTILE[0], HOSTILE[0])
    summary = replace(
        summary,
        unit=replace(summary.unit, name="Phường <b>Hòa</b> & Khánh"),
        items=(replace(summary.items[0], label=label), *summary.items[1:]),
        comments=tuple(Comment(text=text, unit_name="<i>Tổ 1</i>") for text in HOSTILE),
    )
    for lang in ("vi", "en"):
        text = extract(render_round_report(summary, lang))
        for hostile in HOSTILE:
            assert squashed(hostile) in text, hostile
        assert "Phường <b>Hòa</b> & Khánh" in text
        assert "(<i>Tổ 1</i>)" in text


def test_province_report_ranks_its_communes(extract):
    summary = sample_summary(children=12, responses=3000)
    text = extract(render_round_report(summary, "en"))
    assert "Ranking of units" in text
    best = min((c for c in summary.children if c.rank), key=lambda c: c.rank)
    # columns: rank, unit, N, previous round, this round (one column order everywhere)
    assert f"1 {best.name} {format_int(best.responses, 'en')} " \
           f"{format_percent(best.previous_index, 'en')} " \
           f"{format_percent(best.index, 'en')}" in text
    unranked = next(c for c in summary.children if c.suppressed)
    assert f"– {unranked.name} {unranked.responses} – hidden" in text


def test_report_without_previous_round_says_so(extract):
    summary = replace(sample_summary(), previous_round=None)
    text = extract(render_round_report(summary))
    assert "Chưa có đợt khảo sát trước" in text
    assert "So sánh với đợt trước" not in text


def test_unknown_language_is_refused(commune_summary):
    with pytest.raises(ValueError):
        render_round_report(commune_summary, "fr")


def test_reports_package_never_imports_flask_or_the_database():
    code = ("import sys, reports.pdf, reports.sample, reports.stats; "
            "bad = [m for m in ('flask', 'sqlalchemy', 'server') if m in sys.modules]; "
            "print(','.join(bad))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == ""
