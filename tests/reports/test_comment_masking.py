"""The comment masking (reports/masking.py) against a corpus of real-looking comments."""

import json
import unicodedata
from pathlib import Path

import pytest

from reports.masking import mask_comment

CORPUS = json.loads(Path(__file__).with_name("comment_corpus.json").read_text(encoding="utf-8"))


def test_the_corpus_is_large_enough():
    assert len(CORPUS["masked"]) >= 60
    assert len(CORPUS["unchanged"]) >= 20


@pytest.mark.parametrize("case", CORPUS["masked"], ids=lambda case: case["text"][:40])
def test_personal_details_are_masked(case):
    masked = mask_comment(case["text"])
    assert masked == case["expected"]
    assert unicodedata.is_normalized("NFC", masked)
    assert mask_comment(masked) == masked      # masking twice (analytics, then PDF) is harmless


@pytest.mark.parametrize("text", CORPUS["unchanged"], ids=lambda text: text[:40])
def test_ordinary_sentences_stay_as_written(text):
    assert mask_comment(text) == text


def test_no_digit_of_a_personal_number_survives():
    for case in CORPUS["masked"]:
        masked = mask_comment(case["text"])
        for secret in ("912", "345", "678", "3825", "001092", "123456789", "1903", "3500205"):
            if secret in case["text"] and secret not in case["expected"]:
                assert secret not in masked, case["text"]
