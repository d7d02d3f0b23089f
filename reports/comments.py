"""Residents' comments as a report lists them: masked, identical ones grouped with a count,
and, when there are more than the report can print, a fair sample across child units.

Pure Python, so the analytics (which collect the comments) and the tests share it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from reports.masking import mask_comment
from reports.summary import Comment


@dataclass(slots=True)
class _Group:
    text: str                                   # masked text of its first occurrence
    question: str
    buckets: list[Hashable | None] = field(default_factory=list)


@lru_cache(maxsize=20_000)
def identity(text: str) -> str:
    """What makes two comments "the same": NFC, trimmed, inner spaces collapsed, case-folded.
    Kept per process: short comments ("Không có ý kiến") come back by thousands in a
    national round, in the report and on the moderation page."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def group_comments(rows: Iterable[tuple[Hashable | None, str, str]]) -> list[_Group]:
    """(bucket, question, raw text) rows, oldest first -> groups in order of first occurrence.
    Empty comments are dropped."""
    groups: dict[str, _Group] = {}
    for bucket, question, raw in rows:
        key = identity(raw)
        if not key:
            continue
        group = groups.get(key)
        if group is None:
            text = " ".join(mask_comment(raw).split())
            group = groups[key] = _Group(text=text, question=question)
        group.buckets.append(bucket)
    return list(groups.values())


def round_robin(groups: list[_Group], bucket_order: list[Hashable | None],
                limit: int) -> list[_Group]:
    """At most `limit` groups taken in turn from each bucket (the bucket of a group's first
    occurrence), in `bucket_order` (buckets not in it come last, in order of appearance);
    inside a bucket the most repeated first, then the oldest. Deterministic."""
    queues: dict[Hashable | None, list[_Group]] = {}
    for group in groups:
        queues.setdefault(group.buckets[0], []).append(group)
    order = [b for b in bucket_order if b in queues] + [b for b in queues if b not in bucket_order]
    for bucket in order:
        queues[bucket].sort(key=lambda group: -len(group.buckets))   # stable: oldest first
    chosen: list[_Group] = []
    depth = 0
    while len(chosen) < limit and any(depth < len(queues[b]) for b in order):
        for bucket in order:
            if depth < len(queues[bucket]) and len(chosen) < limit:
                chosen.append(queues[bucket][depth])
        depth += 1
    return chosen


def report_comments(rows: Iterable[tuple[Hashable | None, str, str]],
                    bucket_order: list[Hashable | None], bucket_names: dict,
                    limit: int) -> tuple[tuple[Comment, ...], int]:
    """The comments a report prints and how many comments there are in all.

    `rows` are (bucket, question, raw text), oldest first; a comment is attributed to a
    bucket only when `bucket_names` names it (a small group is not named) and every copy
    of it came from there."""
    rows = list(rows)
    groups = group_comments(rows)
    total = sum(len(group.buckets) for group in groups)
    shown = round_robin(groups, bucket_order, limit)
    comments = tuple(
        Comment(text=group.text, question=group.question, count=len(group.buckets),
                unit_name=(bucket_names.get(group.buckets[0], "")
                           if len(set(group.buckets)) == 1 else ""))
        for group in shown)
    return comments, total
