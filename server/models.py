"""Every model, imported in one place so Alembic and the app see the whole schema."""

from server.analytics.models import RoundAggregate, RoundUnitAggregate
from server.audit.models import AuditEntry
from server.auth.models import LoginCounter, SigninCode, WebSession
from server.forms.models import Form, FormVersion
from server.kiosks.models import KioskDesk, KioskDevice, KioskPairingCode, KioskRating
from server.moderation.models import HiddenComment
from server.people.models import DeviceToken, LoginAttempt, User, user_units
from server.reporting.models import CachedReport, CachedSummary
from server.reporting.pregeneration_models import PregenerationRun
from server.rounds.models import RecurringPlan, Round, round_units
from server.scheduling.models import JobRun
from server.suggestions.models import (
    SuggestionBox,
    SuggestionContact,
    SuggestionMessage,
    SuggestionReply,
    SuggestionTopic,
)
from server.sync.models import Response, ResponseConflict
from server.units.models import Unit

__all__ = [
    "AuditEntry", "CachedReport", "CachedSummary", "DeviceToken", "Form", "FormVersion", "HiddenComment",
    "JobRun", "LoginAttempt", "PregenerationRun",
    "LoginCounter", "RecurringPlan", "Response", "ResponseConflict", "Round", "SigninCode", "Unit",
    "User", "WebSession", "round_units", "user_units",
    "SuggestionBox", "SuggestionContact", "SuggestionMessage", "SuggestionReply", "SuggestionTopic",
    "KioskDesk", "KioskDevice", "KioskPairingCode", "KioskRating",
    "RoundAggregate", "RoundUnitAggregate",
]
