"""Comment moderation over the API: an official or an admin hides a comment from the
reports with a reason (audited), can show it again, until an admin marks the round's
reports final; hidden comments leave the PDF and the report fingerprint changes, the
admin export keeps them, marked."""

import csv
import io

import pytest
from sqlalchemy import select

from server.audit.models import AuditEntry
from server.moderation.comments import CommentGroup, Occurrence, group_page
from server.moderation.models import HiddenComment
from server.reporting.services import data_fingerprint
from tests.reporting.moderation_support import (
    REPEATED,
    UNIQUE,
    add_comment,
    comment_list,
    group_of,
    refs,
)

COMMUNE = "Phường Đông Hòa"
HIDDEN = HiddenComment(reason="offensive")


@pytest.fixture
def world(dataset, factory):
    add_comment(dataset, factory, "Tổ dân phố Đông Thịnh", UNIQUE)
    for group in ("Tổ dân phố Đông Thịnh", "Tổ dân phố Bắc Sơn"):
        add_comment(dataset, factory, group, REPEATED)
    return dataset


def _flat(text: str) -> str:
    return " ".join(text.split())


def report_text(client, headers, dataset, unit, pdf_text) -> str:
    response = client.get(f"/api/v1/rounds/{dataset.current.id}/units/{unit.id}/report.pdf",
                          headers=headers)
    assert response.status_code == 200
    return _flat(pdf_text(response.data))


def hide(client, headers, dataset, unit, comments, reason="offensive", **extra):
    return client.post(f"/api/v1/rounds/{dataset.current.id}/comments/hide", headers=headers,
                       json={"unit_id": unit.id, "comments": comments, "reason": reason, **extra})


def unhide(client, headers, dataset, unit, comments, **extra):
    return client.post(f"/api/v1/rounds/{dataset.current.id}/comments/unhide", headers=headers,
                       json={"unit_id": unit.id, "comments": comments, **extra})


def audit(db, action):
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                   .order_by(AuditEntry.id)))


def test_hiding_a_comment_takes_it_out_of_the_pdf_audited_and_changes_the_fingerprint(
        client, db, world, bearer, pdf_text):
    headers = bearer(world.official)
    commune = world.communes[COMMUNE]
    listing = comment_list(client, headers, world.current.id, commune.id)
    assert listing["moderation_open"] is True and listing["hidden_comments"] == 0
    target = group_of(listing, UNIQUE)
    assert target["count"] == 1 and target["hidden_count"] == 0
    assert UNIQUE in report_text(client, headers, world, commune, pdf_text)
    before = data_fingerprint(world.current, commune, "vi")

    response = hide(client, headers, world, commune, refs(target), note="  rác  ")
    assert response.status_code == 200, response.json
    assert response.json == {"changed": 1, "unchanged": 0}

    db.session.expire_all()
    assert data_fingerprint(world.current, commune, "vi") != before
    assert UNIQUE not in report_text(client, headers, world, commune, pdf_text)
    # the group's own report too: hidden for the whole round
    group = world.groups["Tổ dân phố Đông Thịnh"]
    assert UNIQUE not in report_text(client, headers, world, group, pdf_text)
    stored = db.session.scalars(select(HiddenComment)).one()
    assert (stored.reason, stored.note, stored.hidden_by_id) == ("offensive", "rác",
                                                                 world.official.id)
    [entry] = audit(db, "comment.hidden")
    assert entry.actor_id == world.official.id and entry.object_type == "comment"
    assert entry.details["reason"] == "offensive" and entry.details["note"] == "rác"
    assert entry.details["response_id"] == target["comments"][0]["response_id"]
    assert entry.details["comments_in_action"] == 1 and entry.details["identical"] is False

    listing = comment_list(client, headers, world.current.id, commune.id, state="hidden")
    assert [g["text"] for g in listing["groups"]] == [UNIQUE]
    assert listing["groups"][0]["comments"][0]["reason"] == "offensive"

    # shown again: back in the report, audited with what it was hidden for
    fingerprint_hidden = data_fingerprint(world.current, commune, "vi")
    response = unhide(client, headers, world, commune, refs(target))
    assert response.json == {"changed": 1, "unchanged": 0}
    db.session.expire_all()
    assert data_fingerprint(world.current, commune, "vi") != fingerprint_hidden
    assert UNIQUE in report_text(client, headers, world, commune, pdf_text)
    [shown] = audit(db, "comment.unhidden")
    assert shown.details["before"]["reason"] == "offensive"
    assert db.session.scalars(select(HiddenComment)).all() == []


