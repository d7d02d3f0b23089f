"""POST /api/v1/auth/signin-code: a sign-in card's code for a device token, as a password
login gives (same body). The phone's app calls it when opened at /app/#signin=<code>."""

import marshmallow as ma
from flask import current_app, request
from flask.views import MethodView

from server.api_blueprint import Blueprint
from server.audit.services import record
from server.auth import throttle
from server.auth.login_reply import login_reply
from server.auth.schemas import TokenResponseSchema
from server.auth.signin_codes import CodeRefused, redeem
from server.auth.tokens import issue_token
from server.errors import ApiError

blp = Blueprint("signin_code", __name__, url_prefix="/api/v1/auth",
                description="Đăng nhập bằng thẻ (mã QR) / sign-in cards")

MESSAGES = {
    # One answer for unknown, used, expired and revoked codes: a guess learns nothing.
    "signin_code_invalid": (
        "Thẻ đăng nhập không dùng được: mã đã được dùng, đã hết hạn hoặc đã bị thu hồi.",
        "This sign-in card does not work: its code was used, has expired or was revoked."),
    "signin_code_other_user": (
        "Thẻ này của người khác, mà máy còn phiếu chưa gửi của người đang đăng nhập. "
        "Thẻ chưa bị dùng.",
        "This card is someone else's, and the phone still holds unsent responses of the person "
        "signed in. The card was not used."),
    "too_many_attempts": ("Thử đăng nhập quá nhiều lần. Vui lòng thử lại sau 15 phút.",
                          "Too many failed sign-ins. Please try again in 15 minutes."),
}


class SigninCodeRequestSchema(ma.Schema):
    code = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    device_name = ma.fields.String(load_default="", validate=ma.validate.Length(max=200))
    # The phone holds unsent responses of this person: refuse (409) anyone else's card.
    only_for_user_id = ma.fields.Integer(load_default=None, allow_none=True, strict=True,
                                         validate=ma.validate.Range(min=1, max=2**31 - 1))


def _refuse(code: str, status: int = 401, **details) -> ApiError:
    vi, en = MESSAGES[code]
    headers = {"Retry-After": str(details["retry_after"])} if "retry_after" in details else None
    return ApiError(status, code, vi, {"message_en": en, **details}, headers=headers)


def _throttle_key() -> str:
    return "signin:" + (request.remote_addr or "")[:150]


@blp.route("/signin-code")
class SigninCodeResource(MethodView):
    @blp.arguments(SigninCodeRequestSchema)
    @blp.response(201, TokenResponseSchema)
    @blp.alt_response(401, description="Unknown, used, expired or revoked code")
    @blp.alt_response(409, description="A live code of someone other than only_for_user_id")
    @blp.alt_response(429, description="Too many failed sign-ins from this address")
    def post(self, body):
        """Sign in with a sign-in card: exchange its one-time code for a device token."""
        key = _throttle_key()
        # Counted in a transaction of its own, before the request's (see throttle): a refusal
        # rolls the request back, and the count must stay.
        with throttle.own_transaction() as connection:
            retry_after = throttle.reserve_key(
                connection, key, current_app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"])
        if retry_after is not None:
            raise _refuse("too_many_attempts", 429, retry_after=retry_after)
        try:
            user, code = redeem(body["code"], body["only_for_user_id"])
        except CodeRefused as refused:
            status = 409 if refused.code == "other_user" else 401
            raise _refuse("signin_code_" + refused.code, status) from None
        throttle.give_back(key)
        issued = issue_token(user, current_app.config["TOKEN_LIFETIME_DAYS"], body["device_name"])
        record(user.id, "token.issued", "device_token", issued.record.id,
               {"device_name": body["device_name"], "signin_code_id": code.id})
        return login_reply(user, issued)
