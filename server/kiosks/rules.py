"""The one error the kiosk services raise; routes and pages turn it into their answer."""


class KioskRuleError(Exception):
    def __init__(self, status: int, code: str, message_vi: str, message_en: str,
                 details: dict | None = None):
        super().__init__(message_en)
        self.status = status
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en
        self.details = details or {}
