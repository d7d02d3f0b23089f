"""The edge of a submission batch: each item made safe to store, or refused on its own.

The schema has checked the item's types; what it lets through can still break a whole batch
further in: an id no column can hold (OverflowError on SQLite, DataError on PostgreSQL), a
time that overflows when moved to UTC or to local time, answers nested deeper than any form
allows (recursive code breaks on them), text a database refuses (NUL) or that cannot be
encoded at all (a lone surrogate). Such an item is cleaned here (text_hygiene decides what
is cleaned and what refused) or rejected with its reasons, before any query, so the rest of
the batch is stored and a phone never resends a batch that can only fail.

Answers have a bounded shape: each value is a scalar (text, number, true/false, null) or a
flat list of scalars (a select_multiple); nothing deeper is an answer to any question type.
"""

import math
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, tzinfo
from zoneinfo import ZoneInfo

from flask import current_app

from server.api_fields import ID_MAX, ID_MIN
from server.sync.text_hygiene import BrokenText, clean_text, needs_care

ID_FIELDS = ("round_id", "form_version_id", "unit_id")
TIME_FIELDS = ("started_at", "completed_at")

MESSAGES = {
    "id_out_of_range": ("Mã {field} của phiếu không hợp lệ. Hãy cập nhật ứng dụng và nhập lại phiếu.",
                        "The response's {field} is not a valid id. Update the app and enter "
                        "the response again."),
    "time_out_of_range": ("Thời gian {field} trên phiếu không hợp lệ. Hãy kiểm tra ngày giờ "
                          "của điện thoại.",
                          "The response's {field} is not a valid time. Check the phone's date "
                          "and time."),
    "answer_shape": ("Câu trả lời có dạng không hợp lệ: chỉ nhận một giá trị hoặc một danh "
                     "sách giá trị.",
                     "The answer has an invalid shape: only a value or a list of values is "
                     "accepted."),
    "invalid_number": ("Câu trả lời không phải là một số hợp lệ.", "The answer is not a valid number."),
    "invalid_text": ("Câu trả lời chứa ký tự bị lỗi (hiện thành “�”). Hãy sửa lại rồi gửi lại.",
                     "The answer contains a broken character (shown as “�”). Correct it and "
                     "send again."),
    "invalid_question_name": ("Phiếu có tên câu hỏi chứa ký tự bị lỗi. Hãy cập nhật ứng dụng.",
                              "A question name in the response contains a broken character. "
                              "Update the app."),
    "invalid_client_text": ("Thông tin thiết bị ({field}) chứa ký tự bị lỗi. Hãy cập nhật ứng dụng.",
                            "The device information ({field}) contains a broken character. "
                            "Update the app."),
}


@dataclass(slots=True)
class Admission:
    """An item as it may be stored (item), or its reasons for refusal (errors). `nfc`: its
    text is NFC already (content.prepare need not normalise it again)."""

    item: dict | None
    errors: list = field(default_factory=list)
    nfc: bool = False


def _error(code: str, question: str | None = None, **params) -> dict:
    vi, en = MESSAGES[code]
    return {"question": question, "code": code,
            "message": {"vi": vi.format(**params), "en": en.format(**params)}}


def _id_errors(item: dict) -> list:
    return [_error("id_out_of_range", field=name) for name in ID_FIELDS
            if not ID_MIN <= item[name] <= ID_MAX]


def local_zone() -> tzinfo:
    """The display time zone (the phone's "today"); looked up once per batch."""
    return ZoneInfo(current_app.config["DISPLAY_TIMEZONE"])


def _time_errors(item: dict, local: tzinfo) -> list:
    """Times must survive the moves the checks make: to UTC, and to local time (the phone's
    "today" for form logic)."""
    errors = []
    for name in TIME_FIELDS:
        moment = item.get(name)
        if moment is None:
            continue
        try:
            moment.astimezone(UTC)
            moment.astimezone(local)
        except OverflowError:
            errors.append(_error("time_out_of_range", field=name))
    return errors


class _Refused(Exception):
    def __init__(self, code: str):
        self.code = code


def _clean_scalar(value):
    if isinstance(value, str):
        try:
            return clean_text(value)
        except BrokenText:
            raise _Refused("invalid_text") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise _Refused("invalid_number")
    if value is None or isinstance(value, bool | int | float):
        return value
    raise _Refused("answer_shape")


def _clean_answer(value):
    """A scalar, or a flat list of scalars; anything nested deeper is refused (without
    walking it: no recursion, whatever its depth)."""
    if isinstance(value, list):
        return [_clean_scalar(item) for item in value]
    return _clean_scalar(value)


def _clean_answers(answers: dict) -> tuple[dict, list]:
    cleaned, errors = {}, []
    for name, value in answers.items():
        try:
            clean_name = clean_text(name)
        except BrokenText:
            errors.append(_error("invalid_question_name"))
            continue
        try:
            cleaned[clean_name] = _clean_answer(value)
        except _Refused as refused:
            errors.append(_error(refused.code, clean_name))
    return cleaned, errors


def _clean_client(client: dict) -> tuple[dict, list]:
    cleaned, errors = {}, []
    for name, value in client.items():
        if not isinstance(value, str):
            cleaned[name] = value
            continue
        try:
            cleaned[name] = clean_text(value)
        except BrokenText:
            errors.append(_error("invalid_client_text", field=name))
    return cleaned, errors


def _plain_texts(answers: dict, client: dict) -> list[str] | None:
    """Every text in the answers (names too) and the client info when each answer has its
    shape (a scalar, or a flat list of scalars) and no number is infinite; None otherwise."""
    texts = list(answers)
    for value in answers.values():
        for scalar in value if isinstance(value, list) else (value,):
            if isinstance(scalar, str):
                texts.append(scalar)
            elif isinstance(scalar, float):
                if not math.isfinite(scalar):
                    return None
            elif not (scalar is None or isinstance(scalar, bool | int)):
                return None
    texts.extend(client)
    texts.extend(value for value in client.values() if isinstance(value, str))
    return texts


def _stored_as_sent(answers: dict, client: dict) -> bool:
    """Whether cleaning would keep every text as it is and it is NFC already: the usual
    case, told by one scan of all the text joined. LF joins them: the cleaning keeps it,
    and it neither composes nor reorders with its neighbours, so the whole is NFC exactly
    when every part is."""
    texts = _plain_texts(answers, client)
    if texts is None:
        return False
    joined = "\n".join(texts)
    return not needs_care(joined) and (joined.isascii() or unicodedata.is_normalized("NFC", joined))


def admit(item: dict, local: tzinfo | None = None) -> Admission:
    """A loaded SubmissionSchema item, cleaned for storing, or refused with every reason."""
    errors = _id_errors(item) + _time_errors(item, local or local_zone())
    client = dict(item.get("client") or {})
    if _stored_as_sent(item["answers"], client):
        if errors:
            return Admission(None, errors)
        return Admission({**item, "answers": dict(item["answers"]), "client": client}, nfc=True)
    answers, answer_errors = _clean_answers(item["answers"])
    client, client_errors = _clean_client(client)
    errors += answer_errors + client_errors
    if errors:
        return Admission(None, errors)
    return Admission({**item, "answers": answers, "client": client})
