"""The console's desk list at scale (issue 15): 50 desks a page with page links, a search by
unit name, a number of queries that does not grow with the desks, and a unit choice that
opens the tree a level at a time instead of listing every unit."""

import re

from server.kiosks.desks import create_desk
from tests.query_count import statements_of_get

DESK_LINK = re.compile(r'href="/admin/kiosks/\d+"')


def add_desks(factory, world, count: int, start: int = 0) -> None:
    """`count` desks, each at a commune of its own (so reading units one by one would show)."""
    for n in range(start, start + count):
        commune = factory.unit(f"Xã Số {n:03d}", "commune", parent=world.province)
        create_desk(world.users["admin"], commune, f"Bàn {n:03d}", [], 20)


def test_the_desk_list_is_paged_fifty_at_a_time(client, world, web_login, factory):
    add_desks(factory, world, 50)                       # with the world's desk: 51
    web_login(world.users["admin"])
    first = client.get("/admin/kiosks/").get_data(as_text=True)
    assert len(DESK_LINK.findall(first)) == 50
    assert "Các bàn (51)" in first and "Trang 1 / 2" in first
    assert 'href="/admin/kiosks/?page=2"' in first
    second = client.get("/admin/kiosks/?page=2").get_data(as_text=True)
    assert len(DESK_LINK.findall(second)) == 1 and "Trang 2 / 2" in second
    beyond = client.get("/admin/kiosks/?page=99").get_data(as_text=True)
    assert "Trang 2 / 2" in beyond                      # past the end: the last page
    for odd in ("0", "-1", "abc"):
        assert "Trang 1 / 2" in client.get(f"/admin/kiosks/?page={odd}").get_data(as_text=True)
    huge = client.get(f"/admin/kiosks/?page={'9' * 5000}")
    assert huge.status_code == 200 and "Trang 2 / 2" in huge.get_data(as_text=True)


def test_the_desk_list_is_searched_by_unit_name(client, world, web_login, factory):
    add_desks(factory, world, 3)
    web_login(world.users["admin"])
    found = client.get("/admin/kiosks/?q=x%C3%A3%20s%E1%BB%91%20001").get_data(as_text=True)
    assert "Bàn 001" in found and "Bàn 002" not in found and "Bộ phận một cửa" not in found
    assert "Các bàn (1)" in found


def test_the_list_page_reads_the_same_number_of_rows_whatever_the_desks(
        db, client, world, web_login, factory):
    add_desks(factory, world, 4)                        # with the world's desk: 5
    web_login(world.users["admin"])
    client.get("/admin/kiosks/")
    few = statements_of_get(client, "/admin/kiosks/")
    add_desks(factory, world, 55, start=4)              # 60
    client.get("/admin/kiosks/")
    many = statements_of_get(client, "/admin/kiosks/")
    assert few == many


def test_the_new_desk_form_opens_the_tree_a_level_at_a_time(client, world, web_login, factory):
    web_login(world.users["admin"])
    page = client.get("/admin/kiosks/").get_data(as_text=True)
    assert "Tỉnh Ninh Bình" in page and "Phường Hoa Lư" in page     # the top and its level
    assert "Tổ dân phố Đông Thịnh" not in page                     # two levels down: closed
    opened = client.get(f"/admin/kiosks/?unit={world.commune_a.id}").get_data(as_text=True)
    assert f'<option value="{world.commune_a.id}" selected>' in opened
    assert "Tổ dân phố Đông Thịnh" in opened
    found = client.get("/admin/kiosks/?unit_q=%C4%91%C3%B4ng%20th%E1%BB%8Bnh").get_data(as_text=True)
    assert f'<option value="{world.group_a1.id}">' in found and "Xã Gia Viễn" not in found


def test_an_official_chooses_only_among_the_units_of_their_commune(client, world, web_login):
    web_login(world.users["official_b"])
    page = client.get(f"/admin/kiosks/?unit={world.commune_a.id}").get_data(as_text=True)
    assert "Xã Gia Viễn" in page
    assert "Phường Hoa Lư" not in page and "Tỉnh Ninh Bình" not in page
    found = client.get("/admin/kiosks/?unit_q=%C4%91%C3%B4ng").get_data(as_text=True)
    assert "Tổ dân phố Đông Thịnh" not in found and "Không có đơn vị nào khớp." in found
