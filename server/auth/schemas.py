import marshmallow as ma

from server.api_fields import Id
from server.sync.schemas import AssignmentsSchema


class TokenRequestSchema(ma.Schema):
    username = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=80))
    password = ma.fields.String(required=True, validate=ma.validate.Length(max=1024))
    device_name = ma.fields.String(load_default="", validate=[
        ma.validate.Length(max=200),
        ma.validate.Regexp(r"^[^\x00]*$", error="Tên thiết bị có ký tự không hợp lệ.")])


class TokenUserSchema(ma.Schema):
    id = Id()
    username = ma.fields.String()
    display_name = ma.fields.String()
    role = ma.fields.String()


class LoginAssignmentsSchema(AssignmentsSchema):
    etag = ma.fields.String(metadata={"description": "The ETag of these assignments, for If-None-Match."})


class TokenResponseSchema(ma.Schema):
    token = ma.fields.String()
    expires_at = ma.fields.DateTime()
    user = ma.fields.Nested(TokenUserSchema)
    assignments = ma.fields.Nested(LoginAssignmentsSchema, metadata={
        "description": "A volunteer's assignments, as GET /me/assignments answers them."})
