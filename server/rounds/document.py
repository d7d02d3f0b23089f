"""A round's report as an administrative document: the issuing body and the one above it,
the document number, the place of the date line, the signer and the "Nơi nhận" list.

Stored on the round (document_* columns), checked by RoundDocumentSchema, changed by
``update_document`` (audited) from the console and the API, and handed to the report as
plain data (``document_settings``)."""

import unicodedata

from reports.summary import DocumentSettings
from server.audit.services import record
from server.extensions import db
from server.rounds.models import Round

TEXT_FIELDS = ("issuer", "superior", "number", "place", "signer_title", "signer_name")
FIELDS = (*TEXT_FIELDS, "recipients")


def _line(text: str) -> str:
    """NFC, inner whitespace runs made one space: what is stored and compared."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _text(value: str | None, lines: bool = False) -> str | None:
    if value is None:
        return None
    if lines:  # the signer's title keeps its line breaks, one title line per line
        kept = [_line(part) for part in value.splitlines()]
        text = "\n".join(part for part in kept if part)
    else:
        text = _line(value)
    return text or None


def _recipients(values: list[str] | None) -> list[str] | None:
    kept = [_line(value) for value in values or ()]
    return [value for value in kept if value] or None


def document_values(round_: Round) -> dict:
    """The stored settings, by field name (None: the report's default)."""
    return {name: getattr(round_, f"document_{name}") for name in FIELDS}


def update_document(round_: Round, actor_id: int | None, values: dict) -> dict:
    """Set the fields given in ``values`` (as RoundDocumentSchema loaded them; blank means
    the default); returns {field: [before, after]} for what changed, and audits it."""
    cleaned = {}
    for name, value in values.items():
        if name == "recipients":
            cleaned[name] = _recipients(value)
        elif name in TEXT_FIELDS:
            cleaned[name] = _text(value, lines=name == "signer_title")
    changed = {name: [getattr(round_, f"document_{name}"), value]
               for name, value in cleaned.items() if getattr(round_, f"document_{name}") != value}
    for name, (_, value) in changed.items():
        setattr(round_, f"document_{name}", value)
    if changed:
        db.session.flush()
        record(actor_id, "round.document_updated", "round", round_.id,
               {"before": {k: v[0] for k, v in changed.items()},
                "after": {k: v[1] for k, v in changed.items()}})
    return changed


def document_settings(round_: Round) -> DocumentSettings:
    """The settings as the report takes them (blank where the report's default applies)."""
    title = round_.document_signer_title or ""
    return DocumentSettings(
        issuer=round_.document_issuer or "", superior=round_.document_superior or "",
        number=round_.document_number or "", place=round_.document_place or "",
        signer_title=tuple(line for line in title.split("\n") if line),
        signer_name=round_.document_signer_name or "",
        recipients=tuple(round_.document_recipients or ()))
