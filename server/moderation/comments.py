"""The comments of a round below a unit, as moderation sees them: every occurrence (a
response's answer to one comment question), identical ones grouped as the report groups
them (reports.comments.identity), masked as the report masks them, each with its hidden
state. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import Row, or_, select

from reports.comments import identity
from reports.masking import mask_comment
from server.analytics.spec import form_spec
from server.database import roomy_planner
from server.extensions import db
from server.moderation.models import HiddenComment
from server.rounds.models import Round
from server.sync.exclusion import counted
from server.sync.models import Response
from server.units.models import Unit


class Occurrence(NamedTuple):
    """One comment: a tuple, as a national round has 100,000 of them on one page's read."""
    response_id: int
    question: str
    hidden: Row | None = None       # its HiddenComment's columns, when hidden

    @property
    def ref(self) -> tuple[int, str]:
        return self.response_id, self.question


@dataclass(slots=True)
class CommentGroup:
    """Identical comments: the masked text of the first, and every occurrence, oldest first."""
    key: str
    text: str
    question: str
    occurrences: list[Occurrence] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.occurrences)

    @property
    def hidden_count(self) -> int:
        return sum(1 for occurrence in self.occurrences if occurrence.hidden is not None)


def comment_questions(round_: Round) -> tuple[str, ...]:
    """The form's comment questions (its report settings), in form order."""
    return form_spec(round_.form_version.definition).comments


def _raw_comments(round_: Round, unit: Unit, names: tuple[str, ...]):
    """(response id, question, text) of every non-empty comment of the responses the
    report counts, below the unit, oldest response first: the rows the report reads."""
    if not names:
        return
    values = [Response.answers[name].as_string() for name in names]
    in_scope = select(Unit.id).where(Unit.path.startswith(unit.path, autoescape=True))
    # only the responses with a comment: about one in six (a national round's 664,200
    # responses read back whole took most of the country's page)
    query = (select(Response.id, *[value.label(f"c{i}") for i, value in enumerate(values)])
             .where(Response.round_id == round_.id, counted(), Response.unit_id.in_(in_scope),
                    or_(*[value.is_not(None) for value in values]))
             .order_by(Response.completed_at, Response.id))
    roomy_planner()
    # plain Core rows: the ORM's row handling cost a third of the read
    for response_id, *texts in db.session.connection().execute(query):
        for name, value in zip(names, texts, strict=True):
            if value is not None:
                yield response_id, name, str(value)


def hidden_in_round(round_id: int) -> dict[tuple[int, str], Row]:
    """(response id, question) -> what the hiding says (reason, note, by whom, when): plain
    rows, as a province may have thousands."""
    rows = db.session.execute(
        select(HiddenComment.response_id, HiddenComment.question, HiddenComment.reason,
               HiddenComment.note, HiddenComment.hidden_by_id, HiddenComment.hidden_at)
        .where(HiddenComment.round_id == round_id))
    return {(row.response_id, row.question): row for row in rows}


def comment_groups(round_: Round, unit: Unit) -> list[CommentGroup]:
    """Every comment below the unit grouped, the most repeated first, then the oldest."""
    hidden = hidden_in_round(round_.id)
    groups: dict[str, CommentGroup] = {}
    for response_id, question, text in _raw_comments(round_, unit, comment_questions(round_)):
        key = identity(text)
        if not key:
            continue    # blank: the report drops it too
        group = groups.get(key)
        if group is None:
            group = groups[key] = CommentGroup(key, " ".join(mask_comment(text).split()), question)
        group.occurrences.append(Occurrence(response_id, question,
                                            hidden.get((response_id, question))))
    return sorted(groups.values(), key=lambda group: -group.count)   # stable: oldest first


STATES = ("all", "hidden", "shown")


@dataclass(frozen=True, slots=True)
class GroupPage:
    groups: list[CommentGroup]
    total_groups: int           # groups matching the state, on every page
    total_comments: int         # every comment below the unit
    hidden_comments: int        # of which hidden
    page: int
    pages: int


def group_page(groups: list[CommentGroup], state: str, page: int, per_page: int) -> GroupPage:
    """One page of groups: all, those with a hidden comment, or those with a shown one."""
    if state == "hidden":
        matching = [group for group in groups if group.hidden_count]
    elif state == "shown":
        matching = [group for group in groups if group.hidden_count < group.count]
    else:
        matching = groups
    pages = max(1, -(-len(matching) // per_page))
    page = min(max(page, 1), pages)
    return GroupPage(matching[(page - 1) * per_page:page * per_page], len(matching),
                     sum(group.count for group in groups),
                     sum(group.hidden_count for group in groups), page, pages)
