"""A batch's form validation, done before its first query.

Validating 100 responses against their form is the largest CPU cost of an upload. On
SQLite it ran under the database's one write lock (server/sync/write_lock.py), so other
workers waited on it. Here each response is validated against the version this process
last read for its form_version_id (form_checks.remembered), before any query; under the
lock, the check keeps that result only when the version's hash read then is the same
(the same hash is the same definition, so the same answer), and validates again otherwise.
A process that has read no version yet validates under the lock, as before.

The cost: a response that turns out to be a duplicate, or out of scope, was validated for
nothing (outside the lock).
"""

from dataclasses import dataclass

from server.forms.validation import ValidationResult, validate_response
from server.sync.content import Submission
from server.sync.form_checks import FormCheck, remembered
from server.sync.rules import phone_today


@dataclass(slots=True, frozen=True)
class EarlyResult:
    content_hash: str  # of the form version it was validated against
    result: ValidationResult


def validate_early(submissions: list[Submission]) -> dict[int, EarlyResult]:
    """id(submission) -> its validation against the remembered version of its form."""
    found = {}
    for submission in submissions:
        version = remembered(submission.form_version_id)
        if version is None:
            continue
        found[id(submission)] = EarlyResult(version.content_hash, validate_response(
            version.definition, submission.answers, phone_today(submission.completed_at),
            content_hash=version.content_hash))
    return found


def early_result(early: dict[int, EarlyResult], submission: Submission,
                 version: FormCheck) -> ValidationResult | None:
    """The early validation of this submission if it was made against this version."""
    found = early.get(id(submission))
    if found is None or found.content_hash != version.content_hash:
        return None
    return found.result
