"""GET /api/v1/rounds: the rounds the caller may see, with the units they may see in each."""

import hashlib

import marshmallow as ma
from flask import g, jsonify
from flask.views import MethodView
from sqlalchemy import select, true

from server.api_blueprint import Blueprint
from server.auth.api_auth import api_login_required
from server.errors import ApiError
from server.extensions import db
from server.reporting.access import (
    assigned_paths,
    report_unit_page,
    visible_rounds,
    visible_rounds_query,
)
from server.reporting.fingerprint import path_prefix_filter
from server.rounds.document import document_values, update_document
from server.rounds.models import Round, round_units
from server.rounds.schemas import RoundBaseSchema, RoundDocumentSchema, RoundUnitsQuerySchema
from server.sync.conditional import IF_NONE_MATCH, not_modified
from server.units.models import Unit, fold
from server.units.schemas import UnitRefSchema

blp = Blueprint("rounds", __name__, url_prefix="/api/v1/rounds", description="Đợt khảo sát / rounds")


class FormVersionRefSchema(ma.Schema):
    id = ma.fields.Integer()
    form_name = ma.fields.Function(lambda version: version.form.name)
    version = ma.fields.Integer()
    title = ma.fields.Dict()


def _report_units(rounds: list[Round]) -> dict[int, list[dict]]:
    """Per round, its report units the caller sees (its units and every unit above them,
    as server/reporting/access.py's report_unit_rows lists them, in path order), as
    UnitRefSchema gives them. Two plain queries for every round together (Core rows, no
    ORM), the units above found by climbing the parents in memory: a national round has
    36,000 units (a recursive query and a schema per unit per round took seconds)."""
    held: dict[int, set[int]] = {round_.id: set() for round_ in rounds}
    paths = assigned_paths(g.current_user)
    if not held or paths == []:
        return {round_id: [] for round_id in held}
    units = Unit.__table__.c
    # A unit above a round unit is visible only if that round unit is: the units the
    # caller sees are enough to climb from the round's units they see.
    visible = true() if paths is None else path_prefix_filter(paths)
    rows = db.session.execute(select(units.id, units.name, units.kind, units.parent_id)
                              .where(visible).order_by(units.path)).all()
    parents = {unit_id: parent_id for unit_id, _, _, parent_id in rows}
    for round_id, unit_id in db.session.execute(
            select(round_units.c.round_id, round_units.c.unit_id)
            .where(round_units.c.round_id.in_(held))).all():
        ids = held[round_id]
        while unit_id in parents and unit_id not in ids:
            ids.add(unit_id)
            unit_id = parents[unit_id]
    return {round_id: [{"id": unit_id, "name": name, "kind": kind, "parent_id": parent_id}
                       for unit_id, name, kind, parent_id in rows if unit_id in ids]
            for round_id, ids in held.items()}


class RoundListItemSchema(RoundBaseSchema):
    slug = ma.fields.String()
    form_version = ma.fields.Nested(FormVersionRefSchema)
    status = ma.fields.Function(lambda round_: round_.effective_status())
    units = ma.fields.List(ma.fields.Nested(UnitRefSchema),
                           metadata={"description": "Its units and every unit above them "
                                                    "the caller sees, in tree order"})


class RoundListSchema(ma.Schema):
    rounds = ma.fields.List(ma.fields.Nested(RoundListItemSchema))


ROUNDS_CACHE = "private, no-cache"
_ROUND_FIELDS = RoundListItemSchema(exclude=("units",))


@blp.route("")
class Rounds(MethodView):
    @api_login_required(allow_session=True)
    @blp.doc(parameters=[IF_NONE_MATCH])
    @blp.response(200, RoundListSchema, headers={"ETag": {"schema": {"type": "string"}}})
    @blp.alt_response(304, description="Unchanged since the ETag sent in If-None-Match")
    def get(self):
        """The rounds the caller may see (newest first), each with its form version, dates,
        status and the units (its own and those above them) the caller may see in it.
        Send the last ETag in If-None-Match: 304 when nothing changed (an admin's list of a
        national round is several megabytes)."""
        rounds = visible_rounds(g.current_user)
        units = _report_units(rounds)
        # The schema for the few rounds; their units are plain dicts already (the same
        # JSON: the round schema's units field is a list of UnitRefSchema).
        body = jsonify({"rounds": [{**_ROUND_FIELDS.dump(round_), "units": units[round_.id]}
                                   for round_ in rounds]})
        etag = hashlib.sha256(body.get_data()).hexdigest()[:32]
        unchanged = not_modified(etag, ROUNDS_CACHE)
        if unchanged is not None:
            return unchanged
        body.set_etag(etag)
        body.headers["Cache-Control"] = ROUNDS_CACHE
        return body


class RoundUnitsPageSchema(ma.Schema):
    units = ma.fields.List(ma.fields.Nested(UnitRefSchema))
    total = ma.fields.Integer(metadata={"description": "Units matching, on every page"})
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()


@blp.route("/<int:round_id>/units")
class RoundUnits(MethodView):
    @api_login_required(allow_session=True)
    @blp.arguments(RoundUnitsQuerySchema, location="query")
    @blp.response(200, RoundUnitsPageSchema)
    @blp.alt_response(404, description="No such round, or not one the caller may see")
    def get(self, args, round_id):
        """One page of the round's report units the caller sees (the `units` of
        GET /api/v1/rounds, a page at a time): the top first, then each level by name; with
        `q`, the units whose name holds it; with `kind`, only units of that kind."""
        round_ = db.session.scalar(visible_rounds_query(g.current_user)
                                   .where(Round.id == round_id))
        if round_ is None:
            raise ApiError(404, "not_found", "Không tìm thấy đợt khảo sát.",
                           {"message_en": "No such round."})
        listed = report_unit_page(round_, g.current_user, args["kind"], args["page"],
                                  args["per_page"], name_contains=fold(args["q"]) or None)
        return {"units": [{"id": row.id, "name": row.name, "kind": row.kind,
                           "parent_id": row.parent_id} for row in listed.rows],
                "total": listed.total, "page": args["page"], "per_page": args["per_page"]}


def _round_or_404(round_id: int) -> Round:
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        raise ApiError(404, "not_found", "Không tìm thấy đợt khảo sát.",
                       {"message_en": "No such round."})
    return round_


@blp.route("/<int:round_id>/document")
class RoundDocument(MethodView):
    @api_login_required(roles=("admin",))
    @blp.response(200, RoundDocumentSchema)
    def get(self, round_id):
        """The round's report document settings (null: the report's default)."""
        return document_values(_round_or_404(round_id))

    @api_login_required(roles=("admin",))
    @blp.arguments(RoundDocumentSchema)
    @blp.response(200, RoundDocumentSchema)
    def patch(self, body, round_id):
        """Change the report document settings: issuing body and the one above it, number,
        place, signer title and name, recipients. Only the fields sent change; null or
        blank puts a field back to the report's default. Audited."""
        round_ = _round_or_404(round_id)
        update_document(round_, g.current_user.id, body)
        return document_values(round_)
