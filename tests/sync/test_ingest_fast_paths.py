"""The upload's fast paths answer exactly as the general ones (issue 15): the batch loaded
without marshmallow's machinery when every item is plain, text kept as sent when nothing in
it needs cleaning or normalising, and a batch mixing every outcome answered item by item."""

import math
import unicodedata
import uuid as uuid_lib
from zoneinfo import ZoneInfo

import marshmallow as ma
import pytest
from sqlalchemy import func, select
from sync_support import statuses, submit, valid_answers

from server.forms.models import FormVersion
from server.sync.content import nfc, prepare
from server.sync.form_checks import form_checks
from server.sync.intake import admit
from server.sync.models import Response, ResponseConflict
from server.sync.schemas import SubmissionList, SubmissionSchema, plain_submission

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
UUID = "0f8fad5b-d9cb-469f-a165-70867728950e"


def _item(**fields) -> dict:
    item = {"uuid": UUID, "round_id": 3, "form_version_id": 2, "unit_id": 7,
            "started_at": "2026-03-02T08:01:00+07:00", "completed_at": "2026-03-02T08:10:00+07:00",
            "answers": {"sex": "female", "visits": 2, "reasons": ["a", "b"], "note": None},
            "client": {"app_version": "1.2.0", "device": "Redmi 9A"}}
    item.update(fields)
    return {key: value for key, value in item.items() if value is not ...}


PLAIN = [
    _item(),
    _item(uuid=UUID.upper()),
    _item(uuid="{" + UUID + "}"),
    _item(started_at=None),
    _item(started_at=...),  # left out
    _item(completed_at="2026-03-02T01:10:00"),  # no zone: UTC
    _item(completed_at="2026-03-02T01:10:00Z"),
    _item(completed_at="2026-03-02T01:10:00.123456-05:30"),
    _item(client=...),
    _item(client={}),
    _item(client={"app_version": "x" * 64, "device": "d" * 200, "newer_field": 1}),
    _item(extra="ignored by the schema"),
    _item(round_id=0, unit_id=-5, form_version_id=10 ** 30),  # out of range: the edge refuses it
    _item(answers={}),
]

NOT_PLAIN = [
    "not an object",
    _item(uuid="not-a-uuid"),
    _item(uuid=...),
    _item(uuid=5),
    _item(round_id=True),
    _item(unit_id=7.0),
    _item(form_version_id="2"),
    _item(round_id=None),
    _item(started_at=""),
    _item(started_at="yesterday"),
    _item(started_at=12),
    _item(completed_at=None),
    _item(completed_at=...),
    _item(answers=["a"]),
    _item(answers=None),
    _item(client=None),
    _item(client={"app_version": "x" * 65}),
    _item(client={"device": 9}),
]


def _schema_load(item):
    try:
        return SubmissionSchema().load(item)
    except ma.ValidationError as error:
        return error.messages


@pytest.mark.parametrize("item", PLAIN)
def test_a_plain_item_loads_as_the_schema_loads_it(item):
    loaded = plain_submission(item)
    assert loaded == SubmissionSchema().load(item)
    assert list(loaded) == list(SubmissionSchema().load(item))  # same keys, same order
    assert loaded["completed_at"].tzinfo is not None


@pytest.mark.parametrize("item", NOT_PLAIN)
def test_anything_else_is_left_to_the_schema(item):
    assert plain_submission(item) is None


@pytest.mark.parametrize("odd", NOT_PLAIN)
def test_a_batch_with_one_odd_item_gets_exactly_the_schemas_answer(odd):
    batch = [_item(), odd, _item(uuid=str(uuid_lib.uuid4()))]
    general = ma.fields.List(ma.fields.Nested(SubmissionSchema))

    def outcome(field):
        try:
            return field.deserialize(batch)
        except ma.ValidationError as error:
            return error.messages, error.valid_data

    assert outcome(SubmissionList()) == outcome(general)
    assert SubmissionList().deserialize(PLAIN) == general.deserialize(PLAIN)


def _loaded(answers: dict, client: dict | None = None) -> dict:
    return SubmissionSchema().load(_item(answers=answers, client=client or {"device": "Redmi 9A"}))


NFD = unicodedata.normalize("NFD", "Cán bộ nhiệt tình")
TEXT_CASES = [
    # (answers sent, answers stored); None: refused
    ({"a": "yes", "n": 3, "f": 1.5, "b": True, "z": None}, {"a": "yes", "n": 3, "f": 1.5, "b": True, "z": None}),
    ({"c": "Cán bộ nhiệt tình", "m": ["một", "hai"]}, {"c": "Cán bộ nhiệt tình", "m": ["một", "hai"]}),
    ({"c": NFD}, {"c": "Cán bộ nhiệt tình"}),
    ({unicodedata.normalize("NFD", "câu"): "x"}, {"câu": "x"}),
    ({"c": "tab\tand\nline"}, {"c": "tab\tand\nline"}),
    ({"c": "old\r\nbreaks\r"}, {"c": "old\nbreaks\n"}),
    ({"c": "bell\x07 and nul\x00"}, {"c": "bell and nul"}),
    ({"q": "\u0301"}, {"q": "\u0301"}),  # a lone combining mark after a name: kept as sent
    ({"c": "e", "d": "\u0301"}, {"c": "e", "d": "\u0301"}),  # never composed across answers
    ({"m": ["a", "\u0065\u0301"]}, {"m": ["a", "é"]}),
    ({"c": "broken \ud800"}, None),
    ({"\udc00": "x"}, None),
    ({"f": math.inf}, None),
    ({"m": [["nested"]]}, None),
    ({"d": {"deep": 1}}, None),
]


