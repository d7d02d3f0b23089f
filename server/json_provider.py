"""Parsing a request's JSON within bounds.

Python's parser recurses once per level: `"[" * 10000` raises RecursionError (not a
ValueError, so no JSON error handling catches it), and a document a few hundred levels deep
parses but then breaks the recursive code that walks it (text cleaning, hashing). No real
request nests more than a handful of levels, so anything deeper than MAX_DEPTH is refused.
NaN, Infinity and numbers that overflow a float are not JSON either: PostgreSQL's jsonb
refuses them later, so they are refused here.
"""

import json
import math

from flask.json.provider import DefaultJSONProvider

MAX_DEPTH = 32


class JSONTooDeep(json.JSONDecodeError):
    """A document nested deeper than MAX_DEPTH (a JSONDecodeError, so callers that handle
    malformed JSON handle it too)."""

    def __init__(self):
        super().__init__(f"nested deeper than {MAX_DEPTH} levels", "", 0)


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} does not fit a number")
    return value


def _deeper_than(value, limit: int) -> bool:
    """Whether containers nest more than `limit` levels (walked without recursion)."""
    if not isinstance(value, dict | list):
        return False
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        for child in node.values() if isinstance(node, dict) else node:
            if isinstance(child, dict | list):
                stack.append((child, depth + 1))
    return False


def malformed(message: str, data: str | bytes) -> json.JSONDecodeError:
    """The error for a body that is not JSON we accept. It carries the body: webargs takes
    a JSONDecodeError without one for an empty body and then reports the fields missing,
    not the JSON malformed."""
    text = data if isinstance(data, str) else data.decode("utf-8", "replace")
    return json.JSONDecodeError(message, text or " ", 0)


def loads(data: str | bytes, **kwargs):
    """json.loads for what a client sends. Raises JSONTooDeep when nested too deep and
    json.JSONDecodeError for anything else that is not a JSON document a column can hold."""
    kwargs.setdefault("parse_constant", _refuse_constant)
    kwargs.setdefault("parse_float", _finite_float)
    try:
        value = json.loads(data, **kwargs)
    except RecursionError:
        raise JSONTooDeep() from None
    except json.JSONDecodeError:
        raise
    except ValueError as error:  # a refused constant, an overflowing float, an int of 5000 digits
        raise malformed(str(error), data) from None
    if _deeper_than(value, MAX_DEPTH):
        raise JSONTooDeep()
    return value


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, parsing with loads() above (request.get_json and friends)."""

    def loads(self, s: str | bytes, **kwargs):
        return loads(s, **kwargs)
