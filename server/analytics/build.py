"""build_round_summary: the summary of one round for one unit, from the database."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from reports.comments import report_comments
from reports.stats import FISHER_BELOW, MIN_N_PER_SIDE
from reports.summary import (
    Comment,
    ComparisonCoverage,
    Coverage,
    CoverageRow,
    LocalText,
    Methodology,
    RoundInfo,
    RoundSummary,
    UnitInfo,
)
from server.analytics import queries
from server.analytics.breakdowns import (
    breakdown_table,
    child_ranking,
    dimension_rows,
)
from server.analytics.delta import add_breakdowns, add_tallies, delta_scope
from server.analytics.figures import (
    group_index,
    incident_rates,
    item_satisfaction,
    overall_change,
    overall_figures,
    question_summary,
)
from server.analytics.history import PreviousRounds, previous_rounds
from server.analytics.period import round_desk_ratings, round_suggestions
from server.analytics.scope import UnitScope, unit_scope
from server.analytics.spec import FormSpec, form_spec
from server.analytics.stored import StoredRounds, StoredUnit
from server.analytics.suppression import sort_breakdowns, suppress
from server.analytics.tallies import (
    Tally,
    tallies_by_breakdown,
    tallies_by_bucket,
    tallies_by_measures,
    total,
)
from server.db_types import utcnow
from server.rounds.models import Round
from server.units.models import Unit
from server.units.services import ancestors

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
ALPHA = 0.05
BY_UNIT_TITLE = {
    True: LocalText("Theo thôn, tổ dân phố", "By residential group", "តាមភូមិ និងក្រុម"),
    False: LocalText("Theo đơn vị trực thuộc", "By unit", "តាមអង្គភាពក្រោមឱវាទ"),
}


@dataclass(frozen=True, slots=True)
class SummaryOptions:
    suppression_threshold: int = 5
    issuer_name: str = "Ủy ban Mặt trận Tổ quốc Việt Nam"
    comment_limit: int = 300


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def round_info(round_: Round) -> RoundInfo:
    status = round_.effective_status()
    return RoundInfo(
        id=round_.id, name=nfc(round_.title),
        starts_on=round_.opens_at.astimezone(VIETNAM).date(),
        ends_on=round_.closes_at.astimezone(VIETNAM).date(),
        form_title=LocalText.of(round_.form_version.title),
        form_version=round_.form_version.version,
        status=status if status in ("planned", "open", "closed") else "planned")


def _issuer(base: str, unit: Unit) -> LocalText:
    # "Ủy ban Mặt trận Tổ quốc Việt Nam phường Hoa Lư": the kind word is lower case mid-sentence
    name = unit.name[:1].lower() + unit.name[1:]
    return LocalText(nfc(f"{base} {name}"),
                     nfc(f"Viet Nam Fatherland Front Committee, {unit.name}"))


@dataclass
class _RoundTallies:
    by_bucket: dict[int, Tally]
    all: Tally


def _measures(spec: FormSpec, with_incidents: bool) -> tuple[queries.Measure, ...]:
    satisfied = tuple(sorted(spec.satisfied_values))
    names = (*spec.item_names, *([spec.overall] if spec.overall else []))
    measures = [queries.Measure(name, satisfied, spec.not_applicable) for name in names]
    if with_incidents:
        measures += [queries.Measure(incident.question, (incident.value,), spec.not_applicable)
                     for incident in spec.incidents]
    return tuple(measures)


def _live_round_tallies(session: Session, spec: FormSpec, where: queries.Scope,
                        scope: UnitScope) -> _RoundTallies:
    by_bucket = tallies_by_bucket(
        scope.bucket_of,
        queries.answer_counts(session, where, tuple(q.name for q in spec.questions),
                              spec.choice_names),
        {name: queries.chosen_counts(session, where, name)
         for name in spec.multiple_choice_names},
        queries.response_counts(session, where))
    all_units = total(by_bucket)
    # skipped-by-logic counts are shown for the whole unit only, never per bucket
    for question, n in queries.skipped_counts(session, where):
        all_units.skipped[question] += int(n)
    return _RoundTallies(by_bucket, all_units)


def _round_tallies(session: Session, spec: FormSpec, round_id: int,
                   scope: UnitScope, stored: StoredUnit | None = None) -> _RoundTallies:
    if stored is None:
        return _live_round_tallies(session, spec, queries.Scope(round_id, scope.unit.path),
                                   scope)
    tallies = _RoundTallies(*stored.round_tallies())
    if (after := delta_scope(round_id, scope.unit.path, stored)) is not None:
        delta = _live_round_tallies(session, spec, after, scope)
        add_tallies(tallies.by_bucket, delta.by_bucket)
        tallies.all.add(delta.all)
    return tallies


def _compared_tallies(session: Session, spec: FormSpec, round_: Round,
                      scope: UnitScope, stored: StoredRounds) -> _RoundTallies:
    """The previous round needs only what is compared: items and incidents, per bucket."""
    measures = _measures(spec, with_incidents=True)
    kept = stored.measures_of(round_, measures)
    if kept is not None:
        by_bucket = kept.measure_tallies(measures)
        return _RoundTallies(by_bucket, total(by_bucket))
    rows = queries.unit_measure_counts(session, queries.Scope(round_.id, scope.unit.path),
                                       measures)
    by_bucket = tallies_by_measures(scope.bucket_of, rows, measures)
    return _RoundTallies(by_bucket, total(by_bucket))


def _comparison_coverage(scope: UnitScope, current: _RoundTallies,
                         before: _RoundTallies) -> ComparisonCoverage:
    """The child units that answered in one of the two rounds and not in the other."""
    def answered(tallies: _RoundTallies, child_id: int) -> bool:
        return tallies.by_bucket.get(child_id, Tally()).responses > 0

    return ComparisonCoverage(
        previous_responses=before.all.responses,
        only_now=tuple(nfc(c.name) for c in scope.children
                       if answered(current, c.id) and not answered(before, c.id)),
        only_before=tuple(nfc(c.name) for c in scope.children
                          if answered(before, c.id) and not answered(current, c.id)))


def _children(session: Session, spec: FormSpec, scope: UnitScope, current: _RoundTallies,
              chosen: PreviousRounds, compared: dict[int, _RoundTallies], threshold: int):
    """The ranking of child units, each compared with its own previous round."""
    previous = {child: compared[earlier.round.id].by_bucket.get(child, Tally())
                for child, earlier in chosen.children.items()}
    names = {child: nfc(earlier.round.title) for child, earlier in chosen.children.items()}
    return child_ranking(spec, [(c.id, c.name, c.target) for c in scope.children],
                         current.by_bucket, previous, threshold, names)


def _coverage(scope: UnitScope, tallies: _RoundTallies) -> Coverage:
    rows = tuple(CoverageRow(child.id, child.name,
                             tallies.by_bucket.get(child.id, Tally()).responses, child.target)
                 for child in scope.children)
    return Coverage(responses=tallies.all.responses, target=scope.target, rows=rows)


def _breakdowns(session: Session, spec: FormSpec, round_id: int, scope: UnitScope,
                tallies: _RoundTallies, threshold: int, stored: StoredUnit | None = None):
    tables = []
    if scope.children:
        # a child unit not in the round is "not surveyed" (in the ranking), not a hidden row
        rows = [(str(child.id), LocalText(child.name),
                 tallies.by_bucket.get(child.id, Tally())) for child in scope.children
                if child.target is not None or child.id in tallies.by_bucket]
        key = "residential_group" if scope.children_are_residential else "unit"
        tables.append(breakdown_table(spec, key, BY_UNIT_TITLE[scope.children_are_residential],
                                      rows, threshold))
    if not spec.breakdowns:
        return tuple(tables)
    measures = _measures(spec, with_incidents=False)

    def live(where: queries.Scope) -> dict[str, dict]:
        rows = queries.breakdown_counts(session, where, spec.breakdowns, measures)
        return tallies_by_breakdown(rows, spec.breakdowns, measures)

    if stored is None:
        by_dimension = live(queries.Scope(round_id, scope.unit.path))
    else:
        by_dimension = stored.breakdown_tallies(spec.breakdowns, measures)
        if (after := delta_scope(round_id, scope.unit.path, stored)) is not None:
            add_breakdowns(by_dimension, live(after))
    for dimension in spec.breakdowns:
        tables.append(breakdown_table(spec, dimension, spec.question(dimension).label,
                                      dimension_rows(spec, dimension, by_dimension[dimension]),
                                      threshold))
    return tuple(tables)


def _comments(session: Session, spec: FormSpec, round_id: int, scope: UnitScope,
              tallies: _RoundTallies,
              options: SummaryOptions) -> tuple[tuple[Comment, ...], int, int]:
    """The printed comments (grouped, masked, sampled in turn from each child unit), the
    number of comments in all and the number moderation hid (not in that number)."""
    # a comment from a small group is not attributed to it: that could identify the writer
    names = {child.id: child.name for child in scope.children
             if tallies.by_bucket.get(child.id, Tally()).responses
             >= options.suppression_threshold}
    rows, hidden = queries.comment_rows_and_hidden(
        session, queries.Scope(round_id, scope.unit.path), spec.comments)
    comments, total = report_comments(
        ((scope.bucket_of.get(unit_id), question, str(value)) for unit_id, question, value in rows),
        [child.id for child in scope.children], names, options.comment_limit)
    return comments, total, hidden


def build_round_summary(session: Session, round_: Round, unit: Unit,
                        options: SummaryOptions | None = None,
                        now: datetime | None = None) -> RoundSummary:
    """Everything the report may say about `unit` in `round_`, aggregated by the database,
    with every figure resting on fewer than k responses suppressed (analytics.suppression)."""
    options = options or SummaryOptions()
    threshold = options.suppression_threshold
    spec = form_spec(round_.form_version.definition)
    scope = unit_scope(session, round_, unit)
    # the round's stored aggregates where usable (the children's sums, plus the responses
    # after them read live), else live
    stored = StoredRounds(session, unit)
    current_stored = stored.get(round_)
    current = _round_tallies(session, spec, round_.id, scope, current_stored)

    ranked = bool(scope.children) and not scope.children_are_residential
    chosen = previous_rounds(
        session, round_, scope.unit.path, scope.bucket_of,
        [c.id for c in scope.children] if ranked else [], threshold,
        stored_counts=lambda earlier: (kept.bucket_counts()
                                       if (kept := stored.whole(earlier)) else None))
    compared = {earlier.id: _compared_tallies(session, spec, earlier, scope, stored)
                for earlier in chosen.rounds()}
    before_round = chosen.unit.round if chosen.unit else None
    before = compared[before_round.id] if before_round else None
    previous_all = before.all if before else None

    groups = tuple(group_index(spec, current.all, previous_all, block, ALPHA)
                   for block in spec.groups)
    conduct = (group_index(spec, current.all, previous_all, spec.conduct, ALPHA)
               if spec.conduct else None)
    overall, overall_low, overall_high = overall_figures(spec, current.all)
    overall_previous = (overall_change(spec, current.all, previous_all, overall, ALPHA)
                        if previous_all else None)
    overall_question = (item_satisfaction(spec, current.all, previous_all, "overall_question",
                                          spec.overall, ALPHA) if spec.overall else None)
    breakdowns = _breakdowns(session, spec, round_.id, scope, current, threshold,
                             current_stored)
    children = (_children(session, spec, scope, current, chosen, compared, threshold)
                if ranked else ())
    comments, comment_total, comment_hidden = _comments(session, spec, round_.id, scope,
                                                        current, options)
    info = round_info(round_)
    summary = RoundSummary(
        unit=UnitInfo(id=unit.id, name=nfc(unit.name), kind=unit.kind,
                      parent_names=tuple(nfc(a.name) for a in ancestors(unit))),
        round=info,
        issuer=_issuer(options.issuer_name, unit),
        generated_at=now or utcnow(),
        coverage=_coverage(scope, current),
        questions=tuple(question_summary(spec, current.all, q) for q in spec.questions),
        items=tuple(item_satisfaction(spec, current.all, previous_all, block.key, name, ALPHA)
                    for block in spec.blocks for name in block.questions),
        groups=groups, conduct=conduct,
        overall_index=overall, overall_previous=overall_previous,
        incidents=incident_rates(spec, current.all, previous_all, ALPHA),
        breakdowns=breakdowns, children=children,
        previous_round=round_info(before_round) if before_round else None,
        comments=comments, comment_total=comment_total, comment_hidden=comment_hidden,
        overall_question=overall_question, trend_question=spec.trend,
        overall_ci_low=overall_low, overall_ci_high=overall_high,
        comparison_coverage=(_comparison_coverage(scope, current, before)
                             if before is not None else None),
        methodology=Methodology(
            suppression_threshold=threshold, alpha=ALPHA, comment_limit=options.comment_limit,
            min_n_per_side=MIN_N_PER_SIDE, exact_test_below=FISHER_BELOW,
            index_groups=tuple(block.label for block in spec.groups),
            overall_question=overall_question.label if overall_question else None),
        suggestions=round_suggestions(session, unit, info, threshold, now),
        desk_ratings=round_desk_ratings(session, unit, info, threshold),
    )
    return sort_breakdowns(suppress(summary, threshold))
