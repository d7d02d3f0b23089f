"""Integer fields for API schemas, range-checked at the edge.

A number no column can hold must be a 400 here, not an OverflowError (SQLite) or a
DataError (PostgreSQL) from deep inside a query. Every integer a request can carry, in the
path, the query string or the body, is one of these, or states its range with
metadata=ID_RANGE where something else checks it (tests/core/test_api_integers.py checks).
"""

import marshmallow as ma

ID_MIN = 1
ID_MAX = 2**31 - 1  # PostgreSQL's integer, the type of every id column
# The range as OpenAPI states it, for a field that checks it elsewhere (metadata=ID_RANGE).
ID_RANGE = {"minimum": ID_MIN, "maximum": ID_MAX}


class BoundedInteger(ma.fields.Integer):
    """An integer in [minimum, maximum]; the bounds also go into the OpenAPI document.

    A number with a fraction is refused even where the field is not strict: int(1.5) would
    quietly make it 1."""

    def __init__(self, *, minimum: int, maximum: int, validate=None, **kwargs):
        extra = [] if validate is None else list(validate) if isinstance(validate, list | tuple) \
            else [validate]
        super().__init__(validate=[ma.validate.Range(min=minimum, max=maximum), *extra], **kwargs)

    def _validated(self, value):
        if isinstance(value, float) and not value.is_integer():
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


class Id(BoundedInteger):
    """The id of a stored row."""

    def __init__(self, **kwargs):
        super().__init__(minimum=ID_MIN, maximum=ID_MAX, **kwargs)
