"""One error shape for the whole API: {"error": {"code", "message", "details"}}."""

import logging

import marshmallow as ma
from flask import Flask, jsonify, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

API_PREFIX = "/api/"

# Messages a person can read, for the statuses the API answers on its own.
STATUS_MESSAGES = {
    400: ("bad_request", "Yêu cầu không hợp lệ.", "The request is not valid."),
    401: ("not_authenticated", "Cần đăng nhập.", "Authentication required."),
    403: ("forbidden", "Bạn không có quyền làm việc này.", "You are not allowed to do this."),
    404: ("not_found", "Không tìm thấy.", "Not found."),
    405: ("method_not_allowed", "Phương thức không được hỗ trợ.", "Method not allowed."),
    413: ("payload_too_large", "Dữ liệu gửi lên quá lớn.", "The request body is too large."),
    415: ("unsupported_media_type", "Kiểu dữ liệu không được hỗ trợ.", "Unsupported media type."),
    429: ("too_many_requests", "Quá nhiều yêu cầu, vui lòng thử lại sau.", "Too many requests, try again later."),
    500: ("internal_error", "Lỗi máy chủ. Vui lòng thử lại sau.", "Server error. Please try again later."),
    503: ("unavailable", "Dịch vụ tạm thời không sẵn sàng.", "Service temporarily unavailable."),
}


class ApiError(Exception):
    """Raise anywhere in a request to answer the client with the error shape."""

    def __init__(self, status: int, code: str, message: str, details=None, headers=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers or {}


class RuleError(ValueError):
    """A service's refusal, in words a person understands: raised by the rules of any domain
    (subclass it per domain) and answered by handle_rule_error, so views only call services.
    `field` names the input the refusal is about, when there is one."""

    def __init__(self, code: str, message_vi: str, message_en: str, status: int = 400, *,
                 field: str | None = None, details: dict | None = None):
        super().__init__(code)
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en
        self.status = status
        self.field = field
        self.details = details or {}

    def body_details(self) -> dict:
        """The `details` of the JSON error shape: the English message, the field, the rest."""
        field = {"field": self.field} if self.field else {}
        return {"message_en": self.message_en, **field, **self.details}


class ErrorBodySchema(ma.Schema):
    code = ma.fields.String(required=True)
    message = ma.fields.String(required=True)
    details = ma.fields.Raw(allow_none=True)


class ErrorSchema(ma.Schema):
    """Documents the error shape in the OpenAPI document."""

    error = ma.fields.Nested(ErrorBodySchema, required=True)


def error_response(status: int, code: str, message: str, details=None, headers=None):
    body = {"error": {"code": code, "message": message, "details": details}}
    response = jsonify(body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _wants_json() -> bool:
    return request.path.startswith(API_PREFIX) or request.accept_mimetypes.best == "application/json"


def handle_api_error(error: ApiError):
    return error_response(error.status, error.code, error.message, error.details, error.headers)


def handle_rule_error(error: RuleError):
    """The API answers with the error shape; a web page without a handler of its own (a
    console blueprint re-renders its form with the message, see server/kiosks/pages.py) shows
    the error page with the refusal's status and message."""
    # A refusal that says when to come back (a throttle's) says it in the header too.
    retry = error.details.get("retry_after")
    headers = {"Retry-After": str(retry)} if retry is not None else {}
    if _wants_json():
        return error_response(error.status, error.code, error.message_vi, error.body_details(),
                              headers)
    return render_template("error.html", status=error.status,
                           message=error.message_vi), error.status, headers


def handle_http_exception(error: HTTPException):
    status = error.code or 500
    if isinstance(error, InternalServerError) and error.original_exception is not None:
        log.error("unhandled error on %s %s", request.method, request.path,
                  exc_info=error.original_exception)
    if not _wants_json():
        if status == 401:
            return redirect(url_for("auth_web.login", next=request.full_path))
        return render_template("error.html", status=status,
                               message=STATUS_MESSAGES.get(status, ("", error.name, ""))[1]), status
    code, message_vi, message_en = STATUS_MESSAGES.get(status, ("error", error.name, error.name))
    data = getattr(error, "data", None) or {}
    details = {"message_en": message_en}
    if "messages" in data:
        # webargs validation errors: field -> messages, per location
        status, code = 400, "validation_error"
        message_vi = "Dữ liệu gửi lên không hợp lệ."
        details = {"message_en": "The request data is not valid.", "fields": data["messages"]}
    elif "message" in data:
        message_vi = data["message"]
    headers = dict(data.get("headers") or {})
    if status == 405 and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    return error_response(status, code, message_vi, details, headers)


# Seconds a client waits before retrying when the database is busy.
RETRY_AFTER_SECONDS = 5


def handle_unexpected(error: Exception):
    from server.database import is_lock_error

    if is_lock_error(error):
        # Another transaction holds the lock for longer than busy_timeout: the documented
        # answer is 503 with Retry-After, wherever in the request it happened.
        log.warning("database busy on %s %s: %s", request.method, request.path, error)
        if not _wants_json():
            return render_template("error.html", status=503,
                                   message=STATUS_MESSAGES[503][1]), 503, {
                "Retry-After": str(RETRY_AFTER_SECONDS)}
        return error_response(503, "database_busy", "Máy chủ đang bận, vui lòng thử lại sau ít phút.",
                              {"message_en": "The server is busy, please retry shortly.",
                               "retry_after": RETRY_AFTER_SECONDS},
                              {"Retry-After": str(RETRY_AFTER_SECONDS)})
    # Logged once, with its traceback, by handle_http_exception.
    return handle_http_exception(InternalServerError(original_exception=error))


def init_app(app: Flask) -> None:
    app.register_error_handler(ApiError, handle_api_error)
    app.register_error_handler(RuleError, handle_rule_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(Exception, handle_unexpected)
