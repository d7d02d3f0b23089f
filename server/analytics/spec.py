"""What the analytics needs to know about a form: its questions and its `report` metadata."""

from __future__ import annotations

from dataclasses import dataclass

from reports.summary import LocalText
from server.forms.compiled import walk_questions

CHOICE_TYPES = frozenset({"select_one", "select_multiple", "likert"})
ANSWERABLE_TYPES = CHOICE_TYPES | {"integer", "decimal", "text", "date"}
NOT_APPLICABLE_LABEL = LocalText("Không áp dụng", "Not applicable", "មិនពាក់ព័ន្ធ")


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: LocalText


@dataclass(frozen=True, slots=True)
class QuestionSpec:
    name: str
    type: str
    label: LocalText
    choices: tuple[Choice, ...] = ()
    allow_na: bool = False

    @property
    def is_choice(self) -> bool:
        return self.type in CHOICE_TYPES

    def choice_label(self, value: str, not_applicable: str) -> LocalText:
        if value == not_applicable:
            return NOT_APPLICABLE_LABEL
        return next((c.label for c in self.choices if c.value == value), LocalText(value))


@dataclass(frozen=True, slots=True)
class BlockSpec:
    """A SIPAS group or the "5 biết" conduct block: a key, a label, likert items."""
    key: str
    label: LocalText
    questions: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class IncidentSpec:
    question: str
    value: str
    label: LocalText


@dataclass(frozen=True, slots=True)
class FormSpec:
    questions: tuple[QuestionSpec, ...]
    satisfied_values: frozenset[str]
    not_applicable: str
    groups: tuple[BlockSpec, ...]
    conduct: BlockSpec | None
    incidents: tuple[IncidentSpec, ...]
    breakdowns: tuple[str, ...]
    comments: tuple[str, ...]
    # `report.overall`: the direct question ("Nhìn chung, … hài lòng …?"), a headline figure
    # of its own beside the index; `report.trend`: "compared with six months ago". Either is
    # None when the form names none (or names a question it does not have).
    overall: str | None = None
    trend: str | None = None

    def question(self, name: str) -> QuestionSpec | None:
        return next((q for q in self.questions if q.name == name), None)

    @property
    def blocks(self) -> tuple[BlockSpec, ...]:
        return self.groups + ((self.conduct,) if self.conduct else ())

    @property
    def item_names(self) -> tuple[str, ...]:
        return tuple(name for block in self.blocks for name in block.questions)

    @property
    def multiple_choice_names(self) -> tuple[str, ...]:
        return tuple(q.name for q in self.questions if q.type == "select_multiple")

    @property
    def choice_names(self) -> tuple[str, ...]:
        return tuple(q.name for q in self.questions if q.is_choice)


def _block(raw: dict | None, known: set[str]) -> BlockSpec | None:
    if not raw:
        return None
    names = tuple(name for name in raw.get("questions", []) if name in known)
    return BlockSpec(key=raw["key"], label=LocalText.of(raw.get("label")), questions=names)


def form_spec(definition: dict) -> FormSpec:
    """Read a form definition (docs/CONTRACTS.md) into the analytics' view of it."""
    choice_lists = definition.get("choice_lists") or {}
    questions = []
    for entry in walk_questions(definition):
        question = entry["question"]
        if entry["type"] not in ANSWERABLE_TYPES:
            continue
        choices = tuple(Choice(str(choice["value"]), LocalText.of(choice.get("label")))
                        for choice in choice_lists.get(question.get("choices"), []) or [])
        questions.append(QuestionSpec(entry["name"], entry["type"],
                                      LocalText.of(question.get("label")), choices,
                                      bool(question.get("allow_na"))))
    known = {q.name for q in questions}
    report = definition.get("report") or {}
    groups = tuple(block for block in (_block(raw, known) for raw in report.get("groups", []))
                   if block is not None)
    incidents = tuple(IncidentSpec(raw["question"], str(raw.get("value", "yes")),
                                   LocalText.of(raw.get("label")))
                      for raw in report.get("incidents", []) if raw.get("question") in known)
    return FormSpec(
        questions=tuple(questions),
        satisfied_values=frozenset(str(v) for v in report.get("satisfied_values", ["4", "5"])),
        not_applicable=str(report.get("not_applicable_value", "na")),
        groups=groups,
        conduct=_block(report.get("conduct"), known),
        incidents=incidents,
        breakdowns=tuple(name for name in report.get("breakdowns", []) if name in known),
        comments=tuple(name for name in report.get("comments", []) if name in known),
        overall=_named(report.get("overall"), questions, CHOICE_TYPES - {"select_multiple"}),
        trend=_named(report.get("trend"), questions, CHOICE_TYPES),
    )


def _named(name: object, questions: list[QuestionSpec], types: frozenset[str]) -> str | None:
    """A question the report settings name, if the form has it with a usable type."""
    return next((q.name for q in questions if q.name == name and q.type in types), None)
