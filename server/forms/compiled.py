"""A form definition compiled once for fast, repeated use: walk, logic order, coercers.

apply_logic here and applyLogic in pwa/js/form-logic.js follow the same rules:
1. raw answers are coerced to their question's type; unknown names, nulls and values
   that do not fit are left out (validation reports them);
2. questions are visited in dependency order (a question after every question its
   `relevant` or `calculation` refers to, and after its group); a question is visible
   when its group is and its own `relevant` is true; a hidden question's answer is
   dropped and its name listed in `skipped`; a visible calculate stores its value.
"""

import hashlib
import heapq
import json
from collections import OrderedDict
from dataclasses import dataclass, field

from server.forms import coercion
from server.forms import logic_values as v
from server.forms.logic import ExpressionError, compile_expression, parse, references

ANSWER_BEARING = coercion.ANSWERABLE_TYPES | {"calculate"}


class LogicCycleError(ValueError):
    def __init__(self, names: list[str]):
        self.names = names
        super().__init__("logic cycle between: " + ", ".join(names))


def definition_hash(definition: dict) -> str:
    canonical = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def walk_questions(definition: dict) -> list[dict]:
    """Every question in document order, with where it sits among the groups."""
    found = []

    def visit(questions, path, groups):
        for index, question in enumerate(questions or []):
            here = f"{path}[{index}]"
            found.append({"name": question.get("name"), "type": question.get("type"),
                          "question": question, "path": here, "groups": list(groups),
                          "parent": groups[-1] if groups else None, "depth": len(groups)})
            if question.get("type") == "group":
                visit(question.get("questions"), here + ".questions", [*groups, question.get("name")])

    visit(definition.get("questions"), "questions", [])
    return found


def _compile_optional(expr):
    if not expr:
        return None
    try:
        return compile_expression(expr)
    except ExpressionError:
        return None  # definition validation reports it; the engine treats it as absent


@dataclass(slots=True)
class Node:
    index: int
    name: str
    type: str
    question: dict
    parent: int | None
    relevant: object = None
    calculation: object = None
    constraint: object = None
    choice_values: frozenset = frozenset()
    choice_order: tuple = ()
    depends_on: set = field(default_factory=set)


class CompiledForm:
    def __init__(self, definition: dict):
        self.definition = definition
        choice_lists = definition.get("choice_lists") or {}
        entries = walk_questions(definition)
        index_of = {entry["name"]: i for i, entry in enumerate(entries)}
        self.nodes: list[Node] = []
        for i, entry in enumerate(entries):
            question = entry["question"]
            order = tuple(v.normalize_text(str(choice.get("value")))
                          for choice in choice_lists.get(question.get("choices"), []) or [])
            node = Node(i, entry["name"], entry["type"], question,
                        index_of.get(entry["parent"]) if entry["parent"] else None,
                        _compile_optional(question.get("relevant")),
                        _compile_optional(question.get("calculation")),
                        _compile_optional(question.get("constraint")),
                        frozenset(order), order)
            for key in ("relevant", "calculation"):
                try:
                    refs = references(parse(question[key])) if question.get(key) else set()
                except ExpressionError:
                    refs = set()
                node.depends_on |= {index_of[name] for name in refs if name in index_of}
            if node.parent is not None:
                node.depends_on.add(node.parent)
            self.nodes.append(node)
        self.by_name = {node.name: node for node in self.nodes}
        self.order = self._dependency_order()
        # Plans for the per-response loops (an upload checks 100 responses at a time):
        # what each step needs, looked up once here rather than on every response.
        self._coercers = {name: _coercer(node) for name, node in self.by_name.items()
                          if node.type in ANSWER_BEARING}
        self._steps = [(node.index, node.name, node.parent, node.relevant,
                        node.calculation if node.type == "calculate" else None)
                       for node in self.order]
        self._outputs = [(node.index, node.name, node.type in ANSWER_BEARING) for node in self.nodes]
        self.answerable = [node for node in self.nodes if node.type in coercion.ANSWERABLE_TYPES]

    def _dependency_order(self) -> list[Node]:
        waiting = {node.index: len(node.depends_on) for node in self.nodes}
        dependants = {node.index: [] for node in self.nodes}
        for node in self.nodes:
            for dependency in node.depends_on:
                dependants[dependency].append(node.index)
        ready = [index for index, count in waiting.items() if count == 0]
        heapq.heapify(ready)
        order = []
        while ready:
            index = heapq.heappop(ready)
            order.append(self.nodes[index])
            for dependant in dependants[index]:
                waiting[dependant] -= 1
                if waiting[dependant] == 0:
                    heapq.heappush(ready, dependant)
        if len(order) != len(self.nodes):
            placed = {node.index for node in order}
            raise LogicCycleError([node.name for node in self.nodes if node.index not in placed])
        return order

    def coerce(self, answers: dict):
        """(values, problems, unknown): values by name, problems name -> (code, params)."""
        values, problems, unknown = {}, {}, []
        coercers, absent = self._coercers, coercion.ABSENT
        for name, raw in answers.items():
            if raw is None:
                continue
            coerce_one = coercers.get(name, _UNKNOWN)
            if coerce_one is _UNKNOWN:
                unknown.append(name)
                continue
            if coerce_one is None:
                continue  # a calculate: always recomputed here, never trusted from the client
            value, problem = coerce_one(raw)
            if problem is not None:
                problems[name] = problem
            elif value is not absent:
                values[name] = value
        return values, problems, unknown

    def _visibility(self, values: dict, today: str | None) -> tuple[dict, list[bool]]:
        """The answers left once logic has run (hidden ones dropped, calculates set), and
        whether each node (by index) is shown."""
        working = dict(values)
        shown = [False] * len(self.nodes)
        to_boolean = v.to_boolean
        for index, name, parent, relevant, calculation in self._steps:
            visible = parent is None or shown[parent]
            if visible and relevant is not None:
                visible = to_boolean(relevant(working, None, today))
            shown[index] = visible
            if not visible:
                working.pop(name, None)
            elif calculation is not None:
                value = v.export_value(calculation(working, None, today))
                if v.is_empty(value):
                    working.pop(name, None)
                else:
                    working[name] = value
        return working, shown

    def checked_answers(self, values: dict, today: str | None) -> tuple[dict, list, list[bool]]:
        """(answers in document order, skipped names, shown by node index): what
        validation needs of run_logic, without the set of visible names."""
        working, shown = self._visibility(values, today)
        answers, skipped = {}, []
        for index, name, answer_bearing in self._outputs:
            if shown[index]:
                if name in working:
                    answers[name] = working[name]
            elif answer_bearing:
                skipped.append(name)
        return answers, skipped, shown

    def run_logic(self, values: dict, today: str | None):
        """(answers, visible names, skipped names, shown by node index), answers in
        document order."""
        answers, skipped, shown = self.checked_answers(values, today)
        visible_names = {name for index, name, _ in self._outputs if shown[index]}
        return answers, visible_names, skipped, shown


