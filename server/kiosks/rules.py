"""The one error the kiosk services raise. The API answers it with the error shape
(server/errors.py); the console's pages re-render their form with the message."""

from server.errors import RuleError


class KioskRuleError(RuleError):
    """A refusal of the kiosk's rules."""
