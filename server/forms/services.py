"""Publishing form versions: checked, numbered, immutable."""

from sqlalchemy import func, select

from server.audit.services import record
from server.db_types import utcnow
from server.extensions import db
from server.forms.compiled import definition_hash
from server.forms.definition import DefinitionError, load_definition
from server.forms.models import Form, FormVersion

__all__ = ["DefinitionError", "next_version_number", "publish_definition"]


def next_version_number(form_id: int) -> int:
    """The number the form's next published version takes. Drafts are numbered below zero
    (server/forms/drafts.py), so they never take a published number nor leave a gap."""
    highest = db.session.scalar(select(func.max(FormVersion.version))
                                .where(FormVersion.form_id == form_id, FormVersion.version > 0))
    return (highest or 0) + 1


def publish_definition(definition: dict, actor=None) -> FormVersion:
    """Check a definition and publish it as the next version of its form (found or created
    by the definition's name). Publishing content identical to the latest version returns
    that version. Raises DefinitionError listing every problem. Flushes; the caller commits.
    """
    definition = load_definition(definition)
    content_hash = definition_hash(definition)
    form = db.session.scalar(select(Form).where(Form.name == definition["name"]))
    if form is None:
        form = Form(name=definition["name"], title=definition["title"])
        db.session.add(form)
        db.session.flush()
    latest = db.session.scalar(
        select(FormVersion).where(FormVersion.form_id == form.id)
        .order_by(FormVersion.version.desc()).limit(1))
    if latest is not None and latest.status == "published" and latest.content_hash == content_hash:
        return latest
    number = next_version_number(form.id)
    version = FormVersion(form=form, version=number, definition=definition, status="published",
                          content_hash=content_hash, published_at=utcnow())
    form.title = definition["title"]
    db.session.add(version)
    db.session.flush()
    record(getattr(actor, "id", None), "form.publish", "form_version", version.id,
           {"form": form.name, "version": number, "content_hash": content_hash})
    return version
