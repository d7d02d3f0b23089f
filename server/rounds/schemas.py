import marshmallow as ma

from server.api_fields import BoundedInteger, Id
from server.units.models import UNIT_KINDS

TARGET_PER_UNIT_MAX = 100_000


class RoundBaseSchema(ma.Schema):
    """The fields every view of a round shares; each view adds its status and units."""

    id = Id()
    title = ma.fields.String()
    opens_at = ma.fields.AwareDateTime()
    closes_at = ma.fields.AwareDateTime()
    target_per_unit = BoundedInteger(minimum=1, maximum=TARGET_PER_UNIT_MAX)


DOCUMENT_TEXT_LIMITS = {"issuer": 200, "superior": 200, "number": 40, "place": 100,
                        "signer_title": 200, "signer_name": 100}
RECIPIENTS_MAX = 20
RECIPIENT_LENGTH_MAX = 200


class RoundDocumentSchema(ma.Schema):
    """The round's report as an administrative document (server/rounds/document.py). Every
    field is optional: blank or absent takes the report's default. ``signer_title`` may
    hold several lines ("TM. BAN THƯỜNG TRỰC" newline "CHỦ TỊCH")."""

    issuer = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=200), metadata={
        "description": "Cơ quan ban hành (default: the configured issuer)"})
    superior = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=200),
                                metadata={"description": "Cơ quan chủ quản, printed above it"})
    number = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=40), metadata={
        "description": "Số văn bản: \"12/BC-MTTQ\" or \"12\" (blank: \"Số:      /BC-MTTQ\")"})
    place = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=100), metadata={
        "description": "Địa danh of the date line (default: the unit's name)"})
    signer_title = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=200),
                                    metadata={"description": "Chức danh người ký, one line "
                                              "per line (default: TM. BAN THƯỜNG TRỰC / CHỦ TỊCH)"})
    signer_name = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=100),
                                   metadata={"description": "Họ tên người ký"})
    recipients = ma.fields.List(
        ma.fields.String(validate=ma.validate.Length(max=RECIPIENT_LENGTH_MAX)),
        allow_none=True, validate=ma.validate.Length(max=RECIPIENTS_MAX),
        metadata={"description": "Nơi nhận, one per entry (default: \"Lưu: VT\")"})


ROUND_UNITS_PER_PAGE_MAX = 500


class RoundUnitsQuerySchema(ma.Schema):
    """GET /api/v1/rounds/<id>/units: one page of the round's report units the caller sees."""

    page = BoundedInteger(minimum=1, maximum=100_000, load_default=1)
    per_page = BoundedInteger(minimum=1, maximum=ROUND_UNITS_PER_PAGE_MAX, load_default=100)
    q = ma.fields.String(load_default="", validate=ma.validate.Length(max=100), metadata={
        "description": "Part of the name, accents and case ignored"})
    kind = ma.fields.String(load_default=None, validate=ma.validate.OneOf(UNIT_KINDS))