def test_one_of_identical_comments_then_all_of_them(client, db, world, bearer, pdf_text):
    headers = bearer(world.official)
    commune = world.communes[COMMUNE]
    group = group_of(comment_list(client, headers, world.current.id, commune.id), REPEATED)
    assert group["count"] == 2
    assert f"{REPEATED} × 2" in report_text(client, headers, world, commune, pdf_text)

    first = refs(group)[:1]
    assert hide(client, headers, world, commune, first).json == {"changed": 1, "unchanged": 0}
    text = report_text(client, headers, world, commune, pdf_text)
    assert REPEATED in text and f"{REPEATED} × 2" not in text   # one occurrence left

    response = hide(client, headers, world, commune, first, reason="other",
                    note="Trùng lặp, vận động", identical=True)
    assert response.json == {"changed": 1, "unchanged": 1}
    assert REPEATED not in report_text(client, headers, world, commune, pdf_text)
    hidden = audit(db, "comment.hidden")
    assert len(hidden) == 2 and hidden[1].details["identical"] is True
    assert hidden[1].details["note"] == "Trùng lặp, vận động"

    response = unhide(client, headers, world, commune, first, identical=True)
    assert response.json == {"changed": 2, "unchanged": 0}
    assert [e.details["comments_in_action"] for e in audit(db, "comment.unhidden")] == [2, 2]
    assert f"{REPEATED} × 2" in report_text(client, headers, world, commune, pdf_text)


def test_a_reason_is_required(client, db, world, bearer):
    headers = bearer(world.official)
    commune = world.communes[COMMUNE]
    target = refs(group_of(comment_list(client, headers, world.current.id, commune.id), UNIQUE))
    missing = client.post(f"/api/v1/rounds/{world.current.id}/comments/hide", headers=headers,
                          json={"unit_id": commune.id, "comments": target})
    assert missing.status_code == 400 and missing.json["error"]["code"] == "validation_error"
    unknown = hide(client, headers, world, commune, target, reason="dislike")
    assert unknown.status_code == 400
    other = hide(client, headers, world, commune, target, reason="other", note="   ")
    assert other.status_code == 400 and other.json["error"]["code"] == "note_required"
    assert "Lý do khác" in other.json["error"]["message"]
    too_long = hide(client, headers, world, commune, target, reason="other", note="x" * 501)
    assert too_long.status_code == 400 and too_long.json["error"]["code"] == "note_too_long"
    nothing = hide(client, headers, world, commune, [])
    assert nothing.status_code == 400
    assert db.session.scalars(select(HiddenComment)).all() == []
    assert audit(db, "comment.hidden") == []


def test_who_may_moderate(client, db, world, bearer, factory):
    commune = world.communes[COMMUNE]
    target = refs(group_of(comment_list(client, bearer(world.official), world.current.id,
                                        commune.id), UNIQUE))
    other_commune = world.communes["Xã Quỳnh Lưu"]
    stranger = bearer(factory.user("canbo_b", "official", units=[other_commune]))
    listing = client.get(f"/api/v1/rounds/{world.current.id}/comments",
                         query_string={"unit_id": commune.id}, headers=stranger)
    assert listing.status_code == 403 and listing.json["error"]["code"] == "forbidden"
    assert hide(client, stranger, world, commune, target).status_code == 403
    # their own commune, but a comment of another one: not in their report
    elsewhere = hide(client, stranger, world, other_commune, target)
    assert elsewhere.status_code == 404
    assert elsewhere.json["error"]["code"] == "comment_not_found"
    # an official of a residential group cannot reach the commune's comments
    group_official = bearer(factory.user("totruong", "official",
                                         units=[world.groups["Tổ dân phố Bắc Sơn"]]))
    assert hide(client, group_official, world, commune, target).status_code == 403
    volunteer = bearer(world.volunteer)
    assert hide(client, volunteer, world, commune, target).status_code == 403
    assert client.get(f"/api/v1/rounds/{world.current.id}/comments",
                      query_string={"unit_id": commune.id}, headers=volunteer).status_code == 403
    assert hide(client, {}, world, commune, target).status_code == 401
    assert db.session.scalars(select(HiddenComment)).all() == []
    # an admin may, anywhere
    admin = bearer(factory.user("quantri", "admin"))
    assert hide(client, admin, world, world.province, target).json["changed"] == 1
    missing_round = client.get("/api/v1/rounds/999999/comments",
                               query_string={"unit_id": commune.id}, headers=admin)
    assert missing_round.status_code == 404


