import marshmallow as ma

from server.api_fields import BoundedInteger, Id

TARGET_PER_UNIT_MAX = 100_000


class RoundBaseSchema(ma.Schema):
    """The fields every view of a round shares; each view adds its status and units."""

    id = Id()
    title = ma.fields.String()
    opens_at = ma.fields.AwareDateTime()
    closes_at = ma.fields.AwareDateTime()
    target_per_unit = BoundedInteger(minimum=1, maximum=TARGET_PER_UNIT_MAX)
