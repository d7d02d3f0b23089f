"""The shape of a form definition as marshmallow schemas (docs/CONTRACTS.md).

Only the structure is checked here; rules that span the form (unique names, choice
lists that exist, expressions, report metadata) live in server/forms/definition.py.
forms/schema/form-definition.schema.json describes the same shape as JSON Schema.
"""

import marshmallow as ma
from marshmallow import fields, validate

from server.api_fields import ID_MAX, BoundedInteger

NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"
CHOICE_VALUE_PATTERN = r"^[^\s]+$"  # select_multiple answers may travel space-separated
QUESTION_TYPES = ("select_one", "select_multiple", "likert", "integer", "decimal", "text",
                  "date", "note", "group", "calculate")
MAX_EXPRESSION = 4000


class StrictBoolean(fields.Field):
    """true or false only: "no" or 0 must not quietly become a flag."""

    default_error_messages = {"invalid": "Not a valid boolean."}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class StrictNumber(fields.Field):
    """A JSON number (not a string, not a boolean), kept as given."""

    default_error_messages = {"invalid": "Not a valid number."}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            raise self.make_error("invalid")
        return value


def _has_vietnamese(label: dict) -> None:
    if not isinstance(label.get("vi"), str) or not label["vi"].strip():
        raise ma.ValidationError("A Vietnamese text (vi) is required.")


def label_field(required=False, **kwargs):
    return fields.Dict(keys=fields.String(validate=validate.Regexp(r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")),
                       values=fields.String(validate=validate.Length(max=2000)),
                       required=required, validate=_has_vietnamese, **kwargs)


def expression_field():
    return fields.String(validate=validate.Length(min=1, max=MAX_EXPRESSION))


class ChoiceSchema(ma.Schema):
    value = fields.String(required=True, validate=[validate.Length(min=1, max=100),
                                                   validate.Regexp(CHOICE_VALUE_PATTERN)])
    label = label_field(required=True)


class QuestionSchema(ma.Schema):
    type = fields.String(required=True, validate=validate.OneOf(QUESTION_TYPES))
    name = fields.String(required=True, validate=[validate.Length(max=64),
                                                  validate.Regexp(NAME_PATTERN)])
    label = label_field()
    hint = label_field()
    required = StrictBoolean()
    relevant = expression_field()
    constraint = expression_field()
    constraint_message = label_field()
    choices = fields.String(validate=validate.Regexp(NAME_PATTERN))
    allow_na = StrictBoolean()
    min = StrictNumber()
    max = StrictNumber()
    multiline = StrictBoolean()
    calculation = expression_field()
    appearance = fields.String(validate=validate.Length(max=100))
    questions = fields.List(fields.Nested(lambda: QuestionSchema()))


class ReportGroupSchema(ma.Schema):
    key = fields.String(required=True, validate=validate.Regexp(NAME_PATTERN))
    label = label_field(required=True)
    questions = fields.List(fields.String(), required=True, validate=validate.Length(min=1))


class IncidentSchema(ma.Schema):
    question = fields.String(required=True)
    value = fields.String(required=True)
    label = label_field(required=True)


class ReportSchema(ma.Schema):
    satisfied_values = fields.List(fields.String(), required=True, validate=validate.Length(min=1))
    not_applicable_value = fields.String()
    groups = fields.List(fields.Nested(ReportGroupSchema), required=True)
    conduct = fields.Nested(ReportGroupSchema)
    incidents = fields.List(fields.Nested(IncidentSchema))
    overall = fields.String()
    trend = fields.String()
    breakdowns = fields.List(fields.String())
    comments = fields.List(fields.String())


class DefinitionSchema(ma.Schema):
    schema_version = fields.Integer(required=True, strict=True, validate=validate.Equal(1))
    name = fields.String(required=True, validate=[validate.Length(max=64),
                                                  validate.Regexp(NAME_PATTERN)])
    title = label_field(required=True)
    description = label_field()
    languages = fields.List(fields.String(validate=validate.Regexp(r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")),
                            required=True, validate=validate.Length(min=1))
    default_language = fields.String(required=True)
    choice_lists = fields.Dict(keys=fields.String(validate=validate.Regexp(NAME_PATTERN)),
                               values=fields.List(fields.Nested(ChoiceSchema),
                                                  validate=validate.Length(min=1)),
                               load_default=dict)
    questions = fields.List(fields.Nested(QuestionSchema), required=True,
                            validate=validate.Length(min=1))
    report = fields.Nested(ReportSchema)


class DefinitionBodySchema(ma.Schema):
    """The request body that carries a definition; the full check is load_definition()."""

    class Meta:
        unknown = ma.INCLUDE

    # Loosely bounded: load_definition() says which version is wrong, beside every other problem.
    schema_version = BoundedInteger(minimum=0, maximum=ID_MAX, required=True)
    name = fields.String(required=True)
    questions = fields.List(fields.Dict(), required=True)
