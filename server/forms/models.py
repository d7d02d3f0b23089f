from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, attributes, mapped_column, relationship

from server.db_types import JSONType, UTCDateTime, utcnow
from server.extensions import db

VERSION_STATUSES = ("draft", "published", "archived")


class ImmutableVersionError(RuntimeError):
    pass


class Form(db.Model):
    """A form family: every published version of one questionnaire."""

    __tablename__ = "forms"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[dict] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    versions: Mapped[list["FormVersion"]] = relationship(
        back_populates="form", order_by="FormVersion.version"
    )


class FormVersion(db.Model):
    __tablename__ = "form_versions"
    __table_args__ = (UniqueConstraint("form_id", "version", name="uq_form_versions_form_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("forms.id"), index=True)
    version: Mapped[int]
    definition: Mapped[dict] = mapped_column(JSONType)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    content_hash: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Drafts: every save raises the revision; a save naming an older one is a conflict
    # (two admins editing the same draft never overwrite each other silently).
    revision: Mapped[int] = mapped_column(default=0, server_default="0")
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    based_on_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("form_versions.id", ondelete="SET NULL"))

    form: Mapped[Form] = relationship(back_populates="versions")

    @property
    def title(self) -> dict:
        return self.definition.get("title", self.form.title)


@event.listens_for(FormVersion, "before_update")
def _refuse_changes_to_published(mapper, connection, target: FormVersion) -> None:
    """A published version is immutable: only archiving it is allowed."""
    state = attributes.instance_state(target)
    status_history = state.attrs.status.history
    was_published = (status_history.deleted or [target.status])[0] == "published"
    if not was_published:
        return
    for name in ("definition", "content_hash", "version", "form_id", "published_at"):
        if state.attrs[name].history.has_changes():
            raise ImmutableVersionError(f"published form version {target.id} cannot change {name}")
    if target.status not in ("published", "archived"):
        raise ImmutableVersionError("a published form version can only be archived")
