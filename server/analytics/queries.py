"""The GROUP BY queries behind a round summary, one SQL text per dialect.

The answers JSON is exploded by the database (SQLite `json_each`, PostgreSQL `jsonb_each` /
`jsonb_array_elements_text`); both dialects return the same rows. Every query is scoped to
one round and to the units whose materialised path starts with the report unit's path.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

# Responses that count in a report: rejected ones never do.
COUNTED_STATUSES = ("accepted", "flagged")

_SCOPE = """
  r.round_id = :round_id
  AND r.status IN :statuses
  AND r.unit_id IN (SELECT u.id FROM units u WHERE u.path LIKE :path_prefix)
"""

# (unit, question, value) -> rows and responses. A select_multiple answer gives one row
# per chosen value; `responses` counts each response once per question (its first element).
# Only choice questions keep their value: free text and numbers are counted, not grouped.
_ANSWERS = {
    "sqlite": f"""
SELECT r.unit_id, a.key AS question,
       CASE WHEN a.key IN :choice_names THEN CAST(COALESCE(m.value, a.value) AS TEXT) END AS value,
       COUNT(*) AS hits,
       SUM(CASE WHEN m.key IS NULL OR m.key = 0 THEN 1 ELSE 0 END) AS responses
FROM responses r
JOIN json_each(r.answers) a
LEFT JOIN json_each(CASE WHEN a.type = 'array' THEN a.value END) m
WHERE {_SCOPE}
GROUP BY r.unit_id, a.key, 3
""",
    "postgresql": f"""
SELECT r.unit_id, a.key AS question,
       CASE WHEN a.key IN :choice_names THEN COALESCE(m.value, a.value #>> '{{}}') END AS value,
       COUNT(*) AS hits,
       SUM(CASE WHEN m.ord IS NULL OR m.ord = 1 THEN 1 ELSE 0 END) AS responses
FROM responses r
CROSS JOIN LATERAL jsonb_each(r.answers) a
LEFT JOIN LATERAL jsonb_array_elements_text(
    CASE WHEN jsonb_typeof(a.value) = 'array' THEN a.value END
) WITH ORDINALITY AS m(value, ord) ON true
WHERE {_SCOPE}
GROUP BY r.unit_id, a.key, 3
""",
}

_SKIPPED = {
    "sqlite": f"""
SELECT r.unit_id, s.value AS question, COUNT(*) AS n
FROM responses r JOIN json_each(r.skipped) s
WHERE {_SCOPE}
GROUP BY r.unit_id, s.value
""",
    "postgresql": f"""
SELECT r.unit_id, s.value AS question, COUNT(*) AS n
FROM responses r CROSS JOIN LATERAL jsonb_array_elements_text(r.skipped) AS s(value)
WHERE {_SCOPE}
GROUP BY r.unit_id, s.value
""",
}

_RESPONSES = f"""
SELECT r.unit_id, COUNT(*) AS n FROM responses r WHERE {_SCOPE} GROUP BY r.unit_id
"""

# (dimension value, item, value) for the breakdown by a respondent question (age band...);
# the dimension is read from the same response's answers.
_DIMENSION = {
    "sqlite": f"""
SELECT CAST(json_extract(r.answers, :dimension_path) AS TEXT) AS dimension, a.key AS question,
       CAST(a.value AS TEXT) AS value, COUNT(*) AS n
FROM responses r JOIN json_each(r.answers) a
WHERE {_SCOPE} AND a.key IN :item_names
GROUP BY 1, 2, 3
""",
    "postgresql": f"""
SELECT r.answers ->> :dimension AS dimension, a.key AS question, a.value AS value,
       COUNT(*) AS n
FROM responses r CROSS JOIN LATERAL jsonb_each_text(r.answers) a
WHERE {_SCOPE} AND a.key IN :item_names
GROUP BY 1, 2, 3
""",
}

_DIMENSION_RESPONSES = {
    "sqlite": f"""
SELECT CAST(json_extract(r.answers, :dimension_path) AS TEXT) AS dimension, COUNT(*) AS n
FROM responses r WHERE {_SCOPE} GROUP BY 1
""",
    "postgresql": f"""
SELECT r.answers ->> :dimension AS dimension, COUNT(*) AS n
FROM responses r WHERE {_SCOPE} GROUP BY 1
""",
}

_COMMENTS = {
    "sqlite": f"""
SELECT r.unit_id, a.key AS question, CAST(a.value AS TEXT) AS value
FROM responses r JOIN json_each(r.answers) a
WHERE {_SCOPE} AND a.key IN :comment_names
ORDER BY r.completed_at, r.id, a.key
LIMIT :limit
""",
    "postgresql": f"""
SELECT r.unit_id, a.key AS question, a.value AS value
FROM responses r CROSS JOIN LATERAL jsonb_each_text(r.answers) a
WHERE {_SCOPE} AND a.key IN :comment_names
ORDER BY r.completed_at, r.id, a.key
LIMIT :limit
""",
}


@dataclass(frozen=True, slots=True)
class Scope:
    round_id: int
    unit_path: str          # "/1/5/": the report unit and everything below it

    def params(self) -> dict:
        return {"round_id": self.round_id, "statuses": list(COUNTED_STATUSES),
                "path_prefix": self.unit_path + "%"}


def _dialect(session: Session) -> str:
    name = session.get_bind().dialect.name
    if name not in ("sqlite", "postgresql"):
        raise NotImplementedError(f"analytics SQL for {name} is not written")
    return name


def _run(session: Session, sql: str, params: dict, expanding: tuple[str, ...]):
    statement = text(sql).bindparams(*[bindparam(name, expanding=True)
                                       for name in ("statuses", *expanding)])
    return session.execute(statement, params).all()


def answer_counts(session: Session, scope: Scope, choice_names: tuple[str, ...]):
    """Rows (unit_id, question, value | None, hits, responses)."""
    params = {**scope.params(), "choice_names": list(choice_names) or [""]}
    return _run(session, _ANSWERS[_dialect(session)], params, ("choice_names",))


def skipped_counts(session: Session, scope: Scope):
    """Rows (unit_id, question, responses that skipped it by logic)."""
    return _run(session, _SKIPPED[_dialect(session)], scope.params(), ())


def response_counts(session: Session, scope: Scope):
    """Rows (unit_id, responses)."""
    return _run(session, _RESPONSES, scope.params(), ())


def _dimension_params(scope: Scope, dimension: str) -> dict:
    return {**scope.params(), "dimension": dimension, "dimension_path": f"$.{dimension}"}


def dimension_counts(session: Session, scope: Scope, dimension: str,
                     item_names: tuple[str, ...]):
    """Rows (dimension value | None, item, value, responses) for a breakdown question."""
    params = {**_dimension_params(scope, dimension), "item_names": list(item_names) or [""]}
    return _run(session, _DIMENSION[_dialect(session)], params, ("item_names",))


def dimension_responses(session: Session, scope: Scope, dimension: str):
    """Rows (dimension value | None, responses)."""
    return _run(session, _DIMENSION_RESPONSES[_dialect(session)],
                _dimension_params(scope, dimension), ())


def comment_rows(session: Session, scope: Scope, comment_names: tuple[str, ...], limit: int):
    """Rows (unit_id, question, text), oldest response first."""
    params = {**scope.params(), "comment_names": list(comment_names) or [""], "limit": limit}
    return _run(session, _COMMENTS[_dialect(session)], params, ("comment_names",))
