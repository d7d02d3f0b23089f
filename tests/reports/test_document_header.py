"""The administrative document: the header's two columns with their rules where Nghị định
30/2020 puts them (measured on the rendered page, not assumed), the number, the place and
date line, and the "Nơi nhận" and signature block at the end, from the round's settings."""

import re
import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from io import BytesIO

import pytest
from PIL import Image

from reports.pdf import render_round_report
from reports.sample import sample_summary
from reports.sections.cover import LEFT_SHARE
from reports.summary import DocumentSettings
from reports.template import CONTENT_WIDTH, MARGIN_X

SETTINGS = DocumentSettings(
    issuer="Ủy ban MTTQ Việt Nam phường Hòa Khánh",
    superior="Ủy ban MTTQ Việt Nam thành phố Đà Nẵng", number="27", place="Hòa Khánh",
    signer_title=("TM. Ban Thường trực", "Chủ tịch"), signer_name="Nguyễn Thị Lan",
    recipients=("Ban Thường trực UBMTTQ thành phố", "Đảng ủy, HĐND, UBND phường", "Lưu: VT"))
DPI = 144           # 2 pixels a point


def _words(pdf: bytes, page: int = 1) -> list[tuple[float, float, float, float, str]]:
    """(x0, y0, x1, y1, text) of each line of the page, in points from the top left."""
    done = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox-layout",
                           "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
    lines = []
    for match in re.finditer(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                             r'yMax="([\d.]+)">(.*?)</line>', done.stdout.decode(), re.S):
        text = " ".join(re.findall(r">([^<]+)</word>", match.group(5)))
        lines.append((*map(float, match.groups()[:4]), text))
    return lines


def _line(lines, start: str):
    return next(line for line in lines if line[4].startswith(start))


def _rules(pdf: bytes, top: float, bottom: float) -> list[tuple[float, float, float]]:
    """Horizontal rules (y, x0, x1 in points) drawn between ``top`` and ``bottom`` on page 1:
    runs of dark pixels at least 20 points long."""
    done = subprocess.run(["pdftoppm", "-gray", "-r", str(DPI), "-f", "1", "-l", "1",
                           "-singlefile", "-png", "-"], input=pdf, capture_output=True,
                          check=True)
    image = Image.open(BytesIO(done.stdout)).convert("L")
    pixels, scale = image.load(), DPI / 72
    found = []
    for row in range(int(top * scale), int(bottom * scale)):
        run_start = None
        for column in range(image.size[0] + 1):
            dark = column < image.size[0] and pixels[column, row] < 110
            if dark and run_start is None:
                run_start = column
            elif not dark and run_start is not None:
                if column - run_start >= 20 * scale:
                    found.append((row / scale, run_start / scale, column / scale))
                run_start = None
    return found


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("settings", [DocumentSettings(), SETTINGS], ids=["defaults", "set"])
def test_each_rule_is_centred_under_its_text_and_touches_no_line(lang, settings):
    pdf = render_round_report(replace(sample_summary(), document=settings), lang)
    lines = _words(pdf)
    nation = _line(lines, "CỘNG HÒA" if lang == "vi" else "SOCIALIST REPUBLIC")
    motto = _line(lines, "Độc lập" if lang == "vi" else "Independence")
    date_line = _line(lines, "Hòa Khánh,")
    number = _line(lines, "Số:" if lang == "vi" else "No.")
    # a blank number is "Số:", room to write, "/BC-MTTQ": one line in two pieces
    pieces = [line for line in lines if abs(line[1] - number[1]) < 0.5
              and line[0] < MARGIN_X + CONTENT_WIDTH * LEFT_SHARE]
    number = (min(p[0] for p in pieces), number[1], max(p[2] for p in pieces), number[3],
              " ".join(p[4] for p in pieces))
    issuer_lines = [line for line in lines if line[0] < MARGIN_X + CONTENT_WIDTH * LEFT_SHARE
                    and line[1] < number[1]]
    left_centre = MARGIN_X + CONTENT_WIDTH * LEFT_SHARE / 2
    right_centre = MARGIN_X + CONTENT_WIDTH * (1 + LEFT_SHARE) / 2

    # the right column: Quốc hiệu, tiêu ngữ, date, each centred on the column
    for line in (nation, motto, date_line):
        assert abs((line[0] + line[2]) / 2 - right_centre) < 1.5, line
    motto_rules = [rule for rule in _rules(pdf, motto[3], date_line[1])
                   if rule[1] > MARGIN_X + CONTENT_WIDTH * LEFT_SHARE]
    assert motto_rules, "no rule under the tiêu ngữ"
    y, x0, x1 = motto_rules[0]
    assert abs(x0 - motto[0]) < 1.5 and abs(x1 - motto[2]) < 1.5   # as long as the text
    assert motto[3] < y < date_line[1] - 1                        # clear of both lines
    assert len({round(rule[0]) for rule in motto_rules}) == 1     # one rule, not two

    # the left column: issuing body (and the body above it), a short rule, the number
    for line in (*issuer_lines, number):
        assert abs((line[0] + line[2]) / 2 - left_centre) < 1.5, line
    issuer_bottom = max(line[3] for line in issuer_lines)
    issuer_rules = [rule for rule in _rules(pdf, issuer_bottom, number[1])
                    if rule[2] < MARGIN_X + CONTENT_WIDTH * LEFT_SHARE]
    assert issuer_rules, "no rule under the issuing body"
    y, x0, x1 = issuer_rules[0]
    assert abs((x0 + x1) / 2 - left_centre) < 1.5
    assert issuer_bottom < y < number[1] - 1


