"""Masking of personal details in residents' comments, before a comment leaves the system.

One function, `mask_comment`, used wherever a comment is printed (the PDF, the officials'
page) and by the analytics that collect them. What it masks, and nothing more (the
methodology text of the report says exactly this):
- e-mail addresses -> "[email]";
- phone numbers, mobile and landline, in the usual forms ("(+84) 912-345-678",
  "+84 912345678", "0912.345.678", "024 3825 1234"), 9-digit CMND and 12-digit CCCD numbers,
  and bank account numbers (10-19 digits, not a "mã hồ sơ" reference): every digit -> "*";
- house addresses: "số nhà 34", "nhà số 7", "số 12 ngõ 5", ngõ / ngách / hẻm / kiệt with a
  number -> "[địa chỉ]" ("tổ 5", a residential group, is not personal and stays);
- a personal name after a title or kinship word (anh, chị, ông, bà, cô, chú, bác, em, cháu,
  cán bộ, đồng chí): the capitalised words that follow -> "[tên]" ("chị Nguyễn Thị Lan" ->
  "chị [tên]").
Money ("100.000.000 đồng"), dates, counts and place names stay as written.
Pure Python: no Flask, no database.
"""

from __future__ import annotations

import re
import unicodedata

EMAIL_MASK = "[email]"
ADDRESS_MASK = "[địa chỉ]"
NAME_MASK = "[tên]"

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

# --- numbers -----------------------------------------------------------------------------
# A run of digit groups joined by one space, dot or dash, optionally after a "(+84)" /
# "(024)" prefix or a "+"; each run is then judged by its digits (see _judge_number).
_NUMBER = re.compile(r"(?<![\w.,/])(?:\(\s*\+?\d{1,4}\s*\)\s?|\+)?\d+(?:[ .\-]\d+)*(?![\w/])")
_CURRENCY_AFTER = re.compile(r"\s*(?:đồng|đ|vnđ|vnd|triệu|tr|nghìn|ngàn|tỷ|usd|\$|%)(?!\w)",
                             re.IGNORECASE)
_MONEY = re.compile(r"[1-9]\d{0,2}(?:[.,]\d{3})+")
_REFERENCE_BEFORE = re.compile(r"\bmã(?:\s+\w+){0,3}\s*:?\s*$", re.IGNORECASE)


def _hide_digits(text: str) -> str:
    return re.sub(r"\d", "*", text)


def _is_personal_number(match: re.Match[str], text: str) -> bool:
    run = match.group(0)
    if _CURRENCY_AFTER.match(text, match.end()):
        return False
    digits = re.sub(r"\D", "", run)
    if not run.startswith(("+", "(")) and _MONEY.fullmatch(run):
        return False
    if digits.startswith("84") and len(digits) in (11, 12):
        return True                                          # +84 and 9-10 digits
    if digits.startswith("0") and len(digits) in (10, 11):
        return True                                          # mobile or landline
    if len(digits) in (9, 12):
        return True                                          # CMND, CCCD
    if 10 <= len(digits) <= 19:
        # a bank account, unless it is a file reference ("mã hồ sơ 1234567890")
        return not _REFERENCE_BEFORE.search(text, 0, match.start())
    return False


def _mask_numbers(text: str) -> str:
    return _NUMBER.sub(lambda m: _hide_digits(m.group(0)) if _is_personal_number(m, text)
                       else m.group(0), text)


# --- house addresses ---------------------------------------------------------------------
_HOUSE_NUMBER = r"\d+[a-zA-Z]?(?:/\d+[a-zA-Z]?)*"
_ADDRESS_PART = (rf"(?:số\s+nhà|nhà\s+số|số|ngõ|ngách|hẻm|kiệt)\s*{_HOUSE_NUMBER}")
_ADDRESS = re.compile(rf"(?<!\w){_ADDRESS_PART}(?:\s*,?\s+{_ADDRESS_PART})*(?!\w)",
                      re.IGNORECASE)
