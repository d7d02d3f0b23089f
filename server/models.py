"""Every model, imported in one place so Alembic and the app see the whole schema."""

from server.audit.models import AuditEntry
from server.forms.models import Form, FormVersion
from server.people.models import DeviceToken, LoginAttempt, User, user_units
from server.reporting.models import CachedReport
from server.rounds.models import Round, round_units
from server.sync.models import Response, ResponseConflict
from server.units.models import Unit

__all__ = [
    "AuditEntry", "CachedReport", "DeviceToken", "Form", "FormVersion", "LoginAttempt", "Response",
    "ResponseConflict", "Round", "Unit", "User", "round_units", "user_units",
]
