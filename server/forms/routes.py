"""The forms API (admin only): list forms, list and publish versions."""

import marshmallow as ma
from flask import g
from flask.views import MethodView
from sqlalchemy import select

from server.api_blueprint import Blueprint
from server.auth.api_auth import api_login_required
from server.errors import ApiError
from server.extensions import db
from server.forms.definition_schema import DefinitionBodySchema
from server.forms.models import Form
from server.forms.services import DefinitionError, publish_definition

blp = Blueprint("forms", __name__, url_prefix="/api/v1/forms", description="Biểu mẫu / forms")


class FormVersionSchema(ma.Schema):
    id = ma.fields.Integer()
    form_id = ma.fields.Integer()
    version = ma.fields.Integer()
    status = ma.fields.String()
    content_hash = ma.fields.String()
    published_at = ma.fields.AwareDateTime(allow_none=True)
    created_at = ma.fields.AwareDateTime()


class PublishedVersionSchema(FormVersionSchema):
    definition = ma.fields.Dict()


class FormSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    title = ma.fields.Dict()
    latest_version = ma.fields.Function(
        lambda form: FormVersionSchema().dump(form.versions[-1]) if form.versions else None)


def _form_or_404(form_id: int) -> Form:
    form = db.session.get(Form, form_id)
    if form is None:
        raise ApiError(404, "not_found", "Không tìm thấy biểu mẫu.", {"message_en": "Form not found."})
    return form


@blp.route("")
class Forms(MethodView):
    @api_login_required(roles=("admin",))
    @blp.response(200, FormSchema(many=True))
    def get(self):
        """Every form with its latest version."""
        return db.session.scalars(select(Form).order_by(Form.name)).all()


@blp.route("/<int:form_id>/versions")
class FormVersions(MethodView):
    @api_login_required(roles=("admin",))
    @blp.response(200, FormVersionSchema(many=True))
    def get(self, form_id: int):
        """The versions of a form, oldest first."""
        return _form_or_404(form_id).versions

    @api_login_required(roles=("admin",))
    @blp.arguments(DefinitionBodySchema)
    @blp.response(201, PublishedVersionSchema)
    def post(self, definition: dict, form_id: int):
        """Publish a definition as the next immutable version; 400 lists every problem."""
        form = _form_or_404(form_id)
        if definition.get("name") != form.name:
            raise ApiError(400, "name_mismatch",
                           f"Tên phiếu trong định nghĩa phải là '{form.name}'.",
                           {"message_en": f"The definition's name must be '{form.name}'."})
        try:
            version = publish_definition(definition, actor=g.current_user)
        except DefinitionError as error:
            raise ApiError(400, "invalid_definition",
                           f"Định nghĩa phiếu có {len(error.errors)} lỗi.",
                           {"message_en": f"The definition has {len(error.errors)} problem(s).",
                            "errors": error.errors}) from None
        return version
