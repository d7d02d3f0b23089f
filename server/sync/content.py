"""One submitted response, made ready to compare: NFC text, UTC times, a content hash.

The hash covers what the resident's response is (round, unit, form version, the phone's
times, the answers), not how it travelled (app version, device), so the same response
re-sent after an app update is still a duplicate and not a conflict.
"""

import hashlib
import json
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime


def nfc(value):
    """The value with every string in it (keys too) NFC-normalised."""
    if isinstance(value, str):
        return value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {nfc(key): nfc(item) for key, item in value.items()}
    if isinstance(value, list):
        return [nfc(item) for item in value]
    return value


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat()


@dataclass(slots=True)
class Submission:
    uuid: str  # canonical (lower case, hyphens): what is stored and compared
    sent_uuid: str  # as the phone wrote it: what its result echoes
    round_id: int
    form_version_id: int
    unit_id: int
    started_at: datetime | None
    completed_at: datetime
    answers: dict
    client: dict
    content_hash: str

    def payload(self) -> dict:
        """The submission as JSON, as it was sent (kept with a conflict for review)."""
        return {"uuid": self.uuid, "round_id": self.round_id,
                "form_version_id": self.form_version_id, "unit_id": self.unit_id,
                "started_at": _iso(self.started_at), "completed_at": _iso(self.completed_at),
                "answers": self.answers, "client": self.client}


def content_hash(round_id: int, form_version_id: int, unit_id: int, started_at: datetime | None,
                 completed_at: datetime, answers: dict) -> str:
    canonical = json.dumps(
        {"round_id": round_id, "form_version_id": form_version_id, "unit_id": unit_id,
         "started_at": _iso(started_at), "completed_at": _iso(completed_at), "answers": answers},
        sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def prepare(item: dict, is_nfc: bool = False) -> Submission:
    """A loaded SubmissionSchema item as a Submission: canonical UUID, NFC (unless the
    caller knows it is already: is_nfc), UTC, hashed."""
    answers = item["answers"] if is_nfc else nfc(item["answers"])
    started_at = item["started_at"].astimezone(UTC) if item["started_at"] else None
    completed_at = item["completed_at"].astimezone(UTC)
    return Submission(
        uuid=str(uuid.UUID(item["uuid"])), sent_uuid=item["uuid"], round_id=item["round_id"],
        form_version_id=item["form_version_id"], unit_id=item["unit_id"],
        started_at=started_at, completed_at=completed_at, answers=answers,
        client=dict(item.get("client") or {}) if is_nfc else nfc(dict(item.get("client") or {})),
        content_hash=content_hash(item["round_id"], item["form_version_id"], item["unit_id"],
                                  started_at, completed_at, answers))
