"""The GROUP BY queries behind a round summary, one SQL text per dialect.

The answers JSON is exploded by the database (SQLite `json_each`, PostgreSQL `jsonb_each` /
`jsonb_array_elements_text`); both dialects return the same rows. Every query is scoped to
one round and to the units whose materialised path starts with the report unit's path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

# Responses that count in a report: rejected ones never do, nor those an admin excluded
# (server/sync/exclusion.py: the same rule for the ORM queries).
COUNTED_STATUSES = ("accepted", "flagged")

# The round and the unit path are written into the SQL text, not bound: psycopg prepares a
# statement run five times and PostgreSQL may then switch to a generic plan, which cannot see
# how many units the path prefix covers (it guesses a handful). A plan made for a commune and
# reused for a province nested-loops 100,000 responses and spills its hash aggregate to disk
# (a summary took 3.7 s instead of 1.2 s). Both values are checked before they are written.
_SCOPE = """
  r.round_id = {round_id}
  AND r.status IN :statuses
  AND r.excluded_at IS NULL
  AND r.unit_id IN (SELECT u.id FROM units u WHERE u.path LIKE '{path_prefix}')
"""
_PATH = re.compile(r"/(?:[0-9]+/)*")

# (unit, question, value) -> responses: the one GROUP BY over every answer. Only choice
# questions keep their value (free text and numbers are counted, not grouped); an array
# (select_multiple) is counted here as answered and its choices by _CHOSEN.
_ANSWERS = {
    "sqlite": """
SELECT r.unit_id, a.key AS question,
       CASE WHEN a.type <> 'array' AND a.key IN :choice_names THEN CAST(a.value AS TEXT) END,
       COUNT(*) AS n
FROM responses r JOIN json_each(r.answers) a
WHERE @SCOPE AND a.key IN :keys
GROUP BY 1, 2, 3
""",
    "postgresql": """
SELECT r.unit_id, a.key AS question,
       CASE WHEN jsonb_typeof(a.value) <> 'array' AND a.key IN :choice_names
            THEN a.value #>> '{}' END,
       COUNT(*) AS n
FROM responses r CROSS JOIN LATERAL jsonb_each(r.answers) a
WHERE @SCOPE AND a.key IN :keys
GROUP BY 1, 2, 3
""",
}

# (unit, chosen value) -> responses, for one select_multiple question.
_CHOSEN = {
    "sqlite": """
SELECT r.unit_id, CAST(m.value AS TEXT), COUNT(*) AS n
FROM responses r JOIN json_each(r.answers, :path) m
WHERE @SCOPE
GROUP BY 1, 2
""",
    "postgresql": """
SELECT r.unit_id, m.value, COUNT(*) AS n
FROM responses r
CROSS JOIN LATERAL jsonb_array_elements_text(r.answers -> CAST(:name AS TEXT)) AS m(value)
WHERE @SCOPE AND jsonb_typeof(r.answers -> CAST(:name AS TEXT)) = 'array'
GROUP BY 1, 2
""",
}

_SKIPPED = {
    "sqlite": """
SELECT s.value AS question, COUNT(*) AS n
FROM responses r JOIN json_each(r.skipped) s
WHERE @SCOPE
GROUP BY s.value
""",
    "postgresql": """
