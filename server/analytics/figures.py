"""Figures from a tally: question distributions, item satisfaction, group and overall indices,
incident rates; and their comparison with the previous round's tally."""

from __future__ import annotations

from dataclasses import replace

from reports.stats import (
    compare_indices,
    compare_proportions,
    index_interval,
    index_standard_error,
    mean_standard_error,
    wilson_interval,
    wilson_standard_error,
)
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


def item_error(spec: FormSpec, tally: Tally, question: str) -> float | None:
    valid = valid_count(spec, tally, question)
    return wilson_standard_error(satisfied_count(spec, tally, question), valid) if valid else None


def mean_score(spec: FormSpec, tally: Tally, question: str) -> float | None:
    """The mean of the numeric answers ("1".."5"); "na" and other words left out."""
    total = count = 0
    for value, n in tally.values.get(question, {}).items():
        try:
            number = float(value)
        except ValueError:
            continue
        total, count = total + number * n, count + n
    return total / count if count else None


def _answered_items(spec: FormSpec, tally: Tally, names) -> list[str]:
    return [name for name in names if valid_count(spec, tally, name)]


def share_and_error(spec: FormSpec, tally: Tally, names) -> tuple[float | None, float | None]:
    """The unweighted mean of the items' shares (items with no valid answer left out) and
    its conservative delta-method standard error (reports.stats)."""
    answered = _answered_items(spec, tally, names)
    return (mean(item_share(spec, tally, name) for name in answered),
            index_standard_error([item_error(spec, tally, name) for name in answered]))


def block_share(spec: FormSpec, tally: Tally, block: BlockSpec) -> float | None:
    """A group's index: the mean of its items' shares (items with no valid answer left out)."""
    return mean(item_share(spec, tally, name) for name in block.questions)


def block_base(spec: FormSpec, tally: Tally, block: BlockSpec | tuple[str, ...]) -> int:
    """How many responses a group's figure rests on: its best-answered item's valid count."""
    names = block.questions if isinstance(block, BlockSpec) else block
    return max((valid_count(spec, tally, name) for name in names), default=0)


def common_items(spec: FormSpec, now: Tally, before: Tally, names) -> tuple[str, ...]:
    """Like for like: the items with valid answers in both rounds."""
    return tuple(name for name in names
                 if valid_count(spec, now, name) and valid_count(spec, before, name))


def overall_index(spec: FormSpec, tally: Tally) -> float | None:
    """The mean of the SIPAS group indices."""
    return mean(block_share(spec, tally, block) for block in spec.groups)


def overall_figures(spec: FormSpec, tally: Tally) -> tuple[float | None, float | None,
                                                            float | None]:
    """The overall index and its interval (the error bound of a mean of group indices)."""
    figures = [share_and_error(spec, tally, block.questions) for block in spec.groups]
    shares = [share for share, _ in figures if share is not None]
    errors = [error for share, error in figures if share is not None]
    share = mean(shares)
    low, high = index_interval(share, mean_standard_error(errors))
    return share, low, high


def index_change(now: float | None, before: float | None, base: int) -> Comparison:
    """A change of an index without its errors (a child unit's, in the ranking)."""
    change = (now - before) * 100 if now is not None and before is not None else None
    return Comparison(share=before, valid=base, change_pp=change)


def _like_for_like(spec: FormSpec, now: Tally, before: Tally, names, printed: float | None,
                   alpha: float) -> Comparison:
    common = common_items(spec, now, before, names)
    dropped = tuple(name for name in names if name not in common
                    and (valid_count(spec, now, name) or valid_count(spec, before, name)))
    share_now, error_now = share_and_error(spec, now, common)
    share_before, error_before = share_and_error(spec, before, common)
    current = share_now if share_now is not None and printed is not None and abs(
        share_now - printed) > 1e-12 else None
    comparison = compare_indices(share_now, error_now, share_before, error_before,
                                 block_base(spec, now, common), block_base(spec, before, common),
                                 alpha, current=current)
    return replace(comparison, dropped=dropped)


def overall_change(spec: FormSpec, now: Tally, before: Tally, printed: float | None,
                   alpha: float) -> Comparison:
    """The overall index compared like for like: each group on its items answered in both
    rounds; a group with no such item drops out of both rounds."""
    pairs = []
    for block in spec.groups:
        common = common_items(spec, now, before, block.questions)
        if common:
            pairs.append((share_and_error(spec, now, common),
                          share_and_error(spec, before, common), common))
    if not pairs:
        return Comparison(share=None, valid=0, change_pp=None)
    share_now = mean(figure[0][0] for figure in pairs)
    share_before = mean(figure[1][0] for figure in pairs)
    base_now = max(block_base(spec, now, common) for _, _, common in pairs)
    base_before = max(block_base(spec, before, common) for _, _, common in pairs)
    current = share_now if printed is not None and abs(share_now - printed) > 1e-12 else None
    # every item left out of both rounds (a group with none left drops out whole)
    dropped = tuple(name for block in spec.groups for name in block.questions
                    if name not in common_items(spec, now, before, block.questions)
                    and (valid_count(spec, now, name) or valid_count(spec, before, name)))
    comparison = compare_indices(
        share_now, mean_standard_error([figure[0][1] for figure in pairs]), share_before,
        mean_standard_error([figure[1][1] for figure in pairs]), base_now, base_before, alpha,
        current=current)
    return replace(comparison, dropped=dropped)


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


def item_satisfaction(spec: FormSpec, tally: Tally, previous: Tally | None, block_key: str,
                      name: str, alpha: float) -> ItemSatisfaction:
    satisfied, valid = satisfied_count(spec, tally, name), valid_count(spec, tally, name)
    low, high = wilson_interval(satisfied, valid) if valid else (None, None)
    comparison = None
    if previous is not None:
        comparison = compare_proportions(satisfied, valid, satisfied_count(spec, previous, name),
                                         valid_count(spec, previous, name), alpha)
    question = spec.question(name)
    return ItemSatisfaction(question=name, label=question.label, group_key=block_key,
                            satisfied=satisfied, valid=valid,
                            share=satisfied / valid if valid else None,
                            ci_low=low, ci_high=high, previous=comparison,
                            mean_score=mean_score(spec, tally, name))


def group_index(spec: FormSpec, tally: Tally, previous: Tally | None, block: BlockSpec,
                alpha: float = 0.05) -> GroupIndex:
    share, error = share_and_error(spec, tally, block.questions)
    low, high = index_interval(share, error)
    comparison = None
    if previous is not None:
        comparison = _like_for_like(spec, tally, previous, block.questions, share, alpha)
    return GroupIndex(key=block.key, label=block.label, share=share, items=block.questions,
                      previous=comparison, ci_low=low, ci_high=high,
                      mean_score=mean(mean_score(spec, tally, name) for name in block.questions),
                      valid=block_base(spec, tally, block))


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