_STREET_AFTER = re.compile(r"\s*,?\s+(?:đường|phố|ấp|khu)\s", re.IGNORECASE)
_BARE_NUMBER = re.compile(r"số\s+\d+", re.IGNORECASE)


def _mask_address(match: re.Match[str], text: str) -> str:
    found = match.group(0)
    # "số 12" alone is a count or a rank ("số 2 người"): an address only beside a lane or a
    # street, or with a slash ("số 12/3")
    if (_BARE_NUMBER.fullmatch(found) and not _STREET_AFTER.match(text, match.end())):
        return found
    return ADDRESS_MASK


# --- names after a title -----------------------------------------------------------------
_TITLE = re.compile(r"(?<!\w)(?:cán\s+bộ|đồng\s+chí|anh|chị|ông|bà|cô|chú|bác|em|cháu)(?!\w)",
                    re.IGNORECASE)
_WORD_AFTER = re.compile(r"\s+([^\W\d_]+)")
# Capitalised words after a title that start an office, a role or a place, not a name
# ("cán bộ Văn phòng", "ông Chủ tịch", "anh Công an xã"); checked on the first word(s) only,
# as "Văn" and "Thị" are also common middle names.
_NOT_NAME_STARTS = re.compile(
    r"(?:phường|xã|thôn|ấp|bản|tổ|khu|huyện|quận|tỉnh|thành phố|thị trấn|thị xã|đường|phố"
    r"|ngõ|chủ tịch|phó|bí thư|trưởng|công an|công chức|cán bộ|ủy ban|văn phòng|văn hóa"
    r"|địa chính|tư pháp|một cửa|hội|mặt trận|đảng|nhà nước|trạm|trung tâm|bộ phận|sở|phòng"
    r"|ubnd|mttq|hđnd)(?!\w)", re.IGNORECASE)
_PLACE_WORDS_BEFORE = re.compile(
    r"(?<!\w)(?:phường|xã|thôn|ấp|bản|khu|huyện|quận|tỉnh|thành phố|thị trấn|đường|phố|chợ"
    r"|chùa|đình|sông|núi|làng|xóm)\s+$", re.IGNORECASE)
# A title and a first word that together name a place or a public figure, not a resident.
_NOT_RESIDENTS = frozenset({("bà", "rịa"), ("bà", "chiểu"), ("bà", "điểm"), ("bà", "đen"),
                            ("bà", "triệu"), ("bà", "quẹo"), ("bác", "hồ")})


def _is_name_word(word: str) -> bool:
    return word[0].isupper() and not (len(word) > 1 and word.isupper())


def _mask_names(text: str) -> str:
    pieces, position = [], 0
    for title in _TITLE.finditer(text):
        if title.start() < position or _PLACE_WORDS_BEFORE.search(text, 0, title.start()):
            continue
        after = len(text) - len(text[title.end():].lstrip())
        if _NOT_NAME_STARTS.match(text, after):
            continue
        end, words = title.end(), []
        while (word := _WORD_AFTER.match(text, end)) and _is_name_word(word.group(1)):
            words.append(word.group(1))
            end = word.end()
        if not words:
            continue
        if (title.group(0).casefold(), words[0].casefold()) in _NOT_RESIDENTS:
            continue
        pieces.append(text[position:title.end()] + " " + NAME_MASK)
        position = end
    return "".join(pieces) + text[position:]


def mask_comment(text: str) -> str:
    """The comment in NFC with e-mails, personal numbers, house addresses and names after a
    title masked."""
    text = unicodedata.normalize("NFC", text)
    text = _EMAIL.sub(EMAIL_MASK, text)
    text = _ADDRESS.sub(lambda m: _mask_address(m, text), text)
    text = _mask_numbers(text)
    return _mask_names(text)


def mask_personal_numbers(text: str) -> str:
    """Only the numbers (phones, ID and bank account numbers): digits -> '*'."""
    return _mask_numbers(text)
