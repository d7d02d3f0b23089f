import unicodedata
from datetime import datetime

from sqlalchemy import select

from server.db_types import utcnow
from server.extensions import db
from server.forms.models import FormVersion
from server.rounds.models import Round
from server.units.models import Unit
from server.units.services import slugify


def create_round(title: str, form_version: FormVersion, units: list[Unit], opens_at: datetime,
                 closes_at: datetime, target_per_unit: int = 20, status: str = "scheduled") -> Round:
    if closes_at <= opens_at:
        raise ValueError("a round must close after it opens")
    if form_version.status != "published":
        raise ValueError("a round runs a published form version")
    title = unicodedata.normalize("NFC", title.strip())
    round_ = Round(title=title, slug=slugify(title), form_version=form_version, units=list(units),
                   opens_at=opens_at, closes_at=closes_at, target_per_unit=target_per_unit,
                   status=status)
    db.session.add(round_)
    db.session.flush()
    return round_


def rounds_due_for_reports(now: datetime | None = None) -> list[int]:
    now = now or utcnow()
    query = select(Round.id).where(Round.closes_at <= now, Round.reports_generated_at.is_(None),
                                   Round.status != "draft")
    return list(db.session.scalars(query))


def previous_round(round_: Round) -> Round | None:
    """The latest earlier round of the same form family (for comparisons)."""
    query = (
        select(Round)
        .join(FormVersion, Round.form_version_id == FormVersion.id)
        .where(FormVersion.form_id == round_.form_version.form_id, Round.id != round_.id,
               Round.closes_at <= round_.opens_at, Round.status != "draft")
        .order_by(Round.closes_at.desc())
        .limit(1)
    )
    return db.session.scalar(query)
