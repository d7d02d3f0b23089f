"""What the PDF prints for figures hidden by the suppression rules."""

from dataclasses import replace

from reports.pdf import render_round_report
from reports.sample import sample_summary
from server.analytics.suppression import suppress


def _text(pdf: bytes) -> str:
    import io

    from pypdf import PdfReader
    return "\n".join(page.extract_text(extraction_mode="layout")
                     for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_small_item_and_incident_print_hidden_not_their_figures():
    summary = sample_summary()
    item = summary.items[0]
    items = tuple(replace(i, valid=3, satisfied=1, share=1 / 3) if i is item else i
                  for i in summary.items)
    incident = replace(summary.incidents[0], valid=4, count=3, share=0.75)
    hidden = suppress(replace(summary, items=items,
                              incidents=(incident, *summary.incidents[1:])), 5)
    text = _text(render_round_report(hidden, "vi"))
    item_lines = [line for line in text.splitlines() if item.label.vi in line]
    assert item_lines and all("33,3%" not in line for line in item_lines)
    assert any("ẩn" in line for line in item_lines)
    incident_lines = [line for line in text.splitlines() if incident.label.vi in line]
    assert incident_lines and all("75,0%" not in line for line in incident_lines)
    assert any("ẩn" in line for line in incident_lines)
    assert f"Báo cáo này ẩn {hidden.methodology.suppressed_cells} số liệu" in " ".join(
        text.split())
