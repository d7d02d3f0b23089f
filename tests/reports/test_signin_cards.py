"""Sign-in cards PDF (reports/signin_cards.py): A4, eight cards a page, Vietnamese text as
written, and a QR code that reads back as the card's link."""

import secrets
import shutil
import subprocess
import unicodedata
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from reports.signin_cards import SigninCard, render_signin_cards
from tests.reports.conftest import pdf_text, squash

NAMES = ["Nguyễn Thị Lan", "Trần Văn Bình", "Lê Thị Hồng Nhung", "Phạm Đức Thắng",
         "Hoàng Thị Thu Hà", "Vũ Quang Huy", "Đặng Thị Ngọc Ánh", "Bùi Văn Dũng", "Đỗ Thị Yến"]
UNITS = [["Tổ dân phố 1"], ["Tổ dân phố 2", "Thôn Đồng Tâm"], ["Khu phố Hòa Bình"]]


def _cards(count: int, base: str = "https://langnghe.example.vn") -> list[SigninCard]:
    return [SigninCard(name=NAMES[n % len(NAMES)], username=f"tnv.{n}", units=UNITS[n % 3],
                       url=f"{base}/app/#signin={secrets.token_urlsafe(32)}",
                       expires_on=date(2026, 7, 30)) for n in range(count)]


def test_nine_people_make_two_a4_pages_with_every_name_and_unit():
    cards = _cards(9)
    pdf = render_signin_cards(cards)
    pages = PdfReader(BytesIO(pdf)).pages
    assert len(pages) == 2
    for page in pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)            # A4 in points
    text = squash(pdf_text(pdf))
    assert unicodedata.is_normalized("NFC", text)
    for card in cards:
        assert card.name in text and f"tnv.{cards.index(card)}" in text
        for unit in card.units:
            assert unit in text
    assert "Mở camera điện thoại, quét mã, ứng dụng sẽ tự đăng nhập" in text
    assert "Mã dùng một lần, hết hạn ngày 30/07/2026" in text


def test_eight_cards_fill_one_page_in_order():
    cards = _cards(8)
    reader = PdfReader(BytesIO(render_signin_cards(cards)))
    assert len(reader.pages) == 1
    text = squash(reader.pages[0].extract_text())
    assert all(f"tnv.{n}" in text for n in range(8))


def test_each_link_is_printed_under_its_code():
    cards = _cards(9, base="http://127.0.0.1:5000")
    text = "".join(pdf_text(render_signin_cards(cards)).split())
    for card in cards:
        assert card.url in text


def test_decomposed_and_undrawable_text_is_drawn_clean():
    card = SigninCard(name=unicodedata.normalize("NFD", "Nguyễn Thị Lan") + " \x00😀",
                      username="tnv.lan", units=["Tổ <b>1</b> & 2"],
                      url="https://x.vn/app/#signin=" + "a" * 43, expires_on=date(2026, 1, 2))
    text = squash(pdf_text(render_signin_cards([card])))
    assert "Nguyễn Thị Lan" in text and "\x00" not in text
    assert "Tổ <b>1</b> & 2" in text


def test_no_cards_is_an_error():
    with pytest.raises(ValueError):
        render_signin_cards([])


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm (poppler-utils)")
def test_the_qr_codes_read_back_as_the_links(tmp_path):
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    cards = _cards(3)
    (tmp_path / "cards.pdf").write_bytes(render_signin_cards(cards))
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(tmp_path / "cards.pdf"),
                    str(tmp_path / "page")], check=True)
    found = {result.text for result in zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))}
    assert found == {card.url for card in cards}
