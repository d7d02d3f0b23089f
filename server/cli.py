"""Administrative commands: create-user and seed-demo; short errors for operators."""

import os
import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import exc as sa_exc
from sqlalchemy import inspect

from server.extensions import db

MIGRATE_FIRST = ("Cơ sở dữ liệu chưa được tạo bảng: chạy `flask db upgrade` trước. / "
                 "The database has no tables yet: run `flask db upgrade` first.")


def database_problem(error: BaseException) -> str | None:
    """One actionable line for a database error an operator can fix, or None."""
    if isinstance(error, sa_exc.ArgumentError | sa_exc.NoSuchModuleError):
        return ("DATABASE_URL không hợp lệ / DATABASE_URL is not a database URL "
                f"(e.g. postgresql://user:pass@host/lang_nghe): {error}")
    if isinstance(error, sa_exc.ProgrammingError | sa_exc.OperationalError):
        message = str(getattr(error, "orig", error)).strip().splitlines()[0]
        if "no such table" in message or ("relation" in message and "does not exist" in message):
            return MIGRATE_FIRST
        if isinstance(error, sa_exc.OperationalError):
            return ("Không kết nối được cơ sở dữ liệu (kiểm tra DATABASE_URL) / cannot reach the "
                    f"database (check DATABASE_URL): {message}")
    return None


def install_short_errors() -> None:
    """For `flask` commands: an uncaught database error prints one line, not a traceback.
    Anything else keeps its traceback (it is a bug to report)."""
    previous = sys.excepthook

    def hook(kind, error, traceback):
        problem = database_problem(error)
        if problem is None:
            previous(kind, error, traceback)
        else:
            print(f"Error: {problem}", file=sys.stderr)

    sys.excepthook = hook


def require_migrated() -> None:
    """Stop a command early, with the fix, when the database is unreachable or unmigrated."""
    try:
        migrated = inspect(db.session.connection()).has_table("users")
    except sa_exc.SQLAlchemyError as error:
        raise click.ClickException(database_problem(error) or str(error)) from None
    if not migrated:
        raise click.ClickException(MIGRATE_FIRST)


def _read_password() -> str:
    """At a terminal: asked twice, hidden. Piped (a script, a secrets manager): one line."""
    if sys.stdin.isatty():
        return click.prompt("Mật khẩu / Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(["admin", "official", "volunteer"]), required=True)
@click.option("--name", "display_name", default=None, help="Display name (tên hiển thị)")
@click.option("--unit", "unit_codes", multiple=True, help="Code of an assigned unit (repeatable)")
@click.option("--password", default=None, help="Asked for when not given; prefer the prompt "
              "(or one line on stdin) so the password never appears on the command line.")
@with_appcontext
def create_user_command(username, role, display_name, unit_codes, password):
    """Create a user for a real deployment (the password is asked for, never echoed;
    from a script, give it as one line on stdin)."""
    from sqlalchemy import select

    from server.people.services import create_user
    from server.units.models import Unit

    require_migrated()  # before asking for a password that could not be stored
    if password is None:
        password = _read_password()
    units = []
    for code in unit_codes:
        unit = db.session.scalar(select(Unit).where(Unit.code == code))
        if unit is None:
            raise click.ClickException(f"no unit with code {code!r}")
        units.append(unit)
    if len(password) < 8:
        raise click.ClickException("the password must have at least 8 characters")
    try:
        user = create_user(username, password, role, display_name=display_name, units=units)
    except ValueError as problem:
        raise click.ClickException(str(problem)) from None
    db.session.commit()
    click.echo(f"Created {user.role} {user.username!r} (id {user.id}).")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True,
              help="Seed only an empty database; leave one with real data alone (make run).")
@with_appcontext
def seed_demo_command(if_empty):
    """Seed the demo (idempotent; refuses a database that holds non-demo data)."""
    from server.demo.seed import DemoRefused, holds_real_data, seed_demo

    require_migrated()
    password = os.environ.get("DEMO_PASSWORD", "lang-nghe-demo")
    if if_empty and holds_real_data():
        click.echo("Cơ sở dữ liệu đã có dữ liệu thật: bỏ qua demo. / Real data present: demo not seeded.")
        return
    try:
        outcome = seed_demo(password)
    except DemoRefused as refused:
        raise click.ClickException(str(refused)) from None
    db.session.commit()
    click.echo(outcome.describe(password))