@pytest.mark.parametrize(("sent", "stored"), TEXT_CASES)
def test_answers_are_stored_cleaned_and_nfc_whichever_path_takes_them(sent, stored):
    admission = admit(_loaded(sent), ZONE)
    if stored is None:
        assert admission.item is None and admission.errors
        return
    submission = prepare(admission.item, admission.nfc)
    assert submission.answers == stored
    assert list(submission.answers) == list(stored)
    # the same as normalising again from scratch: nothing NFC-sensitive slipped through
    assert submission.answers == nfc(submission.answers)
    assert submission.content_hash == prepare(admission.item).content_hash


def test_client_text_is_cleaned_and_normalised_too():
    admission = admit(_loaded({"a": "yes"}, {"device": unicodedata.normalize("NFD", "Điện thoại\r")}), ZONE)
    assert prepare(admission.item, admission.nfc).client == {"app_version": "", "device": "Điện thoại\n"}
    refused = admit(_loaded({"a": "yes"}, {"device": "x\ud800"}), ZONE)
    assert refused.item is None and refused.errors[0]["code"] == "invalid_client_text"


def test_out_of_range_ids_are_refused_with_plain_answers():
    admission = admit(SubmissionSchema().load(_item(round_id=0)), ZONE)
    assert admission.item is None
    assert [error["code"] for error in admission.errors] == ["id_out_of_range"]


def _count(db, model, **where) -> int:
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.session.scalar(query)


def test_a_batch_mixing_every_outcome_is_answered_item_by_item(client, db, area):
    stored_same = area.item(answers=valid_answers(21))
    stored_other = area.item(answers=valid_answers(22))
    assert statuses(submit(client, area, [stored_same, stored_other])) == ["created", "created"]

    new = area.item(answers=valid_answers(23))
    twice = area.item(answers=valid_answers(24))
    twice_changed = {**twice, "answers": valid_answers(25)}
    resent = {**stored_same, "client": {"app_version": "2.0.0", "device": "Redmi 9A"}}
    changed = {**stored_other, "answers": valid_answers(26)}
    broken = area.item(answers={**valid_answers(27), "other_comments": "x\ud800"})
    invalid = area.item(answers={**valid_answers(28), "age_band": "200_plus"})
    elsewhere = area.item(answers=valid_answers(29), unit=area.other_group)
    cleaned = area.item(answers={**valid_answers(30), "other_comments": "Cán bộ\x00 tốt\r\nlắm"})
    batch = [new, twice, resent, twice_changed, changed, broken, invalid, elsewhere, twice, cleaned]

    results = submit(client, area, batch).get_json()["results"]
    assert [r["status"] for r in results] == ["created", "created", "duplicate", "conflict", "conflict",
                                              "rejected", "rejected", "rejected", "duplicate", "created"]
    assert [r["uuid"] for r in results] == [item["uuid"] for item in batch]
    assert results[5]["errors"][0]["code"] == "invalid_text"
    assert results[6]["errors"][0]["code"] == "not_in_choices"
    assert results[7]["errors"][0]["code"] == "unit_not_assigned"
    assert _count(db, Response) == 5
    assert _count(db, ResponseConflict) == 2
    assert _count(db, Response, uuid=broken["uuid"]) == 0
    stored = db.session.scalar(select(Response).where(Response.uuid == cleaned["uuid"]))
    assert stored.answers["other_comments"] == "Cán bộ tốt\nlắm"

    # the whole batch again: every stored item a duplicate, the conflicts not kept twice
    again = submit(client, area, batch).get_json()["results"]
    assert [r["status"] for r in again] == ["duplicate", "duplicate", "duplicate", "conflict", "conflict",
                                            "rejected", "rejected", "rejected", "duplicate", "duplicate"]
    assert _count(db, Response) == 5
    assert _count(db, ResponseConflict) == 2


def test_a_form_definition_is_read_once_and_again_when_its_hash_changes(db, area):
    version_id = area.round.form_version_id
    first, again = form_checks({version_id})[version_id], form_checks({version_id})[version_id]
    assert again.definition is first.definition  # held, not read again
    version = db.session.get(FormVersion, version_id)
    assert first.content_hash == version.content_hash and first.definition == version.definition
    # a draft edited in place gets a new hash: the new definition is read
    db.session.execute(FormVersion.__table__.update().where(FormVersion.id == version_id)
                       .values(definition={**version.definition, "title": "Edited"}, content_hash="e" * 64))
    edited = form_checks({version_id})[version_id]
    assert edited.content_hash == "e" * 64 and edited.definition["title"] == "Edited"
    assert form_checks({version_id, 10 ** 9}).keys() == {version_id}