def test_the_header_says_who_issues_which_number_where_and_when(extract):
    summary = replace(sample_summary(), document=SETTINGS,
                      generated_at=datetime(2026, 11, 25, 2, 0, tzinfo=UTC))
    vi = extract(render_round_report(summary, "vi"))
    head = vi[:400]
    assert "ỦY BAN MTTQ VIỆT NAM THÀNH PHỐ ĐÀ NẴNG" in head
    assert "ỦY BAN MTTQ VIỆT NAM PHƯỜNG HÒA KHÁNH" in head
    assert "Số: 27/BC-MTTQ" in head
    assert "Hòa Khánh, ngày 25 tháng 11 năm 2026" in head        # Viet Nam time: 09:00
    early = extract(render_round_report(replace(
        summary, generated_at=datetime(2027, 2, 3, 2, 0, tzinfo=UTC)), "vi"))
    assert "Hòa Khánh, ngày 03 tháng 02 năm 2027" in early[:400]   # zeros: day < 10, Jan, Feb
    en = extract(render_round_report(summary, "en"))
    assert "No. 27/BC-MTTQ" in en[:400] and "Hòa Khánh, 25 November 2026" in en[:400]


def test_defaults_leave_room_for_the_number_and_name_the_place_after_the_unit(extract):
    summary = sample_summary()
    text = extract(render_round_report(summary, "vi"))
    assert summary.issuer.vi.upper() in text[:300]
    # the blank is room to write the number by hand: text tools see "Số:" and "/BC-MTTQ" apart
    assert "Số:" in text[:300] and "/BC-MTTQ" in text[:300] and "Số: 1" not in text
    assert "Hòa Khánh, ngày 16 tháng 6 năm 2025" in text[:300]   # "Phường Hòa Khánh"
    assert "Nơi nhận: - Lưu: VT." in text
    assert "TM. BAN THƯỜNG TRỰC CHỦ TỊCH" in text


@pytest.mark.parametrize(("lang", "label", "annex"), [
    ("vi", "Nơi nhận:", "PHỤ LỤC"), ("en", "Recipients:", "ANNEX")])
def test_recipients_and_signature_close_the_report_before_the_annex(extract, lang, label,
                                                                    annex):
    text = extract(render_round_report(replace(sample_summary(), document=SETTINGS), lang))
    signed = text.index(label)
    assert text.index(annex) > signed
    block = text[signed:text.index(annex)]
    for words in ("- Ban Thường trực UBMTTQ thành phố;", "- Đảng ủy, HĐND, UBND phường;",
                  "- Lưu: VT.", "TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH", "Nguyễn Thị Lan"):
        assert words in block, words
    # the technical methodology (Wilson, the z-test) is in the annex, after the signature
    assert text.index("Wilson") > text.index(annex)
