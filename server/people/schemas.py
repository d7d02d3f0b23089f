import marshmallow as ma

from server.api_fields import Id
from server.people.models import ROLES
from server.units.schemas import UnitRefSchema


class UserSchema(ma.Schema):
    id = Id()
    username = ma.fields.String()
    display_name = ma.fields.String()
    role = ma.fields.String()
    is_active = ma.fields.Boolean()
    units = ma.fields.List(ma.fields.Nested(UnitRefSchema))


class UserCreateSchema(ma.Schema):
    username = ma.fields.String(required=True, validate=ma.validate.Regexp(
        r"^[a-z0-9._-]{2,80}$", error="2–80 lowercase letters, digits, '.', '_' or '-'"))
    display_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    role = ma.fields.String(required=True, validate=ma.validate.OneOf(ROLES))
    password = ma.fields.String(required=True, load_only=True,
                                validate=ma.validate.Length(min=8, max=1024))
    unit_ids = ma.fields.List(Id(), load_default=list)


class UserUpdateSchema(ma.Schema):
    display_name = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    is_active = ma.fields.Boolean()
    unit_ids = ma.fields.List(Id())
    password = ma.fields.String(load_only=True, validate=ma.validate.Length(min=8, max=1024))
