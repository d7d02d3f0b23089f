"""Plausible random answers to any form definition (the demo, the benchmarks, the tests).

`mood` (0..1) moves likert answers towards satisfied; answers go through the same
validation as a synced response, so what is stored is what the sync would store.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from server.forms.compiled import walk_questions
from server.forms.validation import validate_response

LIKERT_LEVELS = ("1", "2", "3", "4", "5")


@dataclass(frozen=True, slots=True)
class CleanAnswers:
    answers: dict
    skipped: list


def _likert(rng: random.Random, mood: float, allow_na: bool) -> str:
    if allow_na and rng.random() < 0.06:
        return "na"
    # a triangular draw centred by the mood: 0.5 is middling, 0.8 mostly satisfied
    centre = 1 + 4 * mood
    level = round(rng.triangular(0.6, 5.4, centre))
    return LIKERT_LEVELS[min(max(level, 1), 5) - 1]


def _choice_values(definition: dict, question: dict) -> list[str]:
    return [str(c["value"]) for c in (definition.get("choice_lists") or {}).get(
        question.get("choices"), [])]


def random_raw_answers(definition: dict, rng: random.Random, mood: float,
                       comments: list[str] = (), comment_rate: float = 0.15,
                       skip_rate: float = 0.03) -> dict:
    """Raw answers for every answerable question (logic is applied by validation)."""
    answers: dict = {}
    for entry in walk_questions(definition):
        question, kind, name = entry["question"], entry["type"], entry["name"]
        if not question.get("required") and rng.random() < skip_rate:
            continue
        values = _choice_values(definition, question)
        if kind == "likert":
            answers[name] = _likert(rng, mood, bool(question.get("allow_na")))
        elif kind == "select_one" and values:
            if set(values) == {"yes", "no"}:
                # yes/no incident questions: a bad mood reports more incidents
                answers[name] = "yes" if rng.random() < 0.35 * (1 - mood) else "no"
                if values[0] == "yes" and question.get("required"):
                    answers[name] = "yes" if rng.random() < 0.7 else "no"
            else:
                answers[name] = rng.choice(values)
        elif kind == "select_multiple" and values:
            chosen = [v for v in values if rng.random() < 0.45] or [rng.choice(values)]
            answers[name] = chosen
        elif kind in ("integer", "decimal"):
            low, high = question.get("min", 0), question.get("max", 10)
            answers[name] = rng.randint(int(low), int(min(high, low + 8)))
        elif kind == "text" and comments and rng.random() < comment_rate:
            answers[name] = rng.choice(comments)
    return answers


def clean_answers(definition: dict, raw: dict, today: str | None = None) -> CleanAnswers:
    """The stored form of `raw`; an answer a form's constraint refuses is left out."""
    result = validate_response(definition, raw, today)
    if result.errors:
        refused = {error["question"] for error in result.errors}
        raw = {name: value for name, value in raw.items() if name not in refused}
        result = validate_response(definition, raw, today)
    if result.errors:
        raise ValueError(f"generated answers do not validate: {result.errors}")
    return CleanAnswers(result.answers, list(result.skipped))
