"""Reading uploaded tables (server/tabular.py) and keeping them between a dry run and its
apply (server/upload_staging.py)."""

import io
import os
import time
import unicodedata

import pytest
from openpyxl import Workbook

from server import tabular
from server.tabular import TableProblem, match_columns, read_table
from server.upload_staging import LIFETIME_SECONDS, discard, load, stage


def _xlsx(*sheets) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("text", [
    "code,name\nx,Tên\n", "\ufeffcode;name\r\nx;Tên\r\n", "code\tname\nx\tTên\n",
    "\n\ncode , name \n\n x ,Tên\n,\n",
])
def test_csv_with_or_without_bom_comma_semicolon_or_tab(text):
    table = read_table("units.csv", text.encode("utf-8"))
    assert table.headers == ["code", "name"]
    assert [cells for _, cells in table.rows] == [{"code": "x", "name": "Tên"}]


def test_row_numbers_are_the_lines_a_spreadsheet_shows():
    table = read_table("a.csv", b"code,name\n\nx,y\n\"z\",\"two\nlines\"\n")
    assert [number for number, _ in table.rows] == [3, 4]
    assert table.rows[1][1]["name"] == "two\nlines"


def test_text_is_nfc_without_invisible_controls():
    decomposed = unicodedata.normalize("NFD", "Phường Hoa Lư")
    table = read_table("a.csv", f"name\n{decomposed}\x1b\x07\n".encode())
    assert table.rows[0][1]["name"] == "Phường Hoa Lư"


def test_a_formula_in_a_csv_is_plain_text():
    table = read_table("a.csv", b'name\n"=cmd|\' /C calc\'!A0"\n@SUM(1)\n')
    assert [cells["name"] for _, cells in table.rows] == ["=cmd|' /C calc'!A0", "@SUM(1)"]


def test_xlsx_first_sheet_whole_numbers_and_dates():
    from datetime import date
    content = _xlsx(("Đơn vị", [["code", "name", "when"], [79, "Tên", date(2026, 5, 1)],
                                [7.5, None, None]]),
                    ("Other", [["ignored"]]))
    table = read_table("units.xlsx", content)
    assert table.headers == ["code", "name", "when"]
    assert [cells for _, cells in table.rows] == [
        {"code": "79", "name": "Tên", "when": "2026-05-01T00:00:00"},
        {"code": "7.5", "name": "", "when": ""}]


@pytest.mark.parametrize(("name", "content", "code"), [
    ("a.csv", b"", "empty"),
    ("a.csv", b"\xef\xbb\xbf\r\n ; ;\r\n", "empty"),
    ("a.xlsx", _xlsx(("S", [])), "empty"),
    ("a.pdf", b"%PDF-1.4", "wrong_type"),
    ("a.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "wrong_type"),
    ("a.xls", b"whatever", "old_excel"),
    ("a.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old_excel"),
    ("a.xlsx", b"PK\x03\x04broken", "unreadable_xlsx"),
    ("a.xlsx", b"code,name\n", "unreadable_xlsx"),
    ("a.csv", "tên\nLê".encode("utf-16"), "wrong_type"),
    ("a.csv", "tên\nLê".encode("latin-1"), "not_utf8"),
    ("a.csv", b"code,code\nx,y\n", "duplicate_header"),
])
def test_what_cannot_be_read_is_refused_with_a_reason(name, content, code):
    with pytest.raises(TableProblem) as refused:
        read_table(name, content)
    assert refused.value.code == code and refused.value.message_vi and refused.value.message_en


def test_too_many_rows(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ROWS", 10)
    with pytest.raises(TableProblem) as refused:
        read_table("a.csv", ("code\n" + "x\n" * 12).encode())
    assert refused.value.code == "too_many_rows"
    with pytest.raises(TableProblem):
        read_table("a.xlsx", _xlsx(("S", [["code"]] + [["x"]] * 12)))


def test_columns_are_matched_whatever_their_accents_or_spacing():
    aliases = {"parent_code": ("parent code", "ma cap tren"), "code": ("code", "ma")}
    assert match_columns(["Mã", "MÃ CẤP TRÊN"], aliases) == {"code": "Mã", "parent_code": "MÃ CẤP TRÊN"}
    assert match_columns(["parent_code", "Code "], aliases) == {"parent_code": "parent_code",
                                                                "code": "Code "}


def test_staged_uploads_are_for_their_owner_and_kind_only(app):
    table = read_table("a.csv", "code,name\nx,Tên\n".encode())
    with app.app_context():
        token = stage("units", 7, "a.csv", table)
        staged = load("units", token, 7)
        assert staged.table == table and staged.filename == "a.csv"
        assert load("units", token, 8) is None
        assert load("people", token, 7) is None
        for bad in ("../../etc/passwd", "", "x" * 22 + "/", None, token + "a"):
            assert load("units", bad, 7) is None
        path = os.path.join(app.instance_path, "imports", f"{token}.json")
        assert oct(os.stat(path).st_mode & 0o777) == "0o600"
        old = time.time() - LIFETIME_SECONDS - 10
        os.utime(path, (old, old))
        assert load("units", token, 7) is None             # expired
        stage("units", 7, "b.csv", table)                  # and swept at the next upload
        assert not os.path.exists(path)
        fresh = stage("units", 7, "c.csv", table)
        discard(fresh)
        assert load("units", fresh, 7) is None
