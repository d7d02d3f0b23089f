"""The refusals of the suggestion box, each with a message a person understands (Vietnamese
first), shared by the API, the console and the public page."""


class SuggestionRuleError(ValueError):
    def __init__(self, code: str, message_vi: str, message_en: str, status: int = 400,
                 details: dict | None = None):
        super().__init__(code)
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en
        self.status = status
        self.details = details or {}
