import marshmallow as ma

from server.api_fields import Id


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


class TokenResponseSchema(ma.Schema):
    token = ma.fields.String()
    expires_at = ma.fields.DateTime()
    user = ma.fields.Nested(TokenUserSchema)
