"""Every page names its icon, and the icon is served: browsers asked /favicon.ico on each
page otherwise and logged a 404 in the console."""

import re

import pytest


@pytest.mark.parametrize("path", ["/login", "/y-kien/theo-doi"])
def test_pages_name_an_icon_that_is_served(client, path):
    html = client.get(path).get_data(as_text=True)
    href = re.search(r'<link rel="icon" type="image/png" href="([^"]+)"', html).group(1)
    icon = client.get(href)
    body = icon.get_data()
    icon.close()
    assert icon.status_code == 200 and icon.mimetype == "image/png"
    assert body.startswith(b"\x89PNG")
