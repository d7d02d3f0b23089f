"""The round's period seen through the unit's other channels: the suggestion boxes
(server/suggestions) and the one-stop-desk ratings (server/kiosks) for the commune report's
sections, with the survey's k-suppression.

A section appears only when the unit's subtree has a box (a desk): a commune without one
gets no empty section."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from reports.sections.kiosk import KioskFigures
from reports.sections.suggestions import SuggestionFigures
from reports.summary import RoundInfo
from server.kiosks.figures import kiosk_figures
from server.kiosks.models import KioskDesk
from server.suggestions.figures import suggestion_figures
from server.suggestions.models import SuggestionBox
from server.units.models import Unit

ZONE = "Asia/Ho_Chi_Minh"     # the round's days are Viet Nam days (analytics.build.VIETNAM)


def _placed_below(session: Session, unit: Unit, model) -> bool:
    """A box or desk placed at the unit or anywhere below it (open or closed since)."""
    return bool(session.scalar(select(exists().where(
        model.unit_id == Unit.id, Unit.path.startswith(unit.path, autoescape=True)))))


def has_suggestion_box(session: Session, unit: Unit) -> bool:
    return _placed_below(session, unit, SuggestionBox)


def round_suggestions(session: Session, unit: Unit, round_: RoundInfo, threshold: int,
                      now: datetime | None = None) -> SuggestionFigures | None:
    """The suggestion-box figures of the round's days (opening to closing day, both
    included) for the unit's subtree; None when there is no box in it."""
    if not has_suggestion_box(session, unit):
        return None
    return suggestion_figures(unit, round_.starts_on, round_.ends_on, threshold, ZONE, now, session)


def round_desk_ratings(session: Session, unit: Unit, round_: RoundInfo,
                       threshold: int) -> KioskFigures | None:
    """The desk ratings of the round's days for the unit's subtree; None without a desk."""
    if not _placed_below(session, unit, KioskDesk):
        return None
    return kiosk_figures(unit, round_.starts_on, round_.ends_on, threshold, ZoneInfo(ZONE), session)
