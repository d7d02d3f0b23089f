"""Report PDFs for officials and admins; response exports (CSV, XLSX) for admins."""

import marshmallow as ma
from flask import Response, g, stream_with_context
from flask.views import MethodView

from server.api_blueprint import Blueprint
from server.api_fields import Id
from server.auth.api_auth import api_login_required, forbidden
from server.errors import ApiError, ErrorSchema
from server.extensions import db
from server.reporting.access import may_see_report, unit_in_round
from server.reporting.export import csv_chunks, export_plan, response_rows, xlsx_chunks
from server.reporting.services import (
    LANGUAGES,
    data_fingerprints,
    report_filename,
    report_pdf,
    report_summary,
)
from server.reporting.summary_json import UnitSummarySchema, summary_document
from server.rounds.models import Round
from server.units.models import Unit
from server.units.services import slugify

blp = Blueprint("reporting", __name__, url_prefix="/api/v1/rounds", description="Báo cáo / reports")

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportQuerySchema(ma.Schema):
    lang = ma.fields.String(load_default="vi", validate=ma.validate.OneOf(
        LANGUAGES, error="Ngôn ngữ báo cáo phải là một trong: {choices}."))


class ExportQuerySchema(ma.Schema):
    unit = Id(load_default=None, metadata={
        "description": "Only the responses of this unit and the units below it (a province, a commune)."})


def _round_or_404(round_id: int) -> Round:
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        raise ApiError(404, "not_found", "Không tìm thấy đợt khảo sát.", {"message_en": "No such round."})
    return round_


def _attachment(body, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blp.route("/<int:round_id>/units/<int:unit_id>/report.pdf")
class RoundReport(MethodView):
    @api_login_required(roles=("admin", "official"), allow_session=True)
    @blp.arguments(ReportQuerySchema, location="query")
    @blp.response(200, description="Báo cáo PDF / the report as PDF", content_type="application/pdf")
    def get(self, query, round_id, unit_id):
        """The round's report for a unit (Vietnamese by default, `?lang=en` for English,
        `?lang=km` for Khmer)."""
        round_ = _round_or_404(round_id)
        unit = db.session.get(Unit, unit_id)
        if unit is None or not unit_in_round(round_, unit):
            raise ApiError(404, "not_found", "Đơn vị không thuộc đợt khảo sát này.",
                           {"message_en": "The unit is not part of this round."})
        if not may_see_report(g.current_user, unit):
            raise forbidden("Bạn không có quyền xem báo cáo của đơn vị này.",
                            "You may not see this unit's report.")
        filename = report_filename(round_, unit, query["lang"])
        # Last: report_pdf may store the cached copy, which the request's commit writes.
        pdf = report_pdf(round_, unit, query["lang"])
        return _attachment(pdf, "application/pdf", filename)


def _streamed(chunks):
    """The body runs after the view has returned and the request's transaction has
    committed (its bookkeeping written, no lock held): stream_with_context gives it the
    app and request contexts back, hence a fresh session, read-only on SQLite for a GET,
    closed when the body ends or the client goes away. It must use ids, never ORM objects
    of the view (they are detached by then)."""
    return stream_with_context(chunks)


def _export_name(round_: Round, unit: Unit | None, extension: str) -> str:
    unit_part = f"-{slugify(unit.name)}" if unit is not None else ""
    return f"phieu-{round_.slug or slugify(round_.title) or round_.id}{unit_part}.{extension}"


def _export_unit(round_: Round, query) -> Unit | None:
    """The unit an export is limited to (?unit=), or None for the whole round."""
    if query["unit"] is None:
        return None
    unit = db.session.get(Unit, query["unit"])
    if unit is None or not unit_in_round(round_, unit):
        raise ApiError(404, "not_found", "Đơn vị không thuộc đợt khảo sát này.",
                       {"message_en": "The unit is not part of this round."})
    return unit


@blp.route("/<int:round_id>/export.csv")
class RoundExportCsv(MethodView):
    @api_login_required(roles=("admin",), allow_session=True)
    @blp.arguments(ExportQuerySchema, location="query")
    @blp.response(200, description="Phiếu (CSV, UTF-8) / responses as CSV", content_type="text/csv")
    def get(self, query, round_id):
        """Every response of the round (or of `?unit=` and below), one row each (admins)."""
        round_ = _round_or_404(round_id)
        unit = _export_unit(round_, query)
        rows = response_rows(export_plan(round_, unit))
        return _attachment(_streamed(csv_chunks(rows)), "text/csv; charset=utf-8",
                           _export_name(round_, unit, "csv"))


@blp.route("/<int:round_id>/export.xlsx")
class RoundExportXlsx(MethodView):
    @api_login_required(roles=("admin",), allow_session=True)
    @blp.arguments(ExportQuerySchema, location="query")
    @blp.response(200, description="Phiếu (Excel) / responses as XLSX", content_type=XLSX_TYPE)
    def get(self, query, round_id):
        """Every response of the round (or of `?unit=` and below), one row each, as an Excel
        workbook (admins)."""
        round_ = _round_or_404(round_id)
        unit = _export_unit(round_, query)
        rows = response_rows(export_plan(round_, unit))
        return _attachment(_streamed(xlsx_chunks(rows, "Phieu")), XLSX_TYPE,
                           _export_name(round_, unit, "xlsx"))


# The headline figures as JSON ------------------------------------------------------------

@blp.route("/<int:round_id>/units/<int:unit_id>/summary")
class RoundUnitSummary(MethodView):
    @api_login_required(roles=("admin", "official"), allow_session=True)
    @blp.response(200, UnitSummarySchema)
    @blp.alt_response(403, schema=ErrorSchema, description="Not the caller's unit")
    @blp.alt_response(404, schema=ErrorSchema, description="No such round, or unit not in it")
    def get(self, round_id, unit_id):
        """The unit's headline figures in the round (responses, target, the overall index,
        the group indices with their valid counts), suppressed as in the PDF: a unit under
        k responses gives `{"status": "too_few_responses", "threshold": k}` and no figure,
        one without responses `no_data`."""
        round_ = _round_or_404(round_id)
        unit = db.session.get(Unit, unit_id)
        if unit is None or not unit_in_round(round_, unit):
            raise ApiError(404, "not_found", "Đơn vị không thuộc đợt khảo sát này.",
                           {"message_en": "The unit is not part of this round."})
        if not may_see_report(g.current_user, unit):
            raise forbidden("Bạn không có quyền xem báo cáo của đơn vị này.",
                            "You may not see this unit's report.")
        # the stored summary of the unit's data as it is (the PDF's): built once, not per call
        data = data_fingerprints(round_, [unit])[unit.id]
        return summary_document(report_summary(round_, unit, data))
