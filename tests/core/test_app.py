import pytest

from server import create_app
from server.config import ConfigError


def test_health_reports_database_ok(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "scheduler_last_run": None}


def test_health_answers_503_when_database_is_unreachable(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/x.db",
                      "TESTING": True})
    response = app.test_client().get("/api/v1/health")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unavailable"


def test_unknown_api_path_answers_json_404(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    body = response.get_json()
    assert body["error"]["code"] == "not_found"
    assert body["error"]["message"]


def test_wrong_method_answers_json_405(client):
    response = client.put("/api/v1/health")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]


def test_malformed_json_answers_400_in_error_shape(client):
    response = client.post("/api/v1/auth/token", data="{not json",
                           content_type="application/json")
    assert response.status_code == 400
    assert set(response.get_json()["error"]) == {"code", "message", "details"}


def test_missing_fields_answer_400_validation_error(client):
    response = client.post("/api/v1/auth/token", json={"username": "x"})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "validation_error"
    assert "password" in str(error["details"]["fields"])


def test_unexpected_error_answers_500_json_without_trace(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db", "TESTING": False})

    @app.route("/api/v1/_boom_for_test")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/api/v1/_boom_for_test")
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "internal_error"
    assert b"secret internals" not in response.data
    assert b"Traceback" not in response.data


def test_security_headers_on_every_response(client):
    for path in ("/api/v1/health", "/login", "/"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"]
        assert headers["X-Frame-Options"] == "DENY"


def test_session_cookie_flags(app):
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_openapi_document_is_served(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["info"]["title"] == "Lắng Nghe API"
    assert "/api/v1/health" in spec["paths"]
    assert "/api/v1/auth/token" in spec["paths"]


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        create_app({"ENVIRONMENT": "production", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_api_docs_page_lists_operations_with_a_console(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "POST /api/v1/submissions" in html and 'id="api-console"' in html
    assert "<script>" not in html  # CSP: scripts come from files only
    script = client.get("/static/api-console.js")
    assert script.status_code == 200 and b"fetch(" in script.data
    script.close()
