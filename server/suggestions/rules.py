"""The refusals of the suggestion box, each with a message a person understands (Vietnamese
first). The API answers them with the error shape (server/errors.py); the console's pages
re-render their form with the message (server/suggestions/pages.py)."""

from server.errors import RuleError


class SuggestionRuleError(RuleError):
    """A refusal of the suggestion box's rules."""
