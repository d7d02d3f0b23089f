"""Validates 10,000 generated responses of the default form on one core; prints the figure.

Run: .venv/bin/python bench/validate.py [COUNT]
"""

import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from server.forms.compiled import walk_questions  # noqa: E402
from server.forms.validation import validate_response  # noqa: E402


def generate(definition: dict, count: int, seed: int = 3) -> list[dict]:
    rng = random.Random(seed)
    lists = definition["choice_lists"]
    entries = [e for e in walk_questions(definition) if e["type"] not in ("group", "note")]
    responses = []
    for _ in range(count):
        answers = {}
        for entry in entries:
            question = entry["question"]
            if entry["type"] in ("select_one", "likert"):
                values = [choice["value"] for choice in lists[question["choices"]]]
                if question.get("allow_na"):
                    values.append("na")
                answers[entry["name"]] = rng.choice(values)
            elif entry["type"] == "text" and rng.random() < 0.3:
                answers[entry["name"]] = "Cán bộ nhiệt tình, nhưng phải chờ lâu."
        responses.append(answers)
    return responses


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    definition = json.loads((ROOT / "forms" / "resident_survey.json").read_text("utf-8"))
    responses = generate(definition, count)
    validate_response(definition, responses[0], "2025-07-15")  # compile once, outside the timing
    started = time.perf_counter()
    errors = 0
    for answers in responses:
        errors += len(validate_response(definition, answers, "2025-07-15").errors)
    elapsed = time.perf_counter() - started
    print(f"validated {count} responses of the default form in {elapsed:.3f} s "
          f"({count / elapsed:,.0f} responses/s, {elapsed / count * 1e6:.1f} µs each; "
          f"{errors} errors found)")


if __name__ == "__main__":
    main()
