"""`flask consult …`: the commands for operators."""

from pathlib import Path

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


@consult_cli.group("import")
def import_cli() -> None:
    """Import recommendations; every command ends with one line of JSON counting them."""


def _run_import(kind: str, files: tuple[str, ...], dry_run: bool, **options) -> None:
    """Read, import all or nothing, print the problems and the counts, and commit unless told not to."""
    from pathlib import Path

    from consult.plan.importers import reader_for
    from consult.plan.importing import read_and_import

    report = read_and_import(reader_for(kind), [Path(f) for f in files], dry_run=dry_run, **options)
    for problem in report.problems:
        click.echo(str(problem), err=True)
    if report.refused:
        db.session.rollback()
        click.echo(f"Nothing was imported: {len(report.problems)} problem(s) above.", err=True)
    elif dry_run:
        db.session.rollback()
        click.echo("Dry run: nothing was written.", err=True)
    else:
        db.session.commit()
    click.echo(report.json_line())
    if report.refused:
        raise SystemExit(1)


_files = click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
_dry_run = click.option("--dry-run", is_flag=True, help="Report what would change, write nothing.")


@import_cli.command("upr-info")
@_files
@_dry_run
@with_appcontext
def import_upr_info(files: tuple[str, ...], dry_run: bool) -> None:
    """UPR Info CSV exports (Mac Roman or UTF-8); sessions.csv beside them dates the reviews."""
    _run_import("upr-info", files, dry_run)


@import_cli.command("ohchr-matrix")
@_files
@_dry_run
@with_appcontext
def import_ohchr_matrix(files: tuple[str, ...], dry_run: bool) -> None:
    """OHCHR thematic lists of recommendations (.docx)."""
    _run_import("ohchr-matrix", files, dry_run)


@import_cli.command("uhri")
@_files
@_dry_run
@click.option(
    "--language",
    type=click.Choice(["ar", "en", "es", "fr", "ru", "zh"]),
    default=None,
    help="The language of the texts; by default read from the file name, else English.",
)
@with_appcontext
def import_uhri(files: tuple[str, ...], dry_run: bool, language: str | None) -> None:
    """Universal Human Rights Index exports (.xlsx or .json); another language's file adds translations."""
    _run_import("uhri", files, dry_run, language=language)


@import_cli.command("template")
@_files
@_dry_run
@with_appcontext
def import_template(files: tuple[str, ...], dry_run: bool) -> None:
    """consult's own CSV or XLSX template (docs/import-template.md)."""
    _run_import("template", files, dry_run)


@consult_cli.command("tick")
@with_appcontext
def tick() -> None:
    """Open and close rounds whose time has come, e-mail moderation outcomes that can no longer be undone,
    and delete files kept for comment forms nobody came back to (run it from cron every minute)."""
    from consult.rounds.notifications import announce
    from consult.rounds.services import tick as move_rounds

    moved = move_rounds()
    db.session.commit()
    announce(moved)
    for round_id, state in moved:
        click.echo(f"round {round_id}: {state.value}")
    from consult.rounds.notifications import ticked

    ticked.send(None)  # moderation e-mails the outcomes whose undo window has passed
    from flask import current_app

    from consult.comments import pending  # files kept for comment forms nobody came back to
    from consult.uploads import attachments

    stale = pending.forget_stale(None)
    db.session.commit()
    for storage_name in stale:
        attachments.delete(storage_name, Path(current_app.config["UPLOAD_FOLDER"]))


@consult_cli.command("worker")
@with_appcontext
def worker() -> None:
    """Run the background jobs (e-mail) from the Redis queue named by REDIS_URL."""
    from consult.jobs import queue

    jobs = queue(for_worker=True)
    if jobs is None:
        raise click.ClickException("REDIS_URL is not set: jobs run inline and no worker is needed")
    from rq import SimpleWorker

    SimpleWorker([jobs], connection=jobs.connection).work(with_scheduler=False)


@consult_cli.command("digest")
@with_appcontext
def digest() -> None:
    """Send the daily digests to the people who chose them (run it once a day from cron)."""
    from consult.accounts.notices import send_digests

    click.echo(f"digests sent: {send_digests()}")


@consult_cli.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(path: Path) -> None:
    """Write the database and the uploaded files to a new archive at PATH (safe while the app runs)."""
    from consult import backup as backups

    try:
        summary = backups.create_backup(path)
    except backups.BackupError as error:
        raise click.ClickException(error.message) from error
    for name in summary.missing_attachments:
        click.echo(f"warning: the attachment file {name} was missing from the upload folder", err=True)
    click.echo(summary.json_line())


@consult_cli.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database holding data (stop the app servers first).")
@with_appcontext
def restore(path: Path, force: bool) -> None:
    """Put back the database and the uploaded files from an archive written by `backup`."""
    from consult import backup as backups

    try:
        summary = backups.restore_backup(path, force=force)
    except backups.BackupError as error:
        raise click.ClickException(error.message) from error
    click.echo(summary.json_line())


@consult_cli.command("clean-attachments")
@with_appcontext
def clean_attachments() -> None:
    """Clean every stored attachment with the current cleaners (after an upgrade, or after turning
    ATTACHMENTS_CLEAN_ALL on): the names inside documents and what acts when they are opened go."""
    from flask import current_app

    from consult.comments import services as comments
    from consult.uploads import attachments

    folder = Path(current_app.config["UPLOAD_FOLDER"])
    result = comments.clean_attachments(folder, current_app.config["ATTACHMENTS_CLEAN_ALL"])
    db.session.commit()
    for storage_name in result.replaced:
        attachments.delete(storage_name, folder)
    for public_id in result.refused:
        click.echo(
            f"warning: attachment {public_id} could not be cleaned (macros, or damaged); "
            "withhold it from its comment's moderation page",
            err=True,
        )
    click.echo(f"{len(result.replaced)} files cleaned, {len(result.refused)} could not be")
