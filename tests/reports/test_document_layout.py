"""Pages are used, not wasted: no page but the last is near-empty (a part starts a new page
only when little room is left), and no "%" (or "điểm %") is left alone on a line."""

import re
import subprocess
from dataclasses import replace

import pytest

from reports.pdf import render_round_report
from reports.sample import sample_summary
from reports.template import MARGIN_BOTTOM, MARGIN_TOP, PAGE_HEIGHT

FRAME = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
MIN_FILL = 0.25      # of the frame's height: less than this on a page is a near-empty page


def _page_fill(pdf: bytes) -> list[float]:
    """How far down each page's content reaches, as a share of the frame (header and footer
    left out)."""
    done = subprocess.run(["pdftotext", "-bbox-layout", "-enc", "UTF-8", "-", "-"], input=pdf,
                          capture_output=True, check=True)
    fills = []
    for page in done.stdout.decode().split("<page ")[1:]:
        bottoms = [float(y) for y in re.findall(r'<line xMin="[\d.]+" yMin="[\d.]+" '
                                                r'xMax="[\d.]+" yMax="([\d.]+)"', page)
                   if MARGIN_TOP < float(y) < PAGE_HEIGHT - MARGIN_BOTTOM]
        fills.append((max(bottoms, default=MARGIN_TOP) - MARGIN_TOP) / FRAME)
    return fills


def _reports():
    commune = sample_summary()
    return {"commune": commune, "open": replace(commune, round=replace(commune.round,
                                                                        status="open")),
            "first round": replace(commune, previous_round=None),
            "province": sample_summary(children=12, responses=3000)}


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("name", list(_reports()))
def test_no_page_but_the_last_is_near_empty(name, lang):
    fills = _page_fill(render_round_report(_reports()[name], lang))
    near_empty = [number for number, fill in enumerate(fills[:-1], start=1) if fill < MIN_FILL]
    assert not near_empty, (near_empty, [round(fill, 2) for fill in fills])


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("name", list(_reports()))
def test_no_percent_sign_is_orphaned_on_a_line(name, lang):
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"],
                          input=render_round_report(_reports()[name], lang),
                          capture_output=True, check=True)
    lines = [line.strip() for line in done.stdout.decode().splitlines()]
    orphans = [line for line in lines if re.match(r"^(%|pp|điểm %)(\s|$|\))", line)]
    assert not orphans, orphans
