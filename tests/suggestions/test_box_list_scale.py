"""The console's box list at scale (issue 15): 50 boxes a page with page links, a search by
unit name (accents ignored), a number of queries that does not grow with the boxes, and unit
choices (the new box's and the figures page's) that open the tree a level at a time."""

import re

from server.suggestions.boxes import create_box
from tests.admin.conftest import csrf_token
from tests.query_count import statements_of_get

BOX_LINK = re.compile(r'href="/admin/suggestions/boxes/\d+"')


def add_boxes(factory, world, count: int, start: int = 0) -> None:
    """`count` boxes, each at a commune of its own (so reading units one by one would show)."""
    for n in range(start, start + count):
        commune = factory.unit(f"Xã Số {n:03d}", "commune", parent=world.province)
        create_box(world.users["admin"], commune, f"Hòm thư {n:03d}")


def test_the_box_list_is_paged_fifty_at_a_time(client, world, web_login, factory):
    add_boxes(factory, world, 50)                       # with the world's box: 51
    web_login(world.users["admin"])
    first = client.get("/admin/suggestions/").get_data(as_text=True)
    assert len(BOX_LINK.findall(first)) == 50
    assert "Các hòm thư (51)" in first and "Trang 1 / 2" in first
    second = client.get("/admin/suggestions/?page=2").get_data(as_text=True)
    assert len(BOX_LINK.findall(second)) == 1 and "Trang 2 / 2" in second


def test_the_box_list_is_searched_by_unit_name_accents_ignored(client, world, web_login, factory):
    add_boxes(factory, world, 3)
    web_login(world.users["admin"])
    found = client.get("/admin/suggestions/?q=xa+so+002").get_data(as_text=True)
    assert "Hòm thư 002" in found and "Hòm thư 001" not in found
    assert "Các hòm thư (1)" in found
    accented = client.get("/admin/suggestions/?q=dong+thinh").get_data(as_text=True)
    assert "Nhà văn hóa tổ dân phố Đông Thịnh" in accented and "Hòm thư 000" not in accented


def test_the_list_page_reads_the_same_number_of_rows_whatever_the_boxes(
        db, client, world, web_login, factory):
    add_boxes(factory, world, 4)                        # with the world's box: 5
    web_login(world.users["admin"])
    client.get("/admin/suggestions/")
    few = statements_of_get(client, "/admin/suggestions/")
    add_boxes(factory, world, 55, start=4)              # 60
    client.get("/admin/suggestions/")
    many = statements_of_get(client, "/admin/suggestions/")
    assert few == many


def test_the_new_box_form_opens_the_tree_a_level_at_a_time(client, world, web_login):
    web_login(world.users["official_a"])
    page = client.get("/admin/suggestions/").get_data(as_text=True)
    assert f'<option value="{world.commune_a.id}">' in page          # their commune, opened
    assert f'<option value="{world.group_a1.id}">' in page
    assert f'<option value="{world.commune_b.id}">' not in page
    found = client.get("/admin/suggestions/?unit_q=Dong+Thinh").get_data(as_text=True)
    assert f'<option value="{world.group_a1.id}">' in found
    assert f'<option value="{world.commune_a.id}">' not in found
    refused = client.post("/admin/suggestions/boxes", data={
        "unit_id": world.group_a1.id, "name": "", "csrf_token": csrf_token(client)})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400                    # the form again, its unit kept
    assert f'<option value="{world.group_a1.id}" selected>' in html


def test_the_figures_page_chooses_a_unit_a_level_at_a_time(client, world, web_login):
    web_login(world.users["admin"])
    page = client.get("/admin/suggestions/report").get_data(as_text=True)
    assert f'<option value="{world.province.id}" selected>' in page
    assert f'<option value="{world.commune_a.id}">' in page
    assert f'<option value="{world.group_a1.id}">' not in page
    opened = client.get(f"/admin/suggestions/report?unit={world.commune_a.id}")
    assert f'<option value="{world.group_a1.id}">' in opened.get_data(as_text=True)
    found = client.get("/admin/suggestions/report?unit_q=gia+vien").get_data(as_text=True)
    assert f'<option value="{world.commune_b.id}"' in found
    assert f'<option value="{world.commune_a.id}"' not in found
