"""Khmer report strings (reports/i18n_km.py) and Khmer form labels (LocalText)."""

import string

import pytest

from reports import i18n
from reports.i18n import LANGUAGES, check_language, string_keys, t
from reports.i18n_km import KHMER
from reports.scripts import has_khmer
from reports.styles import clean
from reports.summary import LocalText

_FIELDS = string.Formatter()


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in _FIELDS.parse(text) if name is not None}


def test_khmer_is_a_report_language():
    assert LANGUAGES == ("vi", "en", "km")
    assert check_language("km") == "km"
    with pytest.raises(ValueError):
        check_language("fr")


def test_every_report_string_has_a_khmer_translation():
    # Other areas add strings to reports/i18n.py: each needs its Khmer here (a missing one
    # would print in Vietnamese in a Khmer report, see t()).
    missing = [key for key in string_keys() if not KHMER.get(key)]
    assert missing == [], f"report strings without Khmer in reports/i18n_km.py: {missing}"


def test_no_khmer_translation_of_a_string_that_does_not_exist():
    assert sorted(set(KHMER) - set(string_keys())) == []


@pytest.mark.parametrize("key", string_keys())
def test_khmer_keeps_the_placeholders_and_is_khmer(key):
    vietnamese, english = i18n._STRINGS[key]
    assert _placeholders(KHMER[key]) == _placeholders(vietnamese)
    # every character of it is drawn by an embedded font (nothing dropped by clean)
    assert clean(KHMER[key]) == KHMER[key].replace("\n", " ")
    if vietnamese != english:       # not a language-neutral "N={n}" or "Lắng Nghe"
        assert has_khmer(KHMER[key]), key   # not left in Vietnamese or English


def test_t_uses_khmer_and_fills_the_values():
    assert t("page_of", "km", page=2, pages=9) == "ទំព័រ 2/9"
    assert t("notice_threshold", "km", k=5) == "កម្រិតផ្សព្វផ្សាយ៖ k = 5 សន្លឹកឆ្លើយ។"


def test_a_string_without_khmer_falls_back_to_vietnamese(monkeypatch):
    monkeypatch.delitem(KHMER, "summary")
    assert t("summary", "km") == t("summary", "vi") == "Tóm tắt kết quả"


def test_local_text_in_khmer_falls_back_to_vietnamese():
    label = LocalText.of({"vi": "Hài lòng", "en": "Satisfied", "km": "ពេញចិត្ត"})
    assert (label.text("vi"), label.text("en"), label.text("km")) == \
        ("Hài lòng", "Satisfied", "ពេញចិត្ត")
    # a form with no Khmer label prints its Vietnamese one in a Khmer report
    assert LocalText.of({"vi": "Hài lòng", "en": "Satisfied"}).text("km") == "Hài lòng"
    assert LocalText("Hài lòng").text("km") == "Hài lòng"
    assert LocalText.of("Nam").km == ""
