from sqlalchemy import select

from server.people.models import User


def test_create_user_asks_for_the_password(app, db, factory):
    commune = factory.unit("Phường Hoa Lư", "ward", code="hoa-lu")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "can.bo", "--role", "official", "--name",
                                 "Cán bộ Lan", "--unit", "hoa-lu"],
                           input="mat-khau-dai\nmat-khau-dai\n")
    assert result.exit_code == 0, result.output
    assert "mat-khau-dai" not in result.output
    user = db.session.scalar(select(User).where(User.username == "can.bo"))
    assert user.role == "official" and [u.id for u in user.units] == [commune.id]
    assert user.password_hash.startswith("scrypt:")


def test_create_user_refuses_short_passwords_and_unknown_units(app, db):
    runner = app.test_cli_runner()
    short = runner.invoke(args=["create-user", "x", "--role", "admin"], input="short\nshort\n")
    assert short.exit_code != 0 and "8 characters" in short.output
    unknown = runner.invoke(args=["create-user", "y", "--role", "official", "--unit", "nope"],
                            input="long-enough\nlong-enough\n")
    assert unknown.exit_code != 0 and "no unit" in unknown.output
