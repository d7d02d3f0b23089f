"""Sign-in codes (server/auth/signin_codes.py): random, stored only as a hash, single use
even when two phones scan at once, short-lived, revocable, for active volunteers only."""

import hashlib
import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from server.audit.models import AuditEntry
from server.auth import signin_codes
from server.auth.models import SigninCode
from server.auth.signin_codes import (
    LIFETIME,
    CodeRefused,
    issue_codes,
    live_codes,
    redeem,
    revoke_cards,
)
from server.db_types import utcnow
from server.extensions import db as _db
from server.people.services import activate_person, reset_password, update_person


@pytest.fixture
def people(factory, db):
    group = factory.unit("Tổ dân phố 1", "residential_group")
    admin = factory.user("quantri", "admin")
    lan = factory.user("tnv.lan", "volunteer", units=[group], display_name="Nguyễn Thị Lan")
    binh = factory.user("tnv.binh", "volunteer", units=[group], display_name="Trần Văn Bình")
    return admin, lan, binh


def _refused(code: str, **kwargs) -> str:
    with pytest.raises(CodeRefused) as refused:
        redeem(code, **kwargs)
    return refused.value.code


def test_only_the_hash_is_stored_and_the_code_is_long_and_url_safe(db, people):
    admin, lan, _ = people
    [issued] = issue_codes([lan], admin.id)
    assert re.fullmatch(r"[A-Za-z0-9_-]{43,}", issued.code)   # 256 bits, URL-safe
    stored = db.session.scalars(select(SigninCode)).one()
    assert stored.code_hash == hashlib.sha256(issued.code.encode()).hexdigest()
    assert issued.code not in {stored.code_hash, str(stored.id)}
    assert stored.created_by_id == admin.id
    assert stored.expires_at - stored.created_at == LIFETIME == timedelta(days=14)


def test_a_code_signs_in_once(db, people):
    admin, lan, _ = people
    [issued] = issue_codes([lan], admin.id)
    user, row = redeem(issued.code)
    assert user.id == lan.id and row.used_at is not None
    assert _refused(issued.code) == "invalid"


def test_unknown_and_malformed_codes_get_the_one_answer(db, people):
    for code in ("x" * 43, "", "short", "ä" * 43, "a" * 500, "../../etc"):
        assert _refused(code) == "invalid"


def test_an_expired_code_is_refused(db, people):
    admin, lan, _ = people
    [issued] = issue_codes([lan], admin.id)
    expires_at = issued.record.expires_at
    assert _refused(issued.code, now=expires_at) == "invalid"
    assert redeem(issued.code, now=expires_at - timedelta(seconds=1))[0].id == lan.id


def test_new_cards_revoke_the_earlier_unused_ones(db, people):
    admin, lan, binh = people
    first = issue_codes([lan, binh], admin.id)
    second = issue_codes([lan], admin.id)
    assert _refused(first[0].code) == "invalid"          # Lan's old card
    assert redeem(second[0].code)[0].id == lan.id
    assert redeem(first[1].code)[0].id == binh.id        # Bình's card was not reprinted
    printed = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "user.signin_card_printed").order_by(AuditEntry.id)).all()
    assert [(e.actor_id, e.object_id) for e in printed] == [
        (admin.id, str(lan.id)), (admin.id, str(binh.id)), (admin.id, str(lan.id))]
    assert printed[2].details["before"] == {"live_signin_cards": 1}
    assert issued_code_not_in(printed, second[0].code)


def issued_code_not_in(entries, code: str) -> bool:
    return all(code not in str(entry.details) for entry in entries)


def test_an_admin_revokes_a_persons_cards(db, people):
    admin, lan, _ = people
    [issued] = issue_codes([lan], admin.id)
    assert len(live_codes(lan.id)) == 1
    assert revoke_cards(lan, admin.id) == 1
    assert live_codes(lan.id) == []
    assert _refused(issued.code) == "invalid"
    assert revoke_cards(lan, admin.id) == 0
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "user.signin_cards_revoked")).all()
    assert [(e.actor_id, e.details["before"]) for e in entries] == [
        (admin.id, {"live_signin_cards": 1})]


@pytest.mark.parametrize("ending", ["deactivate", "reset_password", "made_official"])
def test_ending_a_persons_logins_revokes_their_cards(db, people, ending):
    admin, lan, _ = people
    [issued] = issue_codes([lan], admin.id)
    if ending == "deactivate":
        activate_person(lan, False, admin.id)
        activate_person(lan, True, admin.id)        # back again: the old card stays dead
    elif ending == "reset_password":
        reset_password(lan, admin.id)
    else:
        update_person(lan, admin.id, role="official")
        update_person(lan, admin.id, role="volunteer")
    row = db.session.scalars(select(SigninCode)).one()
    assert row.revoked_at is not None
    assert _refused(issued.code) == "invalid"


def test_cards_are_for_active_volunteers_only(db, people, factory):
    admin, lan, _ = people
    official = factory.user("canbo", "official")
    for person in (admin, official):
        with pytest.raises(ValueError):
            issue_codes([person], admin.id)
    [issued] = issue_codes([lan], admin.id)
    lan.is_active = False              # deactivated behind the service's back: still refused
    db.session.flush()
    assert _refused(issued.code) == "invalid"


def test_a_card_of_someone_else_is_refused_and_left_unused(db, people):
    admin, lan, binh = people
    [issued] = issue_codes([lan], admin.id)
    assert _refused(issued.code, only_for_user_id=binh.id) == "other_user"
    assert db.session.scalars(select(SigninCode)).one().used_at is None
    assert redeem(issued.code, only_for_user_id=lan.id)[0].id == lan.id


def test_two_phones_scanning_at_once_get_one_sign_in(app, committed_db, factory_committed,
                                                     monkeypatch):
    admin = factory_committed.user("quantri", "admin")
    lan = factory_committed.user("tnv.lan", "volunteer")
    [issued] = issue_codes([lan], admin.id)
    code, lan_id = issued.code, lan.id
    committed_db.session.commit()
    committed_db.session.remove()
    # On PostgreSQL both phones get past the first look before either writes; SQLite
    # serialises writers (BEGIN IMMEDIATE), so there the second simply waits.
    both_looked = threading.Barrier(2, timeout=5)
    real_update = signin_codes.update
    concurrent_readers = _db.engine.dialect.name == "postgresql"

    def update_after_both_looked(*args):
        if concurrent_readers:
            both_looked.wait()
        return real_update(*args)

    monkeypatch.setattr(signin_codes, "update", update_after_both_looked)
    outcomes = []
    start = threading.Barrier(2)

    def phone():
        with app.app_context():
            start.wait()
            try:
                user, _ = redeem(code)
                _db.session.commit()
                outcomes.append(user.id)
            except CodeRefused as refused:
                _db.session.rollback()
                outcomes.append(refused.code)
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=phone) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes, key=str) == sorted([lan_id, "invalid"], key=str)
    used = committed_db.session.scalars(select(SigninCode).where(
        SigninCode.used_at.is_not(None))).all()
    assert len(used) == 1


def test_live_codes_leaves_out_used_expired_and_revoked(db, people):
    admin, lan, _ = people
    [issued] = issue_codes([lan], admin.id)
    assert [row.id for row in live_codes(lan.id)] == [issued.record.id]
    assert live_codes(lan.id, now=utcnow() + LIFETIME + timedelta(seconds=1)) == []
    redeem(issued.code)
    assert live_codes(lan.id) == []
