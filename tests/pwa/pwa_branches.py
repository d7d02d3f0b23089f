"""The two branches of the default form's skip logic, found from its definition."""

import json

from pwa_live_site import DEFAULT_FORM


def _walk(questions):
    for question in questions:
        yield question
        yield from _walk(question.get("questions", []))


def branch_plans(site) -> tuple[dict, dict]:
    """Two answer plans: one where the first `relevant` rule that depends on a select_one
    is true, one where it is false."""
    definition = json.loads(DEFAULT_FORM.read_text(encoding="utf-8"))
    questions = {q["name"]: q for q in _walk(definition["questions"])}
    for question in _walk(definition["questions"]):
        rule = question.get("relevant", "")
        for name, source in questions.items():
            if source["type"] != "select_one" or f"${{{name}}}" not in rule:
                continue
            values = [c["value"] for c in definition["choice_lists"][source["choices"]]]
            for value in values:
                if f"'{value}'" in rule or f'"{value}"' in rule:
                    other = next(v for v in values if v != value)
                    return {name: value}, {name: other}
    raise AssertionError("the default form has no select_one skip logic to test")
