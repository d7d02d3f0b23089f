"""The checks one submitted response must pass to be stored: scope, timing, the form.

Timing trusts the phone's clock only as far as it can: a completion time later than the
moment the server received it is impossible, so it counts as "now"; a clock some hours slow
is forgiven at the round's opening (CLOCK_ALLOWANCE). The phone's times are stored as
given; only these decisions correct them.

A late response (completed while the round was open, received after it closed) is stored
and marked late, or refused with its reason, as the round's late policy says
(server/rounds/services.accepts_late). The same allowances apply either way: a completion
time in the phone's future still counts as "now".
"""

from dataclasses import dataclass, field
from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import current_app

from server.forms.validation import ValidationResult, validate_response
from server.rounds.services import accepts_late
from server.sync.content import Submission

CLOCK_ALLOWANCE = timedelta(hours=24)

MESSAGES = {
    "round_not_assigned": ("Bạn không được phân công thu phiếu trong đợt khảo sát này.",
                           "You are not assigned to collect in this survey round."),
    "unit_not_assigned": ("Đơn vị này không thuộc phân công của bạn trong đợt khảo sát.",
                          "This unit is not among your assigned units in this round."),
    "form_version_mismatch": ("Phiếu dùng mẫu phiếu không phải của đợt khảo sát này. "
                              "Hãy cập nhật ứng dụng và nhập lại phiếu.",
                              "The response uses a form version that does not belong to this "
                              "round. Update the app and enter the response again."),
    "completed_after_close": ("Phiếu được hoàn thành sau khi đợt khảo sát đã kết thúc ({closes_at}).",
                              "The response was completed after the round closed ({closes_at})."),
    "completed_before_open": ("Phiếu được hoàn thành trước khi đợt khảo sát bắt đầu ({opens_at}).",
                              "The response was completed before the round opened ({opens_at})."),
    "late_refused": ("Đợt khảo sát đã kết thúc lúc {closes_at} và không nhận phiếu gửi muộn, nên "
                     "phiếu này không được lưu. Hãy liên hệ cán bộ phụ trách đợt khảo sát.",
                     "The round closed at {closes_at} and does not accept late responses, so "
                     "this one was not stored. Contact the round's organiser."),
}


@dataclass(slots=True)
class Check:
    errors: list = field(default_factory=list)
    late: bool = False
    validated: ValidationResult | None = None


def _error(code: str, **params) -> dict:
    vi, en = MESSAGES[code]
    return {"question": None, "code": code,
            "message": {"vi": vi.format(**params), "en": en.format(**params)}}


def _local(moment):
    return moment.astimezone(ZoneInfo(current_app.config["DISPLAY_TIMEZONE"]))


def phone_today(completed_at) -> str:
    """The date form logic takes as today() for a response: the day it was completed, in
    local time. Every validation of a response (on receipt, on review) uses it."""
    return _local(completed_at).date().isoformat()


def _shown(moment) -> str:
    return _local(moment).strftime("%H:%M %d/%m/%Y")


def _scope_errors(submission: Submission, context) -> list:
    round_ = context.rounds.get(submission.round_id)
    units = context.collectible.get(submission.round_id)
    if round_ is None or not units:
        return [_error("round_not_assigned")]
    errors = []
    if submission.unit_id not in units:
        errors.append(_error("unit_not_assigned"))
    if submission.form_version_id != round_.form_version_id:
        errors.append(_error("form_version_mismatch"))
    return errors


def _timing(submission: Submission, round_, now) -> tuple[list, bool]:
    completed = min(submission.completed_at, now)
    if completed >= round_.closes_at:
        return [_error("completed_after_close", closes_at=_shown(round_.closes_at))], False
    if completed < round_.opens_at - CLOCK_ALLOWANCE:
        return [_error("completed_before_open", opens_at=_shown(round_.opens_at))], False
    late = round_.status == "closed" or now >= round_.closes_at
    if late and not accepts_late(round_):
        return [_error("late_refused", closes_at=_shown(min(round_.closes_at, now)))], False
    return [], late


def check_submission(submission: Submission, context) -> Check:
    errors = _scope_errors(submission, context)
    if errors:
        return Check(errors)
    round_ = context.rounds[submission.round_id]
    errors, late = _timing(submission, round_, context.now)
    if errors:
        return Check(errors)
    version = context.form_versions[round_.form_version_id]
    validated = context.validated_early(submission, version)
    if validated is None:
        validated = validate_response(version.definition, submission.answers,
                                      phone_today(submission.completed_at),
                                      content_hash=version.content_hash)
    if validated.errors:
        return Check(validated.errors)
    return Check([], late, validated)