SELECT s.value AS question, COUNT(*) AS n
FROM responses r CROSS JOIN LATERAL jsonb_array_elements_text(r.skipped) AS s(value)
WHERE @SCOPE
GROUP BY s.value
""",
}

_RESPONSES = """
SELECT r.unit_id, COUNT(*) AS n FROM responses r WHERE @SCOPE GROUP BY r.unit_id
"""

# Every comment of the scope: the report groups identical ones and samples across child
# units, so it needs them all. One pass over the responses reads each comment question by its
# path (one column each) without exploding the rest of the answers; rows without any comment
# are dropped by the database.
_COMMENT_VALUE = {
    "sqlite": "json_extract(r.answers, :path{i})",
    "postgresql": "r.answers ->> :name{i}",
}
_COMMENTS = """
SELECT * FROM (
  SELECT r.unit_id, r.completed_at, r.id, @COLUMNS FROM responses r WHERE @SCOPE
) AS c WHERE @ANY
"""


# Rows grouped by another unit than the response's own, the database mapping each response
# to it through this derived table (its unit_id is that unit):
# - "tallying": the nearest unit at or above the response's unit with child units (where
#   server/analytics/aggregates.py keeps tallies): a national round's 3.6 M rows grouped by
#   residential group become those of its communes;
# - "child": the report's bucket, the scope unit's child the response is under (or the scope
#   unit itself): a summary's delta (server/analytics/delta.py) sends a few rows per bucket,
#   not a few per residential group (430,000 rows for 20,000 responses of the country).
_GROUPED_SOURCE = """FROM (
  SELECT x.id, x.round_id, x.status, x.excluded_at, x.answers, x.skipped, x.completed_at,
         {unit} AS unit_id
  FROM responses x JOIN units t ON t.id = x.unit_id{join}
) r"""
_TALLYING_UNIT = "CASE WHEN p.id IS NOT NULL THEN t.id ELSE t.parent_id END"
_TALLYING_JOIN = """
  LEFT JOIN (SELECT DISTINCT parent_id AS id FROM units WHERE parent_id IS NOT NULL) p
    ON p.id = t.id"""
_CHILD_ID = {   # the path's segment after the scope unit's path (which is {start} - 1 long)
    "sqlite": "CAST(substr(t.path, {start}, instr(substr(t.path, {start}), '/') - 1) AS INTEGER)",
    "postgresql": "CAST(split_part(substr(t.path, {start}), '/', 1) AS INTEGER)",
}
GROUPINGS = ("unit", "tallying", "child")


@dataclass(frozen=True, slots=True)
class Scope:
    round_id: int
    unit_path: str          # "/1/5/": the report unit and everything below it
    # response id bounds (aggregates.py): stored aggregates hold ids <= upto_id, a summary
    # reads live only the ids after them (after_id)
    upto_id: int | None = None
    after_id: int | None = None
    # what a row's unit_id is: "unit" the response's, else see _GROUPED_SOURCE
    grouping: str = "unit"

    def __post_init__(self):
        # the path and the bounds are written into the SQL text: checked once, here
        if not _PATH.fullmatch(self.unit_path):
            raise ValueError(f"not a unit path: {self.unit_path!r}")
        if self.grouping not in GROUPINGS:
            raise ValueError(f"not a grouping: {self.grouping!r}")

    def params(self) -> dict:
        return {"statuses": list(COUNTED_STATUSES)}

    def where(self) -> str:
        """The scope condition on `responses r`, with the round, the path and the id bounds
        written in (see _SCOPE)."""
        condition = _SCOPE.format(round_id=int(self.round_id), path_prefix=self.unit_path + "%")
        if self.upto_id is not None:
            condition += f"  AND r.id <= {int(self.upto_id)}\n"
        if self.after_id is not None:
            condition += f"  AND r.id > {int(self.after_id)}\n"
        return condition

    def source(self, sql: str, dialect: str) -> str:
        """The query with its responses read as this scope groups them."""
        if self.grouping == "unit":
            return sql
        if self.grouping == "tallying":
            unit, join = _TALLYING_UNIT, _TALLYING_JOIN
        else:       # "child"
            child = _CHILD_ID[dialect].format(start=len(self.unit_path) + 1)
            # units outside the scope map to NULL (never to a bucket by accident)
            unit = (f"CASE WHEN t.path = '{self.unit_path}' THEN t.id "
                    f"WHEN t.path LIKE '{self.unit_path}%' THEN {child} END")
            join = ""
        return sql.replace("FROM responses r", _GROUPED_SOURCE.format(unit=unit, join=join))


def _dialect(session: Session) -> str:
    name = session.get_bind().dialect.name
    if name not in ("sqlite", "postgresql"):
        raise NotImplementedError(f"analytics SQL for {name} is not written")
    return name


def _run(session: Session, scope: Scope, sql: str, params: dict, expanding: tuple[str, ...]):
    statement = text(scope.source(sql, _dialect(session)).replace("@SCOPE", scope.where())).bindparams(
        *[bindparam(name, expanding=True) for name in ("statuses", *expanding)])
    return session.execute(statement, params).all()


def answer_counts(session: Session, scope: Scope, keys: tuple[str, ...],
                  choice_names: tuple[str, ...]):
    """Rows (unit_id, question, value | None, responses) for the questions in `keys`."""
    params = {**scope.params(), "keys": list(keys) or [""],
              "choice_names": list(choice_names) or [""]}
    return _run(session, scope, _ANSWERS[_dialect(session)], params, ("keys", "choice_names"))


def chosen_counts(session: Session, scope: Scope, name: str):
    """Rows (unit_id, chosen value, responses) for one select_multiple question."""
    params = {**scope.params(), "name": name, "path": f"$.{name}"}
    return _run(session, scope, _CHOSEN[_dialect(session)], params, ())


def skipped_counts(session: Session, scope: Scope):
    """Rows (question, responses that skipped it by logic), for the whole scope."""
    return _run(session, scope, _SKIPPED[_dialect(session)], scope.params(), ())


def response_counts(session: Session, scope: Scope):
    """Rows (unit_id, responses)."""
    return _run(session, scope, _RESPONSES, scope.params(), ())


def _extract(dialect: str, param: str) -> str:
    if dialect == "sqlite":
        return f"CAST(json_extract(r.answers, :{param}) AS TEXT)"
    return f"r.answers ->> CAST(:{param} AS TEXT)"


@dataclass(frozen=True, slots=True)
class Measure:
    """Count, per group, the answers of `question` that are not `not_applicable` (its valid
    answers) and those among `values` (e.g. the satisfied ones, or an incident's "yes")."""
    question: str
    values: tuple[str, ...]
    not_applicable: str = "na"


def _measure_counts(session: Session, scope: Scope, groups: list[tuple[str, str]],
                    measures: tuple[Measure, ...], sets: list[tuple[str, ...]] | None = None):
    """One row per group: the group values, the responses, then per measure its valid and
    its counted answers. `groups` are (alias, SQL expression) pairs; "@name" in an
    expression reads that answer from the response. With `sets` (PostgreSQL), the rows of
    each grouping set of aliases, GROUPING() of every group but the first after the groups.

    Reading a few named keys from each response is much cheaper than exploding every answer
    again (SQLite sorts every exploded row to group them)."""
    dialect = _dialect(session)
    params = scope.params()

    def read(name: str, alias: str) -> str:
        params[f"k_{alias}"] = f"$.{name}" if dialect == "sqlite" else name
        return _extract(dialect, f"k_{alias}")

    inner = [(expression if not expression.startswith("@") else read(expression[1:], alias))
             + f" AS {alias}" for alias, expression in groups]
    outer = ["COUNT(*)"]
    for index, measure in enumerate(measures):
        inner.append(read(measure.question, f"m{index}") + f" AS m{index}")
        params[f"na{index}"], params[f"v{index}"] = measure.not_applicable, list(measure.values)
        outer.append(f"SUM(CASE WHEN m{index} <> :na{index} THEN 1 ELSE 0 END)")
        outer.append(f"SUM(CASE WHEN m{index} IN :v{index} THEN 1 ELSE 0 END)")
    aliases = ", ".join(alias for alias, _ in groups)
    # SQLite flattens a plain subquery and then reads each answer once per use (twice per
    # measure); a materialised one reads it once (0.74 s -> 0.55 s for 100,000 responses).
    materialized = "MATERIALIZED " if dialect == "sqlite" else ""
    selected = [alias for alias, _ in groups]
    group_by = f" GROUP BY {aliases}" if aliases else ""
    if sets is not None:
        selected += [f"GROUPING({alias})" for alias, _ in groups[1:]]
        listed = ", ".join("(" + ", ".join(aliases_set) + ")" for aliases_set in sets)
        group_by = f" GROUP BY GROUPING SETS ({listed})"
    sql = (f"WITH x AS {materialized}(SELECT {', '.join(inner) or '1 AS one'} "
           f"FROM responses r WHERE @SCOPE) "
           f"SELECT {', '.join([*selected, *outer])} FROM x" + group_by)
    return _run(session, scope, sql, params, tuple(f"v{i}" for i in range(len(measures))))


def breakdown_counts(session: Session, scope: Scope, dimensions: tuple[str, ...],
                     measures: tuple[Measure, ...]):
    """Rows (dimension values... (None: unanswered), responses, then valid and counted per
    measure), one per combination of the breakdown questions' answers (a handful): each
    breakdown table is a margin of them."""
    groups = [(f"d{index}", f"@{name}") for index, name in enumerate(dimensions)]
    return _measure_counts(session, scope, groups, measures)


def unit_measure_counts(session: Session, scope: Scope, measures: tuple[Measure, ...]):
    """Rows (unit_id, responses, then valid and counted per measure)."""
    return _measure_counts(session, scope, [("unit_id", "r.unit_id")], measures)


_HIDDEN_COMMENTS = "SELECT response_id, question FROM hidden_comments WHERE round_id = :round_id"


def hidden_comment_refs(session: Session, round_id: int) -> set[tuple[int, str]]:
    """(response id, question) of the round's comments hidden by moderation
    (server/moderation): few, so read at once and left out in Python."""
    rows = session.execute(text(_HIDDEN_COMMENTS), {"round_id": round_id}).all()
    return {(int(response_id), question) for response_id, question in rows}


def comment_rows(session: Session, scope: Scope, comment_names: tuple[str, ...]):
    """Rows (unit_id, question, text) of every comment, oldest response first (questions in
    the form's order within a response); comments hidden by moderation are left out."""
    return comment_rows_and_hidden(session, scope, comment_names)[0]


def comment_rows_and_hidden(session: Session, scope: Scope,
                            comment_names: tuple[str, ...]) -> tuple[list, int]:
    """The rows of comment_rows and how many non-blank comments in scope moderation hid
    (the report states that number)."""
    if not comment_names:
        return [], 0
    hidden = hidden_comment_refs(session, scope.round_id)
    dialect = _dialect(session)
    value = _COMMENT_VALUE[dialect]
    columns = ", ".join(f"{value.format(i=i)} AS c{i}" for i in range(len(comment_names)))
    any_comment = " OR ".join(f"c{i} IS NOT NULL" for i in range(len(comment_names)))
    sql = (_COMMENTS.replace("@COLUMNS", columns).replace("@ANY", any_comment)
           + " ORDER BY c.completed_at, c.id")
    params = scope.params()
    for i, name in enumerate(comment_names):
        # SQLite reads a JSON path, PostgreSQL a key
        params.update({f"path{i}": f'$."{name}"'} if dialect == "sqlite" else {f"name{i}": name})
    rows, hidden_count = [], 0
    for row in _run(session, scope, sql, params, ()):
        for name, text_value in zip(comment_names, row[3:], strict=True):
            if text_value is None:
                continue
            if (row[2], name) not in hidden:
                rows.append((row[0], name, text_value))
            elif str(text_value).strip():
                hidden_count += 1
    return rows, hidden_count


def unit_margin_counts(session: Session, scope: Scope, dimension: str,
                       measures: tuple[Measure, ...]):
    """Rows (unit_id, the dimension's answer (None: unanswered), responses, then valid and
    counted per measure): one breakdown question's margin per unit (aggregates.py)."""
    return _measure_counts(session, scope, [("unit_id", "r.unit_id"), ("d0", f"@{dimension}")],
                           measures)


def unit_margins(session: Session, scope: Scope, dimensions: tuple[str, ...],
                 measures: tuple[Measure, ...]) -> list[tuple]:
    """Rows (unit_id, dimension ("": all the unit's responses), answered, the answer (""
    when not answered), responses, then valid and counted per measure): every margin per
    unit (aggregates.py). PostgreSQL reads the responses once for all of them (GROUPING
    SETS: a national round's margins 26 s -> one pass), SQLite once per margin."""
    if _dialect(session) != "postgresql":
        rows = [(unit_id, "", True, "", *numbers)
                for unit_id, *numbers in unit_measure_counts(session, scope, measures)]
        for dimension in dimensions:
            rows += [(unit_id, dimension, value is not None, "" if value is None else str(value),
                      *numbers)
                     for unit_id, value, *numbers in unit_margin_counts(
                         session, scope, dimension, measures)]
        return rows
    width = len(dimensions)
    groups = [("unit_id", "r.unit_id"),
              *((f"d{index}", f"@{name}") for index, name in enumerate(dimensions))]
    sets = [("unit_id",), *(("unit_id", f"d{index}") for index in range(width))]
    rows = []
    for unit_id, *row in _measure_counts(session, scope, groups, measures, sets):
        values, rolled_up, numbers = row[:width], row[width:2 * width], row[2 * width:]
        grouped = [index for index, flag in enumerate(rolled_up) if not flag]
        if not grouped:
            rows.append((unit_id, "", True, "", *numbers))
            continue
        value = values[grouped[0]]
        rows.append((unit_id, dimensions[grouped[0]], value is not None,
                     "" if value is None else str(value), *numbers))
    return rows


_SKIPPED_BY_UNIT = {
    "sqlite": """
SELECT r.unit_id, s.value AS question, COUNT(*) AS n
FROM responses r JOIN json_each(r.skipped) s
WHERE @SCOPE
GROUP BY 1, 2
""",
    "postgresql": """
SELECT r.unit_id, s.value AS question, COUNT(*) AS n
FROM responses r CROSS JOIN LATERAL jsonb_array_elements_text(r.skipped) AS s(value)
WHERE @SCOPE
GROUP BY 1, 2
""",
}


def skipped_counts_by_unit(session: Session, scope: Scope):
    """Rows (unit_id, question, responses that skipped it by logic)."""
    return _run(session, scope, _SKIPPED_BY_UNIT[_dialect(session)], scope.params(), ())
