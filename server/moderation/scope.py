"""Whose moderation page is whose: the same rules as the unit's report
(server/reporting/access.py), shared by the API and the pages."""

from server.errors import ApiError
from server.extensions import db
from server.people.models import User
from server.reporting.access import may_see_report, unit_in_round
from server.rounds.models import Round
from server.units.models import Unit


def moderation_scope(round_id: int, unit_id: int, user: User) -> tuple[Round, Unit]:
    """The round and the unit whose comments the user moderates: 404 when either is
    unknown or the unit is not part of the round, 403 when its report is not the user's."""
    round_ = db.session.get(Round, round_id)
    if round_ is None:
        raise ApiError(404, "not_found", "Không tìm thấy đợt khảo sát.",
                       {"message_en": "No such round."})
    unit = db.session.get(Unit, unit_id)
    if unit is None or not unit_in_round(round_, unit):
        raise ApiError(404, "not_found", "Đơn vị không thuộc đợt khảo sát này.",
                       {"message_en": "The unit is not part of this round."})
    if not may_see_report(user, unit):
        raise ApiError(403, "forbidden", "Bạn không có quyền kiểm duyệt ý kiến của đơn vị này.",
                       {"message_en": "You may not moderate this unit's comments."})
    return round_, unit
