"""Request and response bodies of the designer's draft API (/api/v1/form-drafts)."""

import marshmallow as ma
from marshmallow import fields

from server.api_fields import ID_MAX, BoundedInteger
from server.forms.drafts import editor_name


def revision_field(**kwargs):
    return BoundedInteger(minimum=0, maximum=ID_MAX, strict=True, required=True, **kwargs)


class DraftSchema(ma.Schema):
    id = fields.Integer()
    form_id = fields.Integer()
    form_name = fields.Function(lambda draft: draft.form.name)
    revision = fields.Integer()
    definition = fields.Raw(metadata={"type": "object"})
    based_on_version_id = fields.Integer(allow_none=True)
    updated_at = fields.AwareDateTime(allow_none=True)
    updated_by = fields.Function(editor_name, allow_none=True, metadata={
        "type": "string", "nullable": True,
        "description": "The display name of whoever saved last"})


class DraftSaveSchema(ma.Schema):
    revision = revision_field(metadata={"description": "The revision the edit started from"})
    definition = fields.Dict(required=True, metadata={
        "description": "The whole definition; saving never checks the form rules"})


class DraftSavedSchema(ma.Schema):
    revision = fields.Integer()
    updated_at = fields.AwareDateTime()


class ProblemSchema(ma.Schema):
    path = fields.String()
    question = fields.String(allow_none=True)
    message = fields.String()
    message_en = fields.String()


class ValidationResultSchema(ma.Schema):
    ok = fields.Boolean()
    errors = fields.List(fields.Nested(ProblemSchema))


class ChangedQuestionSchema(ma.Schema):
    question = fields.String()
    fields_ = fields.List(fields.String(), data_key="fields", attribute="fields")


class WarningSchema(ma.Schema):
    question = fields.String(allow_none=True)
    code = fields.String()
    message = fields.String()
    message_en = fields.String()


class ChangesSchema(ma.Schema):
    previous_version_id = fields.Integer(allow_none=True)
    previous_version = fields.Integer(allow_none=True)
    added = fields.List(fields.String())
    removed = fields.List(fields.String())
    changed = fields.List(fields.Nested(ChangedQuestionSchema))
    warnings = fields.List(fields.Nested(WarningSchema))
    form_fields = fields.List(fields.String(), metadata={
        "description": "Form-level keys that changed (title, languages, report, order...)"})


class PublishSchema(ma.Schema):
    revision = revision_field(metadata={"description": "The revision shown when confirming"})


class PublishedSchema(ma.Schema):
    version_id = fields.Integer()
    version = fields.Integer()
    unchanged = fields.Boolean(metadata={
        "description": "True when the draft held the newest version's content: that version "
                       "is returned and no new one is made"})
