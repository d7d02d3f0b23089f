import pytest
from sqlalchemy import func, select

from server.demo.seed import DEMO_COMMUNE, DemoRefused, seed_demo
from server.people.models import User
from server.rounds.models import Round
from server.sync.models import Response
from server.units.models import Unit


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_demo_builds_the_demo_once(db):
    first = seed_demo("pw-demo")
    assert not first.already_seeded
    counts = {model: _count(db, model) for model in (Unit, User, Round, Response)}
    assert counts[Unit] == 1 + 3 + 15
    assert {u.username for u in db.session.scalars(select(User))} >= {"admin", "official", "volunteer"}
    official = db.session.scalar(select(User).where(User.username == "official"))
    assert [u.name for u in official.units] == [DEMO_COMMUNE]
    rounds = db.session.scalars(select(Round).order_by(Round.opens_at)).all()
    assert [r.effective_status() for r in rounds] == ["closed", "open"]
    assert counts[Response] >= 200

    second = seed_demo("pw-demo")
    assert second.already_seeded
    assert {model: _count(db, model) for model in counts} == counts
    assert "official" in second.describe("pw-demo") and "pw-demo" in second.describe("pw-demo")


def test_seed_demo_refuses_a_database_with_real_data(app, db, factory):
    factory.user("can.bo.that", "official")
    with pytest.raises(DemoRefused):
        seed_demo("pw-demo")
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0 and "non-demo" in result.output
    skipped = app.test_cli_runner().invoke(args=["seed-demo", "--if-empty"])
    assert skipped.exit_code == 0 and "not seeded" in skipped.output
    assert _count(db, Unit) == 0
