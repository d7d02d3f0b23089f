"""Figures from a tally: question distributions, item satisfaction, group and overall indices,
incident rates; and their comparison with the previous round's tally."""

from __future__ import annotations

from reports.stats import compare_proportions, wilson_interval
from reports.summary import (
    ChoiceCount,
    Comparison,
    GroupIndex,
    IncidentRate,
    ItemSatisfaction,
    QuestionSummary,
)
from server.analytics.spec import NOT_APPLICABLE_LABEL, BlockSpec, FormSpec, QuestionSpec
from server.analytics.tallies import Tally


def mean(values) -> float | None:
    present = [value for value in values if value is not None]
    return sum(present) / len(present) if present else None


def valid_count(spec: FormSpec, tally: Tally, question: str) -> int:
    """Answered and not "not applicable"."""
    return tally.answered.get(question, 0) - tally.count(question, spec.not_applicable)


def satisfied_count(spec: FormSpec, tally: Tally, question: str) -> int:
    return sum(tally.count(question, value) for value in spec.satisfied_values)


def item_share(spec: FormSpec, tally: Tally, question: str) -> float | None:
    valid = valid_count(spec, tally, question)
    return satisfied_count(spec, tally, question) / valid if valid else None


def block_share(spec: FormSpec, tally: Tally, block: BlockSpec) -> float | None:
    """A group's index: the mean of its items' shares (items with no valid answer left out)."""
    return mean(item_share(spec, tally, name) for name in block.questions)


def block_base(spec: FormSpec, tally: Tally, block: BlockSpec) -> int:
    """How many responses a group's figure rests on: its best-answered item's valid count."""
    return max((valid_count(spec, tally, name) for name in block.questions), default=0)


def overall_index(spec: FormSpec, tally: Tally) -> float | None:
    """The mean of the SIPAS group indices."""
    return mean(block_share(spec, tally, block) for block in spec.groups)


def index_change(now: float | None, before: float | None, base: int) -> Comparison:
    """An index is a mean of shares: its change has no single two-proportion test."""
    change = (now - before) * 100 if now is not None and before is not None else None
    return Comparison(share=before, valid=base, change_pp=change)


def question_summary(spec: FormSpec, tally: Tally, question: QuestionSpec) -> QuestionSummary:
    na = spec.not_applicable
    distribution: list[ChoiceCount] = []
    if question.is_choice:
        distribution = [ChoiceCount(choice.value, choice.label,
                                    tally.count(question.name, choice.value))
                        for choice in question.choices]
        if question.allow_na:
            distribution.append(ChoiceCount(na, NOT_APPLICABLE_LABEL,
                                            tally.count(question.name, na)))
    answered = tally.answered.get(question.name, 0)
    not_applicable = tally.count(question.name, na) if question.is_choice else 0
    skipped = tally.skipped.get(question.name, 0)
    return QuestionSummary(
        name=question.name, label=question.label, type=question.type,
        distribution=tuple(distribution), valid=answered - not_applicable,
        skipped_by_logic=skipped, missing=max(tally.responses - answered - skipped, 0),
        not_applicable=not_applicable)


def item_satisfaction(spec: FormSpec, tally: Tally, previous: Tally | None, block: BlockSpec,
                      name: str, alpha: float) -> ItemSatisfaction:
    satisfied, valid = satisfied_count(spec, tally, name), valid_count(spec, tally, name)
    low, high = wilson_interval(satisfied, valid) if valid else (None, None)
    comparison = None
    if previous is not None:
        comparison = compare_proportions(satisfied, valid, satisfied_count(spec, previous, name),
                                         valid_count(spec, previous, name), alpha)
    question = spec.question(name)
    return ItemSatisfaction(question=name, label=question.label, group_key=block.key,
                            satisfied=satisfied, valid=valid,
                            share=satisfied / valid if valid else None,
                            ci_low=low, ci_high=high, previous=comparison)


def group_index(spec: FormSpec, tally: Tally, previous: Tally | None,
                block: BlockSpec) -> GroupIndex:
    share = block_share(spec, tally, block)
    comparison = None
    if previous is not None:
        comparison = index_change(share, block_share(spec, previous, block),
                                  block_base(spec, previous, block))
    return GroupIndex(key=block.key, label=block.label, share=share, items=block.questions,
                      previous=comparison)


def incident_rates(spec: FormSpec, tally: Tally, previous: Tally | None,
                   alpha: float) -> tuple[IncidentRate, ...]:
    rates = []
    for incident in spec.incidents:
        count = tally.count(incident.question, incident.value)
        valid = valid_count(spec, tally, incident.question)
        comparison = None
        if previous is not None:
            comparison = compare_proportions(
                count, valid, previous.count(incident.question, incident.value),
                valid_count(spec, previous, incident.question), alpha)
        rates.append(IncidentRate(question=incident.question, label=incident.label,
                                  count=count, valid=valid,
                                  share=count / valid if valid else None, previous=comparison))
    return tuple(rates)
