from server.audit.models import AuditEntry
from server.db_types import utcnow
from server.extensions import db


def record(actor_id: int | None, action: str, object_type: str, object_id=None,
           details: dict | None = None) -> AuditEntry:
    """Add an audit entry to the session; the caller's transaction commits it."""
    entry = AuditEntry(actor_id=actor_id, action=action, object_type=object_type,
                       object_id=None if object_id is None else str(object_id),
                       details=details, at=utcnow())
    db.session.add(entry)
    return entry


def entry_rows(actor_id: int | None, action: str, object_type: str, items: list[tuple]) -> list[dict]:
    """Rows for a bulk insert of many entries at once: items are (object_id, details)."""
    now = utcnow()
    return [{"actor_id": actor_id, "action": action, "object_type": object_type,
             "object_id": str(object_id), "details": details, "at": now}
            for object_id, details in items]
