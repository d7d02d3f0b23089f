"""The form versions a batch is checked against: each definition read once per process.

A published definition never changes and a draft's content hash follows its edits, so a
batch reads only the hashes, and a definition only the first time its (id, hash) is seen.
Handing the same dict to validation each time also finds its compiled form by identity
(server/forms/compiled.py) instead of by hash. Reading the 20 kB default form on every
upload cost 0.5-1 ms of CPU a batch (bench/ingest.py).

The last version read for each id is also remembered, so a batch can be validated before
any query (server/sync/early_validation.py) and that work kept only if the hash read
under the lock is the same.
"""

from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import select

from server.extensions import db
from server.forms.models import FormVersion


@dataclass(slots=True, frozen=True)
class FormCheck:
    """What the checks need of a form version."""

    definition: dict
    content_hash: str


# (version id, content hash) -> definition, the oldest dropped first.
_DEFINITIONS: OrderedDict[tuple[int, str], dict] = OrderedDict()
_DEFINITIONS_KEPT = 32
# version id -> the FormCheck last read for it, the oldest dropped first.
_LATEST: OrderedDict[int, FormCheck] = OrderedDict()


def _keep(store: OrderedDict, key, value) -> None:
    """Put the value in last (the newest) and drop the oldest past _DEFINITIONS_KEPT."""
    store.pop(key, None)
    store[key] = value
    while len(store) > _DEFINITIONS_KEPT:
        try:
            store.popitem(last=False)
        except KeyError:  # another thread (gthread workers) emptied it meanwhile
            break


def remembered(version_id: int) -> FormCheck | None:
    """The FormCheck this process last read for a version id (no query): what it most
    likely still is; form_checks() tells for sure."""
    return _LATEST.get(version_id)


def form_checks(version_ids: set[int]) -> dict[int, FormCheck]:
    """Version id -> FormCheck, for those of these ids that exist."""
    if not version_ids:
        return {}
    found = {}
    for version_id, content_hash in db.session.execute(
            select(FormVersion.id, FormVersion.content_hash).where(FormVersion.id.in_(version_ids))):
        definition = _DEFINITIONS.get((version_id, content_hash))
        if definition is not None:
            found[version_id] = FormCheck(definition, content_hash)
    for version_id, check in found.items():
        _keep(_LATEST, version_id, check)
    unknown = version_ids - set(found)
    if unknown:
        for version_id, content_hash, definition in db.session.execute(
                select(FormVersion.id, FormVersion.content_hash, FormVersion.definition)
                .where(FormVersion.id.in_(unknown))):
            found[version_id] = FormCheck(definition, content_hash)
            _keep(_LATEST, version_id, found[version_id])
            _keep(_DEFINITIONS, (version_id, content_hash), definition)
    return found
