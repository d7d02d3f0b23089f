"""The progress page (/admin/progress) and its CSV download."""

import csv
import importlib.util
import io
import re
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location(
    "progress_world", Path(__file__).parents[1] / "progress" / "progress_world.py")
progress_world = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(progress_world)


@pytest.fixture
def world(db, factory):
    return progress_world.build_world(db, factory)


def _cells(html: str, name: str) -> list[str]:
    """The text of the cells of the units-table row whose first cell names `name`."""
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        if f'<td data-value="{name}">' in row:
            return [re.sub(r"<[^>]+>", " ", cell).split()
                    for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    raise AssertionError(f"no row for {name}")


def test_admin_sees_the_province_round(client, web_login, world):
    web_login(world.users["admin"])
    page = client.get("/admin/progress/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Tiến độ thu phiếu" in html and "Đợt 1 năm 2026" in html
    assert "Phường Hoa Lư" in html and "Xã Gia Viễn" in html and "Xã Yên Mô" not in html
    cells = _cells(html, "Phường Hoa Lư")
    assert cells[1] == ["7"] and cells[2] == ["24"] and cells[4] == ["8"]
    assert "1" in cells[5]                     # behind by one response
    assert "<svg" in html and 'class="chart-total"' in html
    assert ' style="' not in html and "<script>" not in html     # the CSP forbids both
    assert "Nguyễn Văn An" in html and "1.4.0" in html and "Lê Văn Chờ" in html
    assert 'aria-current="page"' in html and ">Tiến độ<" in html


def test_drill_down_to_a_commune_and_its_groups(client, web_login, world):
    web_login(world.users["admin"])
    a = world.units["A"]
    html = client.get(f"/admin/progress/?round={world.round.id}&unit={a.id}").get_data(as_text=True)
    assert "Tổ dân phố 10" in html and "Thôn Đồng Tâm" not in html
    assert _cells(html, "Tổ dân phố 2")[2] == ["4"]              # the group's own target
    assert f'href="/admin/progress/?round={world.round.id}&amp;unit={world.province.id}"' in html


def test_sorting_links_order_the_rows_on_the_server(client, web_login, world):
    web_login(world.users["admin"])
    a = world.units["A"]
    base = f"/admin/progress/?round={world.round.id}&unit={a.id}"

    def order(query: str) -> list[str]:
        html = client.get(base + query).get_data(as_text=True)
        return re.findall(r'<td data-value="([^"]+)">', html)

    assert order("") == ["Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 10"]
    assert order("&sort=responses&dir=desc") == ["Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 10"]
    assert order("&sort=responses&dir=asc") == ["Tổ dân phố 10", "Tổ dân phố 2", "Tổ dân phố 1"]
    assert order("&sort=shortfall&dir=desc")[0] == "Tổ dân phố 10"
    ascending = client.get(base + "&sort=responses&dir=asc").get_data(as_text=True)
    assert 'aria-sort="ascending"' in ascending
    # nonsense sort keys fall back to the name
    assert client.get(base + "&sort=evil&dir=sideways").status_code == 200


def test_english_page(client, web_login, world):
    web_login(world.users["admin"])
    html = client.get("/admin/progress/?lang=en").get_data(as_text=True)
    assert "Collection progress" in html and "Units behind pace" in html
    assert "Tiến độ thu phiếu" not in html


def test_official_sees_own_commune_only(client, web_login, world):
    web_login(world.users["official_b"])
    html = client.get("/admin/progress/").get_data(as_text=True)
    assert "Thôn Đồng Tâm" in html and "Tổ dân phố 1" not in html
    assert "Trần Thị Bình" in html and "Nguyễn Văn An" not in html
    assert "/admin/responses/" not in html                       # the browser is for admins
    a = world.units["A"]
    assert client.get(f"/admin/progress/?round={world.round.id}&unit={a.id}").status_code == 403


def test_unknown_round_or_unit_is_404(client, web_login, world):
    web_login(world.users["admin"])
    for query in ("round=999999", "round=abc", f"round={world.round.id}&unit=999999",
                  f"round={world.round.id}&unit={world.units['C1'].id}", "round=1e9"):
        assert client.get(f"/admin/progress/?{query}").status_code == 404, query


def test_csv_of_the_units_and_the_volunteers(client, web_login, world):
    web_login(world.users["admin"])
    response = client.get(f"/admin/progress/export.csv?round={world.round.id}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    a = next(row for row in rows if row["unit"] == "Phường Hoa Lư")
    assert (a["responses"], a["target"], a["expected_by_now"], a["shortfall"], a["rejected"]) == (
        "7", "24", "8", "1", "2")
    assert rows[-1]["unit"] == "Tổng" and rows[-1]["responses"] == "10"
    volunteers = client.get(f"/admin/progress/export.csv?round={world.round.id}&table=volunteers")
    rows = list(csv.DictReader(io.StringIO(volunteers.get_data(as_text=True).lstrip("\ufeff"))))
    assert {row["username"] for row in rows} == {"tnv.a", "tnv.b", "tnv.idle"}
    assert next(row for row in rows if row["username"] == "tnv.a")["queued"] == "2"
    assert client.get(f"/admin/progress/export.csv?round={world.round.id}&table=x").status_code == 404


def test_csv_cells_cannot_run_as_formulas(client, web_login, world, db):
    world.units["B1"].name = "=HYPERLINK(\"http://evil.example\")"
    db.session.flush()
    web_login(world.users["admin"])
    body = client.get(f"/admin/progress/export.csv?round={world.round.id}&view=all"
                      ).get_data(as_text=True)
    cells = [cell for row in csv.reader(io.StringIO(body.lstrip("\ufeff"))) for cell in row]
    assert "'=HYPERLINK(\"http://evil.example\")" in cells
    assert not any(cell.startswith("=") for cell in cells)


def test_no_round_yet(client, web_login, factory):
    official = factory.user("canbo", "official", units=[factory.unit("Xã Mới", "commune")])
    web_login(official)
    page = client.get("/admin/progress/")
    assert page.status_code == 200
    assert "Chưa có đợt khảo sát nào" in page.get_data(as_text=True)


def test_nonsense_view_sort_and_page_values_show_the_page(client, web_login, world):
    web_login(world.users["admin"])
    for query in ("view=tree", "sort=<script>", "dir=up", "vsort=1;drop", "vdir=x", "vpage=abc",
                  "vpage=-2", "vpage=99999999999999", "lang=fr"):
        page = client.get(f"/admin/progress/?round={world.round.id}&{query}")
        assert page.status_code == 200, query
        assert "<script>" not in page.get_data(as_text=True).split("<main")[1]


def test_every_unit_of_the_round_comes_a_page_at_a_time(client, web_login, world, monkeypatch):
    """Issue 15: "every unit of the round" is 33,000 rows for a country: paged, in the order
    asked for across pages, with the scope's total on each; a new order starts on page 1."""
    from server.progress import pages

    monkeypatch.setattr(pages, "UNITS_PER_PAGE", 2)
    web_login(world.users["admin"])
    base = f"/admin/progress/?round={world.round.id}&view=all&sort=responses&dir=desc"

    def names_and_html(query=""):
        html = client.get(base + query).get_data(as_text=True)
        table = html.split('id="unit-table"')[1].split("</table>")[0]
        return re.findall(r'<td data-value="([^"]+)">', table), html

    everything = client.get(f"/admin/progress/export.csv?round={world.round.id}&view=all")
    listed = len(list(csv.reader(io.StringIO(everything.get_data(as_text=True).lstrip("\ufeff"))))) - 2
    assert listed > 4
    shown, pages_seen = [], 0
    first, html = names_and_html()
    assert len(first) == 2 and f"Trang 1 / {-(-listed // 2)}" in html
    assert 'aria-label="Trang đơn vị"' in html and "&amp;page=2" in html
    total = re.search(r"<tfoot>.*?</tfoot>", html, re.S).group(0)
    for page in range(1, -(-listed // 2) + 1):
        names, html = names_and_html(f"&page={page}")
        assert re.search(r"<tfoot>.*?</tfoot>", html, re.S).group(0) == total
        shown += names
        pages_seen += 1
    assert len(shown) == listed and len(set(shown)) == listed
    assert names_and_html("&page=999")[0] == names_and_html(f"&page={pages_seen}")[0]
    monkeypatch.setattr(pages, "UNITS_PER_PAGE", 10_000)
    whole, html = names_and_html()
    assert shown == whole and 'aria-label="Trang đơn vị"' not in html
    # the sort links start again on page 1
    sort_links = re.findall(r'data-sort-key="\w+"><a href="([^"]+)"', names_and_html("&page=2")[1])
    assert sort_links and not any("page=2" in link for link in sort_links)


def test_volunteers_come_a_page_at_a_time(client, web_login, world, monkeypatch):
    from server.progress import pages

    monkeypatch.setattr(pages, "VOLUNTEERS_PER_PAGE", 1)
    web_login(world.users["admin"])
    html = client.get(f"/admin/progress/?round={world.round.id}&vpage=2").get_data(as_text=True)
    nav = html.split('aria-label="Trang tình nguyện viên"')[1].split("</nav>")[0]
    assert "vpage=1" in nav and "vpage=3" in nav and "Trang 2 / " in nav
    assert 'aria-label="Trang đơn vị"' not in html          # the units fit on one page
