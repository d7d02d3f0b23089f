"""The form expression language: tokenizer, parser and evaluator (never eval()).

The JavaScript twin is pwa/js/form-logic-expr.js; forms/vectors/logic.json fixes the
semantics both must share. An expression is parsed once into a tuple AST (cached), then
compiled into nested closures, which is what makes validating thousands of responses fast.
"""

import re
from datetime import date
from functools import lru_cache

from server.forms import logic_values as v

MAX_LENGTH = 4000
MAX_DEPTH = 60

# name -> (fewest arguments, most arguments or None for any number)
FUNCTIONS = {
    "selected": (2, 2), "count-selected": (1, 1), "answered": (1, 1), "today": (0, 0),
    "if": (3, 3), "string-length": (1, 1), "number": (1, 1), "int": (1, 1),
    "concat": (1, None), "coalesce": (2, 2), "not": (1, 1), "true": (0, 0), "false": (0, 0),
}
KEYWORD_OPERATORS = {"and", "or", "div", "mod"}

_TOKEN = re.compile(
    rf"""(?P<space>[{v.WHITESPACE}]+)
      | (?P<ref>\$\{{(?P<refname>[A-Za-z_][A-Za-z0-9_]*)\}})
      | (?P<number>[0-9]+\.?[0-9]*|\.[0-9]+)
      | (?P<dot>\.)
      | (?P<string>'[^']*'|"[^"]*")
      | (?P<op>!=|<=|>=|=|<|>|\+|-|\*)
      | (?P<lparen>\() | (?P<rparen>\)) | (?P<comma>,)
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z_][A-Za-z0-9_]*)*)
    """,
    re.VERBOSE,
)

_MESSAGES = {
    "syntax": ("Biểu thức sai cú pháp", "Syntax error"),
    "unknown_function": ("Hàm không được hỗ trợ", "Unsupported function"),
    "arity": ("Số đối số không đúng", "Wrong number of arguments"),
    "too_complex": ("Biểu thức quá dài hoặc lồng quá sâu", "Expression too long or too deeply nested"),
}


class ExpressionError(ValueError):
    """A refused expression; code is one of syntax, unknown_function, arity, too_complex."""

    def __init__(self, code: str, detail: str, position: int):
        vi, en = _MESSAGES[code]
        self.code = code
        self.detail = detail
        self.position = position
        self.message = {
            "vi": f"{vi} tại vị trí {position + 1}: {detail}",
            "en": f"{en} at position {position + 1}: {detail}",
        }
        super().__init__(self.message["en"])


def tokenize(expr: str) -> list[tuple[str, object, int]]:
    tokens = []
    position = 0
    while position < len(expr):
        match = _TOKEN.match(expr, position)
        if match is None:
            if expr[position] in "'\"":
                raise ExpressionError("syntax", "chuỗi chưa đóng / unterminated string", position)
            raise ExpressionError("syntax", repr(expr[position]), position)
        kind = match.lastgroup
        if kind == "refname":
            kind = "ref"
        text = match.group()
        if kind == "ref":
            tokens.append(("ref", match.group("refname"), position))
        elif kind == "number":
            tokens.append(("number", float(text), position))
        elif kind == "string":
            tokens.append(("string", v.normalize_text(text[1:-1]), position))
        elif kind == "name" and text in KEYWORD_OPERATORS:
            tokens.append(("op", text, position))
        elif kind != "space":
            tokens.append((kind, text, position))
        position = match.end()
    tokens.append(("end", None, len(expr)))
    return tokens