def test_the_admin_export_keeps_a_hidden_comment_marked(client, db, world, bearer, factory):
    headers = bearer(world.official)
    commune = world.communes[COMMUNE]
    target = group_of(comment_list(client, headers, world.current.id, commune.id), UNIQUE)
    hide(client, headers, world, commune, refs(target), reason="personal_info")
    admin = bearer(factory.user("quantri", "admin"))
    response = client.get(f"/api/v1/rounds/{world.current.id}/export.csv", headers=admin)
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    [row] = [row for row in rows if row["comment"] == UNIQUE]
    assert row["comments_hidden"] == "comment"
    assert row["comments_hidden_reason"] == "comment: Lộ thông tin cá nhân (chưa được che hết)"
    others = [row for row in rows if row["comment"] != UNIQUE]
    assert others and all(row["comments_hidden"] == "" for row in others)


def test_after_the_reports_are_final_nothing_changes(client, db, world, bearer, factory):
    headers = bearer(world.official)
    commune = world.communes[COMMUNE]
    target = refs(group_of(comment_list(client, headers, world.current.id, commune.id), UNIQUE))
    admin = bearer(factory.user("quantri", "admin"))
    final_url = f"/api/v1/rounds/{world.current.id}/reports-final"
    still_open = client.post(final_url, headers=admin, json={"final": True})
    assert still_open.status_code == 409
    assert still_open.json["error"]["code"] == "round_not_closed"
    assert client.post(final_url, headers=headers, json={"final": True}).status_code == 403

    world.current.status = "closed"
    db.session.flush()
    made_final = client.post(final_url, headers=admin, json={"final": True})
    assert made_final.status_code == 200 and made_final.json["reports_final_at"]
    refused = hide(client, headers, world, commune, target)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "reports_final"
    assert comment_list(client, headers, world.current.id, commune.id)["moderation_open"] is False
    assert [e.object_id for e in audit(db, "round.reports_final")] == [str(world.current.id)]

    reopened = client.post(final_url, headers=admin, json={"final": False})
    assert reopened.status_code == 200 and reopened.json["reports_final_at"] is None
    assert hide(client, headers, world, commune, target).json["changed"] == 1
    assert len(audit(db, "round.reports_reopened")) == 1


def test_the_api_is_in_the_openapi_document(client, db):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in ("/api/v1/rounds/{round_id}/comments", "/api/v1/rounds/{round_id}/comments/hide",
                 "/api/v1/rounds/{round_id}/comments/unhide",
                 "/api/v1/rounds/{round_id}/reports-final",
                 "/api/v1/rounds/{round_id}/units/{unit_id}/summary"):
        assert path in paths, path
    hide_body = paths["/api/v1/rounds/{round_id}/comments/hide"]["post"]["requestBody"]
    assert "content" in hide_body


def test_groups_are_paged_and_filtered():
    groups = [CommentGroup(f"k{i}", f"Ý kiến {i}", "comment",
                           [Occurrence(i * 10 + j, "comment", HIDDEN if j < hidden else None)
                            for j in range(count)])
              for i, (count, hidden) in enumerate([(3, 0), (2, 2), (1, 1), (1, 0), (2, 1)])]
    page = group_page(groups, "all", 2, 2)
    assert [g.key for g in page.groups] == ["k2", "k3"] and page.pages == 3
    assert (page.total_comments, page.hidden_comments, page.total_groups) == (9, 4, 5)
    assert [g.key for g in group_page(groups, "hidden", 1, 10).groups] == ["k1", "k2", "k4"]
    assert [g.key for g in group_page(groups, "shown", 1, 10).groups] == ["k0", "k3", "k4"]
    assert group_page(groups, "all", 99, 2).page == 3          # past the end: the last page
    assert group_page([], "all", 1, 2).pages == 1