_UNKNOWN = object()


def _coercer(node: Node):
    """The node's coercer (raw -> (value, problem)); None for a calculate."""
    kind = node.type
    if kind == "calculate":
        return None
    if kind in ("select_one", "likert"):
        plain = coercion.plain_choices(node.choice_values)

        def select_one(raw):
            # The usual answer: a choice value exactly as the form has it.
            if raw.__class__ is str and raw in plain:
                return raw, None
            return coerce_answer(node, raw)

        return select_one
    return lambda raw: coerce_answer(node, raw)


def coerce_answer(node: Node, raw):
    kind = node.type
    if kind in ("select_one", "likert"):
        return coercion.coerce_select_one(
            raw, node.choice_values, kind == "likert" and bool(node.question.get("allow_na")))
    if kind == "select_multiple":
        return coercion.coerce_select_multiple(raw, node.choice_values, node.choice_order)
    if kind == "integer":
        return coercion.coerce_integer(raw)
    if kind == "decimal":
        return coercion.coerce_decimal(raw)
    if kind == "text":
        return coercion.coerce_text(raw)
    return coercion.coerce_date(raw)


_BY_IDENTITY: list[tuple[dict, CompiledForm]] = []  # strong refs, so ids are never reused
_BY_HASH: OrderedDict[str, CompiledForm] = OrderedDict()
_CACHE_SIZE = 32


def compiled_form(definition: dict, content_hash: str | None = None) -> CompiledForm:
    """The compiled form, built once per content hash (definitions are never mutated)."""
    for known, compiled in _BY_IDENTITY:
        if known is definition:
            return compiled
    key = content_hash or definition_hash(definition)
    compiled = _BY_HASH.get(key)
    if compiled is None:
        compiled = CompiledForm(definition)
        _BY_HASH[key] = compiled
        if len(_BY_HASH) > _CACHE_SIZE:
            _BY_HASH.popitem(last=False)
    else:
        _BY_HASH.move_to_end(key)
    _BY_IDENTITY.insert(0, (definition, compiled))
    del _BY_IDENTITY[8:]
    return compiled


def apply_logic(definition: dict, answers: dict, today: str | None = None) -> dict:
    compiled = compiled_form(definition)
    values, _, _ = compiled.coerce(answers)
    cleaned, visible, skipped, _ = compiled.run_logic(values, today)
    return {"answers": cleaned, "visible": visible, "skipped": skipped}
