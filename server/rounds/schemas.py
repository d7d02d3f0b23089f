import marshmallow as ma


class RoundBaseSchema(ma.Schema):
    """The fields every view of a round shares; each view adds its status and units."""

    id = ma.fields.Integer()
    title = ma.fields.String()
    opens_at = ma.fields.AwareDateTime()
    closes_at = ma.fields.AwareDateTime()
    target_per_unit = ma.fields.Integer()
