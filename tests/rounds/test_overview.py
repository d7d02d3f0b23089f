"""The counts the Rounds pages show: units, the sum of targets (own or default), responses
that count (not rejected, not excluded) and late ones, credited to the round's units."""

from server.db_types import utcnow
from server.rounds.overview import round_lines
from server.rounds.services import set_unit_targets
from server.rounds.unit_page import round_unit_page

ANSWERS = {"overall_satisfaction": "4"}


def test_counts_per_round_and_per_unit(db, factory):
    ward = factory.unit("Phường Hoa Lư", "ward")
    group = factory.unit("Tổ dân phố 1", "residential_group", parent=ward)
    commune = factory.unit("Xã Gia Viễn", "commune")
    village = factory.unit("Thôn Đồng Tâm", "village", parent=commune)
    volunteer = factory.user("vol", "volunteer", units=[group, village])
    round_ = factory.round(units=[group, commune], target_per_unit=30)
    set_unit_targets(round_, {commune.id: 45})
    factory.response(round_, group, volunteer, ANSWERS)
    factory.response(round_, group, volunteer, ANSWERS, is_late=True)
    factory.response(round_, village, volunteer, ANSWERS)  # credited to the commune
    factory.response(round_, group, volunteer, ANSWERS, status="rejected")
    factory.response(round_, group, volunteer, ANSWERS, excluded_at=utcnow(),
                     excluded_reason="thử nghiệm")
    other = factory.round(units=[group])

    lines = {line.round.id: line for line in round_lines(utcnow())}
    line = lines[round_.id]
    assert (line.status, line.units, line.target, line.responses, line.late) == \
        ("open", 2, 75, 3, 1)
    assert (lines[other.id].responses, lines[other.id].target) == (0, 20)

    page = round_unit_page(round_, 1, "", 2)
    per_unit = {entry.unit.id: entry for entry in page.items}
    assert (per_unit[group.id].responses, per_unit[group.id].target,
            per_unit[group.id].own_target) == (2, 30, None)
    assert (per_unit[commune.id].responses, per_unit[commune.id].target) == (1, 45)
    assert per_unit[commune.id].parent_name is None and per_unit[group.id].parent_name == ward.name