class _Parser:
    # Binary levels from loosest to tightest binding.
    LEVELS = (("or",), ("and",), ("=", "!="), ("<", "<=", ">", ">="), ("+", "-"),
              ("*", "div", "mod"))

    def __init__(self, expr: str):
        self.tokens = tokenize(expr)
        self.index = 0
        self.depth = 0

    def peek(self):
        return self.tokens[self.index]

    def take(self):
        token = self.tokens[self.index]
        self.index += 1
        return token

    def expect(self, kind: str):
        token = self.take()
        if token[0] != kind:
            raise ExpressionError("syntax", _describe(token), token[2])
        return token

    def parse(self):
        node = self.binary(0)
        token = self.peek()
        if token[0] != "end":
            raise ExpressionError("syntax", _describe(token), token[2])
        return node

    def binary(self, level: int):
        if level == len(self.LEVELS):
            return self.unary()
        node = self.binary(level + 1)
        while self.peek()[0] == "op" and self.peek()[1] in self.LEVELS[level]:
            operator = self.take()[1]
            node = ("op", operator, node, self.binary(level + 1))
        return node

    def unary(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError("too_complex", "", self.peek()[2])
        token = self.peek()
        if token[0] == "op" and token[1] == "-":
            self.take()
            node = ("neg", self.unary())
        else:
            node = self.primary()
        self.depth -= 1
        return node

    def primary(self):
        kind, value, position = self.take()
        if kind == "number":
            return ("num", value)
        if kind == "string":
            return ("str", value)
        if kind == "ref":
            return ("ref", value)
        if kind == "dot":
            return ("cur",)
        if kind == "lparen":
            node = self.binary(0)
            self.expect("rparen")
            return node
        if kind == "name":
            return self.call(value, position)
        raise ExpressionError("syntax", _describe((kind, value, position)), position)

    def call(self, name: str, position: int):
        if self.peek()[0] != "lparen":
            raise ExpressionError("syntax", name, position)
        if name not in FUNCTIONS:
            raise ExpressionError("unknown_function", name, position)
        self.take()
        args = []
        if self.peek()[0] != "rparen":
            args.append(self.binary(0))
            while self.peek()[0] == "comma":
                self.take()
                args.append(self.binary(0))
        self.expect("rparen")
        fewest, most = FUNCTIONS[name]
        if len(args) < fewest or (most is not None and len(args) > most):
            raise ExpressionError("arity", f"{name}() ← {len(args)}", position)
        return ("call", name, tuple(args))


def _describe(token) -> str:
    kind, value, _ = token
    if kind == "end":
        return "hết biểu thức / unexpected end"
    if kind == "ref":
        return "${" + value + "}"
    return repr(value) if kind == "string" else str(value)


@lru_cache(maxsize=8192)
def parse(expr: str):
    """The AST of an expression, a nested tuple; raises ExpressionError."""
    if not isinstance(expr, str):
        raise ExpressionError("syntax", "not a string", 0)
    if len(expr) > MAX_LENGTH:
        raise ExpressionError("too_complex", f"> {MAX_LENGTH}", MAX_LENGTH)
    if v.trim(expr) == "":
        raise ExpressionError("syntax", "hết biểu thức / empty", 0)
    return _Parser(expr).parse()


def references(ast) -> set[str]:
    """The question names an AST refers to with ${name}."""
    if ast[0] == "ref":
        return {ast[1]}
    found = set()
    for part in ast[1:]:
        if isinstance(part, tuple):
            if part and isinstance(part[0], str):
                found |= references(part)
            else:
                for arg in part:
                    found |= references(arg)
    return found


def uses_current(ast) -> bool:
    if ast[0] == "cur":
        return True
    return any(
        uses_current(part) if part and isinstance(part[0], str) else any(map(uses_current, part))
        for part in ast[1:] if isinstance(part, tuple)
    )


# Compiled closures take (answers, current, today) and return an internal value.

def _compile_op(operator, left, right):
    if operator == "and":
        return lambda a, c, t: v.to_boolean(left(a, c, t)) and v.to_boolean(right(a, c, t))
    if operator == "or":
        return lambda a, c, t: v.to_boolean(left(a, c, t)) or v.to_boolean(right(a, c, t))
    if operator == "=":
        return lambda a, c, t: v.values_equal(left(a, c, t), right(a, c, t))
    if operator == "!=":
        return lambda a, c, t: not v.values_equal(left(a, c, t), right(a, c, t))
    if operator in ("<", "<=", ">", ">="):
        accept = {"<": (-1,), "<=": (-1, 0), ">": (1,), ">=": (1, 0)}[operator]
        return lambda a, c, t: v.compare(left(a, c, t), right(a, c, t)) in accept
    return lambda a, c, t: v.arithmetic(operator, left(a, c, t), right(a, c, t))


def _compile_call(name, args):
    if name == "true":
        return lambda a, c, t: True
    if name == "false":
        return lambda a, c, t: False
    if name == "today":
        return lambda a, c, t: t if t is not None else date.today().isoformat()
    if name == "if":
        test, then, otherwise = args
        return lambda a, c, t: then(a, c, t) if v.to_boolean(test(a, c, t)) else otherwise(a, c, t)
    if name == "coalesce":
        first, second = args
        return lambda a, c, t: _first_answered(first(a, c, t), second, a, c, t)
    if name == "selected":
        value, choice = args
        return lambda a, c, t: v.is_selected(value(a, c, t), choice(a, c, t))
    if name == "concat":
        return lambda a, c, t: "".join(v.to_string(arg(a, c, t)) for arg in args)
    one = {
        "not": lambda x: not v.to_boolean(x),
        "count-selected": v.count_selected,
        "answered": lambda x: not v.is_empty(x),
        "string-length": v.string_length,
        "number": v.to_number,
        "int": v.truncate,
    }[name]
    (arg,) = args
    return lambda a, c, t: one(arg(a, c, t))


def _first_answered(value, fallback, a, c, t):
    return fallback(a, c, t) if v.is_empty(value) else value


def _compile(ast):
    kind = ast[0]
    if kind in ("num", "str"):
        constant = ast[1]
        return lambda a, c, t: constant
    if kind == "ref":
        name = ast[1]
        return lambda a, c, t: a.get(name)
    if kind == "cur":
        return lambda a, c, t: c
    if kind == "neg":
        inner = _compile(ast[1])
        return lambda a, c, t: v.arithmetic("-", 0.0, inner(a, c, t))
    if kind == "op":
        return _compile_op(ast[1], _compile(ast[2]), _compile(ast[3]))
    return _compile_call(ast[1], [_compile(arg) for arg in ast[2]])


@lru_cache(maxsize=8192)
def compile_expression(expr_or_ast):
    """A fast callable (answers, current, today) -> internal value."""
    ast = parse(expr_or_ast) if isinstance(expr_or_ast, str) else expr_or_ast
    return _compile(ast)


def evaluate(expr_or_ast, answers: dict, today: str | None = None, current=None):
    """The value of an expression: None, bool, int/float, str or list of str."""
    raw = compile_expression(expr_or_ast)(answers, current, today)
    return v.export_value(raw)


def is_true(expr_or_ast, answers: dict, today: str | None = None, current=None) -> bool:
    return v.to_boolean(compile_expression(expr_or_ast)(answers, current, today))


def apply_logic(definition: dict, answers: dict, today: str | None = None) -> dict:
    """{answers, visible, skipped}: hidden answers dropped, calculates computed.

    Lives with the compiled form (server/forms/compiled.py), which builds on this module.
    """
    from server.forms.compiled import apply_logic as run

    return run(definition, answers, today)
