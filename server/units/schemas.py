import marshmallow as ma

from server.units.models import UNIT_KINDS


class UnitSchema(ma.Schema):
    id = ma.fields.Integer(dump_only=True)
    code = ma.fields.String()
    name = ma.fields.String()
    kind = ma.fields.String()
    parent_id = ma.fields.Integer(allow_none=True)
    path = ma.fields.String(dump_only=True)


class UnitCreateSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(UNIT_KINDS))
    parent_id = ma.fields.Integer(load_default=None, allow_none=True)
    code = ma.fields.String(load_default=None, allow_none=True,
                            validate=ma.validate.Regexp(r"^[a-z0-9][a-z0-9-]{0,63}$"))


class UnitQuerySchema(ma.Schema):
    parent_id = ma.fields.Integer(load_default=None)
    kind = ma.fields.String(load_default=None, validate=ma.validate.OneOf(UNIT_KINDS))


class UnitRefSchema(ma.Schema):
    """A unit as other resources mention it."""

    id = ma.fields.Integer()
    name = ma.fields.String()
    kind = ma.fields.String()
    parent_id = ma.fields.Integer(allow_none=True)
