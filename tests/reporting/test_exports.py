"""CSV and XLSX exports: one row per response, labels and values, no formula injection."""

import csv
import io

import pytest
from openpyxl import load_workbook

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"bấm\")", "+84 giá", "-1+1", "@SUM(A1:A2)"]


@pytest.fixture
def hostile_dataset(dataset, factory):
    group = dataset.groups["Tổ dân phố Bắc Sơn"]
    for text in HOSTILE:
        factory.response(dataset.current, group, dataset.volunteer,
                         {"used_service": "no", "comment": text, "household": 3},
                         skipped=["proc_public", "proc_fees", "harassment", "late"])
    return dataset


@pytest.fixture
def admin_headers(factory, bearer):
    return bearer(factory.user("quantri", "admin"))


def test_csv_has_one_row_per_response_with_values_and_labels(client, hostile_dataset,
                                                            admin_headers):
    data = hostile_dataset
    response = client.get(f"/api/v1/rounds/{data.current.id}/export.csv", headers=admin_headers)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="phieu-dot-2-nam-2026.csv"' in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    stored = [r for r in data.responses if r.round_id == data.current.id]
    assert len(rows) == len(stored) + len(HOSTILE)
    row = next(r for r in rows if r["sex"] == "female")
    assert row["sex_label"] == "Nữ"
    assert "unit_name" in row and row["unit_name"]
    multiple = next(r for r in rows if ";" in r["channels"])
    assert len(multiple["channels"].split(";")) == len(multiple["channels_label"].split(";"))
    skipped = next(r for r in rows if r["used_service"] == "no")
    assert "proc_public" in skipped["skipped_by_logic"] and skipped["proc_public"] == ""


def test_csv_cells_cannot_run_as_formulas(client, hostile_dataset, admin_headers):
    response = client.get(f"/api/v1/rounds/{hostile_dataset.current.id}/export.csv",
                          headers=admin_headers)
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    cells = [cell for row in rows for cell in row]
    for text in HOSTILE:
        assert "'" + text in cells
        assert text not in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_xlsx_cells_are_text_not_formulas(client, hostile_dataset, admin_headers):
    response = client.get(f"/api/v1/rounds/{hostile_dataset.current.id}/export.xlsx",
                          headers=admin_headers)
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.data))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    assert header[0] == "response_uuid" and "comment" in header and "sex_label" in header
    values = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert all(cell.data_type != "f" for cell in values)
    texts = {cell.value for cell in values if isinstance(cell.value, str)}
    for text in HOSTILE:
        assert "'" + text in texts
    household = header.index("household")
    numbers = [row[household].value for row in sheet.iter_rows(min_row=2)]
    assert any(isinstance(value, int) for value in numbers)
