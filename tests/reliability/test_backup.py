"""`flask consult backup` and `restore`: a restore gives back every row of every table and every attachment
byte for byte, on SQLite and on PostgreSQL, and refuses damaged archives and occupied databases."""

import io
import json
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from PIL import Image
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from config import TestingConfig
from consult import backup as backups
from consult import create_app
from consult.accounts.models import User
from consult.comments import services as comments
from consult.comments.models import Comment
from consult.extensions import db
from consult.rounds.models import Round
from consult.uploads import attachments
from tests.summaries.fixtures import closed_round_with_input


def _png(colour: tuple[int, int, int]) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (24, 16), colour).save(output, "PNG")
    return output.getvalue()


def _attach(app: Flask, comment_id: int, name: str, colour: tuple[int, int, int]) -> None:
    """Store a real file as the comment's attachment, through the services the form uses."""
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        stored = attachments.store(_png(colour), name, Path(app.config["UPLOAD_FOLDER"]))
        comments.attach(db.session.get(User, comment.author_id), comment, [stored])
        db.session.commit()


@pytest.fixture
def filled(app):
    """A closed round with moderated input of every kind and two attachments (one confidential)."""
    data = closed_round_with_input(app)
    _attach(app, data.named_id, "evidence.png", (200, 30, 30))
    _attach(app, data.confidential_id, "witness.png", (30, 30, 200))
    return data


def canonical(app: Flask) -> dict[str, list[tuple]]:
    """Every row of every table (and the schema revision), each table ordered by its primary key."""
    with app.app_context():
        rows = {
            table.name: [
                tuple(row) for row in db.session.execute(select(table).order_by(*table.primary_key.columns))
            ]
            for table in db.metadata.sorted_tables
        }
        rows["alembic_version"] = list(db.session.execute(text("SELECT version_num FROM alembic_version")))
        db.session.rollback()
    return rows


def files(app: Flask) -> dict[str, bytes]:
    """The upload folder's files and their bytes."""
    folder = Path(app.config["UPLOAD_FOLDER"])
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())} if folder.exists() else {}


def run(app: Flask, *args: str):
    """`flask consult …` in-process, as an operator runs it."""
    return app.test_cli_runner().invoke(args=["consult", *args])


def summary(result) -> dict:
    """The JSON line a command ends with."""
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout.strip().splitlines()[-1])


def refused(result, words: str) -> None:
    """A clear one-line message and a non-zero exit, never a traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert words in result.output and "Traceback" not in result.output


def test_a_restore_in_place_gives_back_every_row_and_every_attachment(app, filled, tmp_path):
    before, files_before = canonical(app), files(app)
    assert len(files_before) == 2 and sum(len(rows) for rows in before.values()) > 50
    archive = tmp_path / "consult.tar.gz"

    written = summary(run(app, "backup", str(archive)))
    assert written["attachments"] == 2 and written["missing_attachments"] == []
    assert written["rows"] == sum(len(rows) for rows in before.values())
    assert archive.stat().st_mode & 0o077 == 0, "a backup holds confidential comments: its owner's only"

    with app.app_context():  # life goes on: a comment and its file go, a round and an account change
        comment = db.session.get(Comment, filled.named_id)
        attachments.delete(comment.attachments[0].storage_name, Path(app.config["UPLOAD_FOLDER"]))
        db.session.delete(comment)
        db.session.get(Round, filled.round_id).title = {"en": "Renamed"}
        db.session.get(User, filled.contributor.id).display_name = "Someone else"
        db.session.commit()
    assert canonical(app) != before and files(app) != files_before

    refused(run(app, "restore", str(archive)), "--force")
    assert len(files(app)) == 1, "a refused restore changes nothing"

    restored = summary(run(app, "restore", str(archive), "--force"))
    assert restored["rows"] == written["rows"] and restored["attachments"] == 2
    assert canonical(app) == before
    assert files(app) == files_before
    assert app.test_client().get(f"/rounds/{filled.slug}").status_code == 200


@pytest.fixture
def elsewhere(database, tmp_path) -> Iterator[Flask]:
    """An app on an empty database (a new file, or a new PostgreSQL database) with an empty upload folder:
    the server a backup is restored onto after a disaster."""
    url = make_url(database)
    if url.get_backend_name() == "postgresql":
        name = f"{url.database}_restored"
        server = create_engine(url, isolation_level="AUTOCOMMIT")
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        target = url.set(database=name).render_as_string(hide_password=False)
    else:
        server, target = None, f"sqlite:///{tmp_path / 'elsewhere' / 'consult.sqlite3'}"
    other = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=target, UPLOAD_FOLDER=str(tmp_path / "other"))
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()
    if server is not None:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def test_a_backup_restores_onto_an_empty_server_without_force(app, filled, elsewhere, tmp_path):
    archive = tmp_path / "consult.tar.gz"
    summary(run(app, "backup", str(archive)))

    restored = summary(run(elsewhere, "restore", str(archive)))

    assert restored["attachments"] == 2
    assert canonical(elsewhere) == canonical(app)
    assert files(elsewhere) == files(app)


def _damaged(archive: Path) -> Path:
    """The archive with one byte of an attachment changed, re-packed so that only the manifest can tell."""
    damaged = archive.with_name("damaged.tar.gz")
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
        for member in source:
            data = source.extractfile(member).read()
            if member.name.startswith("uploads/"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            target.addfile(member, io.BytesIO(data))
    return damaged


def test_a_damaged_or_foreign_archive_is_refused_and_nothing_changes(app, filled, tmp_path):
    archive = tmp_path / "consult.tar.gz"
    summary(run(app, "backup", str(archive)))
    before, files_before = canonical(app), files(app)

    refused(run(app, "restore", str(_damaged(archive)), "--force"), "is damaged")
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    refused(run(app, "restore", str(truncated), "--force"), "not a readable backup archive")
    foreign = tmp_path / "foreign.tar"
    with tarfile.open(foreign, "w") as tar:
        entry = tarfile.TarInfo("../../etc/cron.d/evil")
        entry.size = 4
        tar.addfile(entry, io.BytesIO(b"evil"))
    refused(run(app, "restore", str(foreign), "--force"), "which no consult backup holds")
    refused(run(app, "restore", str(tmp_path / "missing.tar.gz")), "there is no backup file")

    assert canonical(app) == before and files(app) == files_before


def test_a_backup_never_overwrites_and_says_what_is_missing(app, filled, tmp_path):
    archive = tmp_path / "consult.tar.gz"
    archive.write_bytes(b"an earlier backup")
    refused(run(app, "backup", str(archive)), "exists already")
    assert archive.read_bytes() == b"an earlier backup"
    refused(run(app, "backup", str(tmp_path / "no" / "such" / "folder.tar.gz")), "there is no folder")

    lost = next(iter(files(app)))
    (Path(app.config["UPLOAD_FOLDER"]) / lost).unlink()
    result = run(app, "backup", str(tmp_path / "second.tar.gz"))
    written = summary(result)
    assert written["missing_attachments"] == [lost] and written["attachments"] == 1
    assert f"warning: the attachment file {lost} was missing" in result.stderr
    assert not list(tmp_path.glob(".*.partial")), "no half-written archive is left behind"


def test_the_postgresql_tools_missing_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(backups.BackupError, match="pg_dump was not found: install the PostgreSQL client"):
        backups._run_tool("pg_dump", ["--version"], {})
