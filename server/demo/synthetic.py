"""Plausible random answers to any form definition (the demo, the benchmarks, the tests).

`mood` (0..1) is about the share of satisfied likert answers; answers go through the same
validation as a synced response, so what is stored is what the sync would store.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass

from server.forms.compiled import walk_questions
from server.forms.validation import validate_response

LIKERT_LEVELS = ("1", "2", "3", "4", "5")


@dataclass(frozen=True, slots=True)
class CleanAnswers:
    answers: dict
    skipped: list


def _likert(rng: random.Random, mood: float, allow_na: bool) -> str:
    """About `mood` of the answers satisfied (4 or 5); the rest mostly neutral."""
    if allow_na and rng.random() < 0.06:
        return "na"
    if rng.random() < mood:
        return "5" if rng.random() < 0.35 else "4"
    draw = rng.random()
    return "3" if draw < 0.55 else "2" if draw < 0.85 else "1"


def _item_bias(name: str) -> float:
    """A fixed lean per question (-0.12..+0.08) so that items differ from each other."""
    return (zlib.crc32(name.encode()) % 21) / 100 - 0.12


def _choice_values(definition: dict, question: dict) -> list[str]:
    return [str(c["value"]) for c in (definition.get("choice_lists") or {}).get(
        question.get("choices"), [])]


def random_raw_answers(definition: dict, rng: random.Random, mood: float,
                       comments: list[str] = (), comment_rate: float = 0.15,
                       skip_rate: float = 0.03) -> dict:
    """Raw answers for every answerable question (logic is applied by validation)."""
    answers: dict = {}
    incidents = {raw.get("question") for raw in (definition.get("report") or {}).get("incidents", [])}
    for entry in walk_questions(definition):
        question, kind, name = entry["question"], entry["type"], entry["name"]
        if not question.get("required") and rng.random() < skip_rate:
            continue
        values = _choice_values(definition, question)
        if kind == "likert":
            answers[name] = _likert(rng, min(max(mood + _item_bias(name), 0.0), 1.0),
                                   bool(question.get("allow_na")))
        elif kind == "select_one" and values:
            if name in incidents:
                # "3 không" incidents: rarer in a better mood
                answers[name] = "yes" if rng.random() < 0.3 * (1 - mood) else "no"
            elif set(values) == {"yes", "no"}:
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
