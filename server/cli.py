"""Administrative commands: create-user and seed-demo."""

import os

import click
from flask.cli import with_appcontext

from server.extensions import db


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(["admin", "official", "volunteer"]), required=True)
@click.option("--name", "display_name", default=None, help="Display name (tên hiển thị)")
@click.option("--unit", "unit_codes", multiple=True, help="Code of an assigned unit (repeatable)")
@click.password_option(prompt="Mật khẩu / Password", help="Asked for when not given; "
                       "prefer the prompt so the password never appears on the command line.")
@with_appcontext
def create_user_command(username, role, display_name, unit_codes, password):
    """Create a user for a real deployment (the password is asked for, never echoed)."""
    from sqlalchemy import select

    from server.people.services import create_user
    from server.units.models import Unit

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
