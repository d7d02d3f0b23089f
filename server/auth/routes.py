from flask import current_app, g, request
from flask.views import MethodView

from server.api_blueprint import Blueprint
from server.audit.services import record
from server.auth.api_auth import api_login_required
from server.auth.login import LOGIN_MESSAGES, LoginRefused, check_login
from server.auth.login_reply import login_reply
from server.auth.schemas import TokenRequestSchema, TokenResponseSchema
from server.auth.tokens import issue_token, revoke
from server.errors import ApiError

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Đăng nhập / tokens")


@blp.route("/token")
class TokenResource(MethodView):
    @blp.arguments(TokenRequestSchema)
    @blp.response(200, TokenResponseSchema)
    @blp.alt_response(401, description="Wrong username or password")
    @blp.alt_response(429, description="Too many failed logins")
    def post(self, body):
        """Log in: exchange a username and password for a device token."""
        try:
            user = check_login(body["username"], body["password"], request.remote_addr or "")
        except LoginRefused as refused:
            # The attempt is already counted, in a transaction of its own (auth.throttle).
            vi, en = LOGIN_MESSAGES[refused.code]
            details = {"message_en": en}
            if refused.retry_after:
                details["retry_after"] = refused.retry_after
            raise ApiError(refused.status, refused.code, vi, details,
                           headers=refused.headers) from None
        issued = issue_token(user, current_app.config["TOKEN_LIFETIME_DAYS"], body["device_name"])
        record(user.id, "token.issued", "device_token", issued.record.id,
               {"device_name": body["device_name"]})
        return login_reply(user, issued)

    @api_login_required()
    @blp.response(204)
    def delete(self):
        """Log out: revoke the token in use."""
        revoke(g.current_token)
        record(g.current_user.id, "token.revoked", "device_token", g.current_token.id)
