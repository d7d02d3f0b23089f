"""The five-level distribution stays readable in black-and-white print: every level has its
own grey, well apart from the others, and the lowest level is hatched as well."""

import subprocess
from io import BytesIO
from itertools import combinations

from PIL import Image
from reportlab.graphics.shapes import Line, Rect
from reportlab.lib import colors

from reports.charts import LikertRow, _stacked, likert_legend, luma
from reports.styles import LIKERT, LIKERT_HATCHED

MIN_GAP = 0.15   # of the grey scale (0 black, 1 white) between any two levels


def test_every_level_has_a_grey_well_apart_from_every_other():
    greys = [luma(colour) for colour in LIKERT]
    gaps = {(a, b): abs(greys[a] - greys[b]) for a, b in combinations(range(len(greys)), 2)}
    assert min(gaps.values()) >= MIN_GAP, gaps
    # the two ends, "Rất không hài lòng" and "Rất hài lòng", were once the same grey
    assert abs(greys[0] - greys[-1]) >= MIN_GAP


def test_luma_is_the_grey_of_black_and_white_print():
    assert abs(luma(colors.white) - 1) < 1e-9 and luma(colors.black) == 0.0
    assert abs(luma(colors.HexColor("#808080")) - 128 / 255) < 1e-9


def test_the_hatched_level_is_drawn_with_lines_in_the_bar_and_the_legend():
    assert LIKERT_HATCHED == (0,)
    bar = _stacked(LikertRow("x", counts=(40, 10, 10, 20, 20), valid=100), 300)
    hatching = [shape for shape in bar.contents if isinstance(shape, Line)]
    assert hatching and all(0 <= line.x1 <= 120 and 0 <= line.x2 <= 120 for line in hatching)
    plain = _stacked(LikertRow("x", counts=(0, 10, 10, 40, 40), valid=100), 300)
    assert not [shape for shape in plain.contents if isinstance(shape, Line)]
    legend = likert_legend(["a", "b", "c", "d", "e"], 400)
    assert [shape for shape in legend.contents if isinstance(shape, Line)]
    assert len([shape for shape in legend.contents if isinstance(shape, Rect)]) == 5


def test_printed_in_grey_the_levels_come_out_as_distinct_greys(commune_pdf):
    """The distribution page rendered as pdftoppm -gray renders it: each plain level's grey
    is on the page, so the page really prints with this palette."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=commune_pdf["vi"],
                          capture_output=True, check=True).stdout.decode()
    page = next(number for number, content in enumerate(text.split("\f"), start=1)
                if "Phân bố câu trả lời theo mức độ" in content)
    done = subprocess.run(["pdftoppm", "-gray", "-r", "72", "-f", str(page), "-l", str(page),
                           "-singlefile", "-png", "-"], input=commune_pdf["vi"],
                          capture_output=True, check=True)
    histogram = Image.open(BytesIO(done.stdout)).convert("L").histogram()
    for level, colour in enumerate(LIKERT):
        grey = round(luma(colour) * 255)
        near = sum(histogram[max(0, grey - 3):grey + 4])
        assert near > 50, (level, grey)    # pixels of that grey: the bars and the legend
