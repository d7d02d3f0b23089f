import copy
import json
import random
from pathlib import Path

from server.forms.compiled import compiled_form
from server.forms.logic import apply_logic
from server.forms.validation import validate_response

ROOT = Path(__file__).resolve().parents[2]
DEFAULT = json.loads((ROOT / "forms" / "resident_survey.json").read_text("utf-8"))
TODAY = "2025-07-15"
PROFILE = {"age_band": "45_59", "sex": "female", "overall_satisfaction": "4", "compared_6_months": "better"}
FIVE_KNOWS = {name: "4" for name in ("know_listen", "know_explain", "know_trust", "know_apologise",
                                     "know_thank")}
SERVICES = {name: "5" for name in ("access_location", "access_facilities", "access_online",
                                   "proc_public", "proc_documents", "proc_fees", "off_attitude",
                                   "off_guidance", "off_competence", "res_on_time", "res_correct",
                                   "fb_channels", "fb_handling")}
THREE_NOS = {"harassment": "no", "avoided_responsibility": "no", "missed_appointment": "yes",
             "missed_detail": "Trễ 3 ngày, không có thư xin lỗi"}


def test_resident_who_did_not_deal_with_the_commune():
    answers = {**PROFILE, **FIVE_KNOWS, "dealt_with_commune": "no", "access_location": "2",
               "harassment": "yes"}
    result = validate_response(DEFAULT, answers, TODAY)
    assert result.errors == []
    assert "access_location" not in result.answers and "harassment" not in result.answers
    assert "access_location" in result.skipped and "harassment_detail" in result.skipped
    assert "overall_satisfaction" not in result.skipped


def test_resident_who_dealt_with_the_commune_must_rate_the_services():
    answers = {**PROFILE, **FIVE_KNOWS, "dealt_with_commune": "yes"}
    codes = {(e["question"], e["code"]) for e in validate_response(DEFAULT, answers, TODAY).errors}
    assert ("access_location", "required") in codes and ("harassment", "required") in codes
    complete = {**answers, **SERVICES, **THREE_NOS, "fb_handling": "na"}
    result = validate_response(DEFAULT, complete, TODAY)
    assert result.errors == []
    assert result.answers["fb_handling"] == "na"
    assert result.skipped == ["harassment_detail", "avoided_detail"]


def test_messages_are_vietnamese_and_english():
    result = validate_response(DEFAULT, {"sex": "nam", "zzz": 1}, TODAY)
    by_question = {e["question"]: e for e in result.errors}
    assert by_question["sex"]["code"] == "not_in_choices"
    assert by_question["sex"]["message"] == {"vi": "Giá trị không có trong các lựa chọn: nam.",
                                             "en": "Not one of the choices: nam."}
    assert by_question["zzz"]["code"] == "unknown_question"
    assert by_question["age_band"]["message"]["vi"] == "Câu hỏi này bắt buộc phải trả lời."


def test_compiled_once_per_content():
    first = compiled_form(DEFAULT)
    assert compiled_form(DEFAULT) is first
    assert compiled_form(copy.deepcopy(DEFAULT)) is first  # same content hash


def test_apply_logic_and_validation_agree_on_random_responses():
    rng = random.Random(7)
    lists = DEFAULT["choice_lists"]
    from server.forms.compiled import walk_questions
    questions = [e for e in walk_questions(DEFAULT) if "choices" in e["question"]]
    for _ in range(200):
        answers = {e["name"]: rng.choice([c["value"] for c in lists[e["question"]["choices"]]])
                   for e in questions if rng.random() < 0.9}
        result = validate_response(DEFAULT, answers, TODAY)
        logic = apply_logic(DEFAULT, answers, TODAY)
        assert result.answers == logic["answers"] and result.skipped == logic["skipped"]
        assert set(result.answers) <= logic["visible"]
        assert not set(result.answers) & set(result.skipped)


def test_non_object_answers_are_refused_quietly():
    result = validate_response(DEFAULT, ["not", "answers"], TODAY)
    assert {e["code"] for e in result.errors} == {"required"}
