"""`flask consult …`: the commands for operators."""

import click
from flask.cli import with_appcontext

from consult.accounts import services as accounts
from consult.accounts.models import StaffRoleName
from consult.errors import DomainError
from consult.extensions import db


@click.group("consult")
def consult_cli() -> None:
    """Operate a consult deployment."""


@consult_cli.command("create-user")
@click.argument("email")
@click.option("--name", required=True, help="The person's name as shown to others.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice([r.value for r in StaffRoleName]),
    help="A staff role; repeat for several. Staff set up two-factor sign-in at their first sign-in.",
)
@click.option("--language", type=click.Choice(["ar", "en", "es", "fr", "ru", "zh"]), default=None)
@click.password_option(help="Asked for when not given.")
@with_appcontext
def create_user(email: str, name: str, roles: tuple[str, ...], language: str | None, password: str) -> None:
    """Create a confirmed account, with staff roles if given."""
    from consult.accounts.passwords import MIN_LENGTH

    if len(password) < MIN_LENGTH:
        raise click.BadParameter(f"use at least {MIN_LENGTH} characters", param_hint="password")
    try:
        user = accounts.create_user(email, name, password, tuple(StaffRoleName(r) for r in roles), language)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"created account {user.id} for {user.email}" + (f" ({', '.join(roles)})" if roles else ""))


@consult_cli.command("demo")
@click.option("--reset", is_flag=True, help="Delete everything first (development only).")
@with_appcontext
def demo(reset: bool) -> None:
    """Load the demo plan, rounds and accounts (once), and print how to sign in."""
    from consult import demo as demo_module

    if reset:
        demo_module.clear_everything()
    created = demo_module.load_demo()
    db.session.commit()
    click.echo("Demo data loaded." if created else "Demo data was already there.")
    click.echo(demo_module.describe_accounts())


@consult_cli.command("demo-code")
@click.argument("email")
def demo_code(email: str) -> None:
    """Print the current second-factor code of a demo staff account."""
    from consult import demo as demo_module

    code = demo_module.demo_code(email)
    if code is None:
        raise click.ClickException("only the demo staff accounts have a published key")
    click.echo(code)
