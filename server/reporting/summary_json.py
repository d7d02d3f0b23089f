"""A unit's headline figures as JSON (GET /api/v1/rounds/<r>/units/<u>/summary): the same
summary as the PDF (build_round_summary, suppression included), so what the PDF withholds
the JSON withholds too. A unit under k responses answers `too_few_responses` with the
threshold and no figure at all (not even its count); a round without its responses,
`no_data`."""

from __future__ import annotations

import marshmallow as ma

from reports.summary import Comparison, GroupIndex, ItemSatisfaction, LocalText, RoundSummary
from server.analytics.suppression import NO_DATA, TOO_FEW

STATUSES = {None: "ok", TOO_FEW: "too_few_responses", NO_DATA: "no_data"}


class _Label(ma.Schema):
    vi = ma.fields.String()
    en = ma.fields.String()


class _Change(ma.Schema):
    previous_share = ma.fields.Float(allow_none=True)
    previous_valid = ma.fields.Integer()
    change_pp = ma.fields.Float(allow_none=True, metadata={"description": "Percentage points."})
    significant = ma.fields.Boolean(allow_none=True, metadata={
        "description": "null: not judged (too few answers on a side, or no test applies)."})


class _Item(ma.Schema):
    question = ma.fields.String()
    label = ma.fields.Nested(_Label)
    share = ma.fields.Float(allow_none=True)
    valid = ma.fields.Integer(allow_none=True, metadata={"description": "null when suppressed"})
    ci_low = ma.fields.Float(allow_none=True)
    ci_high = ma.fields.Float(allow_none=True)
    suppressed = ma.fields.Boolean()
    change = ma.fields.Nested(_Change, allow_none=True)


class _Group(ma.Schema):
    key = ma.fields.String()
    label = ma.fields.Nested(_Label)
    share = ma.fields.Float(allow_none=True, metadata={
        "description": "Unweighted mean of its items' shares satisfied."})
    valid = ma.fields.Integer(metadata={"description": "Valid answers of its best-answered item."})
    ci_low = ma.fields.Float(allow_none=True)
    ci_high = ma.fields.Float(allow_none=True)
    change = ma.fields.Nested(_Change, allow_none=True)
    items = ma.fields.List(ma.fields.Nested(_Item))


class _Named(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()


class UnitSummarySchema(ma.Schema):
    status = ma.fields.String(metadata={"enum": sorted(STATUSES.values()), "description":
                                        "ok; too_few_responses (fewer than `threshold`: no "
                                        "figure is given); no_data (no response yet)."})
    threshold = ma.fields.Integer(metadata={"description": "k: no figure rests on fewer."})
    round = ma.fields.Nested(_Named)
    round_status = ma.fields.String(metadata={"description": "open: provisional figures."})
    unit = ma.fields.Nested(_Named)
    responses = ma.fields.Integer(metadata={"description": "Only with status ok."})
    target = ma.fields.Integer(allow_none=True)
    overall_index = ma.fields.Float(allow_none=True, metadata={
        "description": "SIPAS-style index: unweighted mean of the group indices."})
    overall_index_ci_low = ma.fields.Float(allow_none=True)
    overall_index_ci_high = ma.fields.Float(allow_none=True)
    overall_index_change = ma.fields.Nested(_Change, allow_none=True)
    overall_question = ma.fields.Nested(_Item, allow_none=True, metadata={
        "description": "The form's direct overall question, when it has one."})
    groups = ma.fields.List(ma.fields.Nested(_Group))


def _label(text: LocalText) -> dict:
    return {"vi": text.vi, "en": text.en or text.vi}


def _change(previous: Comparison | None) -> dict | None:
    if previous is None:
        return None
    return {"previous_share": previous.share, "previous_valid": previous.valid,
            "change_pp": previous.change_pp, "significant": previous.significant}


def _item(item: ItemSatisfaction) -> dict:
    return {"question": item.question, "label": _label(item.label), "share": item.share,
            "valid": None if item.suppressed else item.valid,
            "ci_low": item.ci_low, "ci_high": item.ci_high, "suppressed": item.suppressed,
            "change": None if item.suppressed else _change(item.previous)}


def _group(summary: RoundSummary, group: GroupIndex) -> dict:
    return {"key": group.key, "label": _label(group.label), "share": group.share,
            "valid": group.valid, "ci_low": group.ci_low, "ci_high": group.ci_high,
            "change": _change(group.previous),
            "items": [_item(item) for item in summary.items_of(group.key)]}


def summary_document(summary: RoundSummary) -> dict:
    """The JSON answer; withheld summaries carry no figure."""
    document = {"status": STATUSES.get(summary.withheld, "too_few_responses"),
                "threshold": summary.methodology.suppression_threshold,
                "round": {"id": summary.round.id, "name": summary.round.name},
                "round_status": summary.round.status,
                "unit": {"id": summary.unit.id, "name": summary.unit.name}}
    if summary.withheld is not None:
        return document
    blocks = [*summary.groups, *([summary.conduct] if summary.conduct else [])]
    return {**document, "responses": summary.coverage.responses,
            "target": summary.coverage.target, "overall_index": summary.overall_index,
            "overall_index_ci_low": summary.overall_ci_low,
            "overall_index_ci_high": summary.overall_ci_high,
            "overall_index_change": _change(summary.overall_previous),
            "overall_question": (_item(summary.overall_question)
                                 if summary.overall_question else None),
            "groups": [_group(summary, block) for block in blocks]}
