"""A service's refusal (server.errors.RuleError) answers with the one error shape on the API,
and with the error page on a web page that has no handler of its own."""

import pytest

from server import create_app
from server.errors import RuleError
from server.kiosks.rules import KioskRuleError
from server.suggestions.rules import SuggestionRuleError


class _TooLate(RuleError):
    pass


@pytest.fixture
def refusing_app(tmp_path):
    """An app of its own with routes that raise refusals, on the API and on a web page."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'own.db'}",
                      "TESTING": True, "SECRET_KEY": "test", "SCHEDULER_ENABLED": False})

    @app.post("/api/v1/_test/refuse/<kind>")
    def refuse(kind):
        if kind == "field":
            raise _TooLate("too_late", "Đã quá hạn.", "Too late.", 409, field="closes_at",
                           details={"closed_at": "2026-11-20"})
        if kind == "throttled":
            raise _TooLate("too_many_attempts", "Thử lại sau 2 phút.", "Try again in 2 minutes.",
                           429, details={"retry_after": 90})
        raise _TooLate("too_late", "Đã quá hạn.", "Too late.")

    @app.get("/_test/page")
    def page():
        raise _TooLate("too_late", "Đã quá hạn.", "Too late.", 409)

    return app


def test_a_refusal_on_the_api_is_the_error_shape(refusing_app):
    client = refusing_app.test_client()
    plain = client.post("/api/v1/_test/refuse/plain")
    assert plain.status_code == 400
    assert plain.get_json() == {"error": {"code": "too_late", "message": "Đã quá hạn.",
                                          "details": {"message_en": "Too late."}}}
    with_field = client.post("/api/v1/_test/refuse/field")
    assert with_field.status_code == 409
    assert with_field.get_json()["error"]["details"] == {
        "message_en": "Too late.", "field": "closes_at", "closed_at": "2026-11-20"}


def test_a_throttles_refusal_says_when_to_come_back(refusing_app):
    answer = refusing_app.test_client().post("/api/v1/_test/refuse/throttled")
    assert answer.status_code == 429 and answer.headers["Retry-After"] == "90"
    assert answer.get_json()["error"]["details"]["retry_after"] == 90


def test_a_refusal_on_a_web_page_is_the_error_page(refusing_app):
    answer = refusing_app.test_client().get("/_test/page", headers={"Accept": "text/html"})
    assert answer.status_code == 409 and answer.mimetype == "text/html"
    html = answer.get_data(as_text=True)
    assert "Lỗi 409" in html and "Đã quá hạn." in html


def test_the_domains_refusals_are_rule_errors():
    # One handler answers them all: no domain needs a converter of its own.
    for domain_error in (SuggestionRuleError, KioskRuleError):
        refusal = domain_error("forbidden", "Không được.", "Not allowed.", 403)
        assert isinstance(refusal, RuleError)
        assert (refusal.status, refusal.code, refusal.body_details()) == (
            403, "forbidden", {"message_en": "Not allowed."})
