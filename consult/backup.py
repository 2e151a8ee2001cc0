"""Backups of a deployment: the database and the uploaded attachments in one archive, and their restore.

An archive is a gzipped tar file holding `database.sqlite3` (SQLite's online backup API: a consistent copy
taken while the app runs) or `database.pgdump` (`pg_dump --format=custom`, from the same snapshot that
lists the attachments and counts the rows), `uploads/<storage name>` for every attachment that copy names,
and `manifest.json` last: the kind of database, the schema revision, each table's row count and the SHA-256
of every member. It is written beside its path and renamed into place only once complete, readable by its
owner only (it holds confidential comments), so an interrupted backup never passes for a good one.

Restore checks the whole archive before touching anything, puts the files back first and the database
second (a failure then leaves unused files, never comments without their files), and refuses to replace a
database that holds data unless told to.
"""

import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import zlib
from collections.abc import Callable
from contextlib import closing
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import URL

from consult.extensions import db

FORMAT = "consult-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
_UPLOAD_MEMBER = re.compile(r"uploads/([0-9a-f]{32})")
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """Why a backup or a restore could not be done, in words for the operator."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Summary:
    """What a backup or a restore did, printed as one line of JSON."""

    action: str
    path: str
    database: str
    schema_revision: str | None
    tables: int
    rows: int
    attachments: int
    seconds: float = 0.0
    missing_attachments: list[str] = field(default_factory=list)

    def json_line(self) -> str:
        """The summary as one line of JSON."""
        return json.dumps(asdict(self), sort_keys=False)


# --- reading a database, whichever it is -------------------------------------------------------------------


def _table_names() -> list[str]:
    """The tables a backup counts: the models' tables and Alembic's revision."""
    return [table.name for table in db.metadata.sorted_tables] + ["alembic_version"]


def _describe(scalar: Callable[[str], Any], existing: set[str]) -> tuple[dict[str, int], str | None]:
    """Row counts of the tables that exist, and the schema revision, read through `scalar(sql)`."""
    # The names come from the models, never from input.
    counts = {name: scalar(f'SELECT count(*) FROM "{name}"') for name in _table_names() if name in existing}  # noqa: S608
    revision = scalar("SELECT version_num FROM alembic_version") if "alembic_version" in existing else None
    return counts, revision


def _existing_tables(engine: Engine) -> set[str]:
    """The names of the tables in the configured database."""

    return set(inspect(engine).get_table_names())


def _dialect(engine: Engine) -> str:
    name = engine.dialect.name
    if name not in DATABASE_MEMBERS:
        raise BackupError(f"backups of {name} databases are not supported (SQLite and PostgreSQL are)")
    return name


def _sqlite_file(engine: Engine) -> Path:
    """The file of the configured SQLite database."""
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return Path(database)


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A connection string for pg_dump and pg_restore, and an environment carrying the password: a password
    on the command line would be readable by every user of the machine."""
    dsn = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return dsn, env


def _run_tool(tool: str, arguments: list[str], env: dict[str, str]) -> None:
    """Run pg_dump or pg_restore; its last words become the error when it fails."""
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(
            f"{tool} was not found: install the PostgreSQL client tools (Debian: postgresql-client) "
            "of the server's major version or newer"
        )
    result = subprocess.run([executable, *arguments], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        detail = " ".join(result.stderr.strip().splitlines()[-3:]) or f"exit status {result.returncode}"
        raise BackupError(f"{tool} failed: {detail}")


# --- backup ------------------------------------------------------------------------------------------------


@dataclass
class _Snapshot:
    """A copy of the database in a file, and what that copy holds."""

    file: Path
    counts: dict[str, int]
    revision: str | None
    storage_names: list[str]


def _snapshot_sqlite(engine: Engine, target: Path) -> _Snapshot:
    """Copy the live SQLite database with the online backup API, then read the copy."""
    source_file = _sqlite_file(engine)
    if not source_file.is_file():
        raise BackupError(f"there is no database at {source_file}")
    source = sqlite3.connect(source_file, timeout=15)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        existing = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        counts, revision = _describe(lambda sql: copy.execute(sql).fetchone()[0], existing)
        names = (
            [row[0] for row in copy.execute("SELECT storage_name FROM attachments")]
            if ("attachments" in existing)
            else []
        )
    except sqlite3.DatabaseError as error:
        raise BackupError(f"the SQLite database could not be copied: {error}") from error
    finally:
        copy.close()
        source.close()
    return _Snapshot(target, counts, revision, names)


def _snapshot_postgresql(engine: Engine, target: Path) -> _Snapshot:
    """pg_dump from an exported snapshot, so that the dump, the row counts and the attachment list agree."""
    with (
        engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection,
        connection.begin(),
    ):
        snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
        existing = set(
            connection.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"))
        )
        counts, revision = _describe(lambda sql: connection.exec_driver_sql(sql).scalar(), existing)
        names = (
            list(connection.scalars(text("SELECT storage_name FROM attachments")))
            if "attachments" in existing
            else []
        )
        dsn, env = _libpq(engine.url)
        # The snapshot lives while this transaction is open: pg_dump must start inside it.
        _run_tool("pg_dump", ["--format=custom", f"--snapshot={snapshot}", f"--file={target}", dsn], env)
    return _Snapshot(target, counts, revision, names)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _add(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    entry = tarfile.TarInfo(name)
    entry.size, entry.mode, entry.mtime = len(data), 0o600, int(time.time())
    archive.addfile(entry, io.BytesIO(data))


def _write_archive(partial: Path, snapshot: _Snapshot, dialect: str, uploads: Path) -> list[str]:
    """Write the archive; returns the attachments the database names but the upload folder lacks."""
    hashes, missing = {}, []
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
        member = DATABASE_MEMBERS[dialect]
        hashes[member] = _sha256(snapshot.file)
        archive.add(snapshot.file, arcname=member, recursive=False)
        for name in sorted(set(snapshot.storage_names)):
            try:
                data = (uploads / name).read_bytes()
            except FileNotFoundError:
                missing.append(name)
                continue
            hashes[f"uploads/{name}"] = hashlib.sha256(data).hexdigest()
            _add(archive, f"uploads/{name}", data)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "database": dialect,
            "schema_revision": snapshot.revision,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "rows": snapshot.counts,
            "members": hashes,
            "missing_attachments": missing,
        }
        _add(archive, MANIFEST, json.dumps(manifest, indent=1, sort_keys=True).encode())
        archive.close()
        raw.flush()
        os.fsync(raw.fileno())
    return missing


def create_backup(path: Path) -> Summary:
    """Write the database and the attachment files it names to a new archive at `path`; never overwrites."""
    started = time.monotonic()
    engine = db.engine
    dialect = _dialect(engine)
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} exists already: choose a new name (a backup never overwrites a file)")
    if not path.parent.is_dir():
        raise BackupError(f"there is no folder {path.parent}")
    partial = path.with_name(f".{path.name}.partial")
    with tempfile.TemporaryDirectory(prefix="consult-backup-", dir=path.parent) as scratch:
        copy = Path(scratch) / DATABASE_MEMBERS[dialect]
        snapshot = (_snapshot_sqlite if dialect == "sqlite" else _snapshot_postgresql)(engine, copy)
        try:
            missing = _write_archive(partial, snapshot, dialect, Path(current_app.config["UPLOAD_FOLDER"]))
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    _fsync_folder(path.parent)
    return Summary(
        action="backup",
        path=str(path),
        database=dialect,
        schema_revision=snapshot.revision,
        tables=len(snapshot.counts),
        rows=sum(snapshot.counts.values()),
        attachments=len(set(snapshot.storage_names)) - len(missing),
        seconds=round(time.monotonic() - started, 2),
        missing_attachments=missing,
    )


def _fsync_folder(folder: Path) -> None:
    """Make a rename in folder durable."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# --- restore -----------------------------------------------------------------------------------------------


def _member_target(member: tarfile.TarInfo, folder: Path) -> Path:
    """Where a member is unpacked; anything a backup cannot hold (links, folders, odd names) is refused."""
    name = member.name
    allowed = name == MANIFEST or name in DATABASE_MEMBERS.values() or _UPLOAD_MEMBER.fullmatch(name)
    if not member.isfile() or not allowed:
        raise BackupError(f"the archive holds {name!r}, which no consult backup holds: is it one?")
    return folder / name


def _unpack(path: Path, folder: Path) -> tuple[dict[str, Any], dict[str, Path]]:
    """Unpack an archive into folder and check it whole: the manifest, and every member's SHA-256."""
    if not path.is_file():
        raise BackupError(f"there is no backup file at {path}")
    files, hashes = {}, {}
    try:
        with tarfile.open(path, mode="r:*") as archive:
            for member in archive:
                target = _member_target(member, folder)
                target.parent.mkdir(mode=0o700, exist_ok=True)
                digest = hashlib.sha256()
                with archive.extractfile(member) as source, target.open("xb") as copy:
                    while chunk := source.read(_CHUNK):
                        digest.update(chunk)
                        copy.write(chunk)
                files[member.name], hashes[member.name] = target, digest.hexdigest()
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise BackupError(
            f"{path} is not a readable backup archive (damaged or truncated?): {error}"
        ) from error
    if MANIFEST not in files:
        raise BackupError(f"{path} has no manifest: it is not a complete consult backup")
    try:
        manifest = json.loads(files.pop(MANIFEST).read_text())
    except ValueError as error:
        raise BackupError(f"the manifest of {path} is damaged: {error}") from error
    hashes.pop(MANIFEST)
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(f"{path} is not a consult backup of version {VERSION}")
    if manifest.get("members") != hashes:
        damaged = sorted(set(hashes.items()) ^ set(manifest.get("members", {}).items()))
        raise BackupError(f"{path} is damaged: {', '.join(sorted({name for name, _ in damaged}))} differ(s)")
    return manifest, files


def _holds_data(engine: Engine) -> list[str]:
    """The tables of the configured database that hold rows (the schema revision aside)."""
    existing = _existing_tables(engine) - {"alembic_version"}
    with engine.connect() as connection:
        counts, _revision = _describe(lambda sql: connection.exec_driver_sql(sql).scalar(), existing)
    return [name for name, count in counts.items() if count]


def _put_files_back(files: dict[str, Path], uploads: Path) -> int:
    """Write the attachment files into the upload folder, each durably and under its own name."""
    uploads.mkdir(mode=0o700, parents=True, exist_ok=True)
    count = 0
    for name, source in files.items():
        match = _UPLOAD_MEMBER.fullmatch(name)
        if not match:
            continue
        partial = uploads / f".{match.group(1)}.partial"
        with source.open("rb") as reader, partial.open("wb") as writer:
            shutil.copyfileobj(reader, writer, _CHUNK)
            writer.flush()
            os.fsync(writer.fileno())
        partial.chmod(0o600)
        os.replace(partial, uploads / match.group(1))
        count += 1
    _fsync_folder(uploads)
    return count


def _restore_sqlite(engine: Engine, copy: Path) -> None:
    """Check the copy, then write it over the configured database with the backup API (WAL-safe)."""
    try:
        with closing(sqlite3.connect(copy)) as check:
            result = check.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"the database in the backup is damaged: {error}") from error
    if result != "ok":
        raise BackupError(f"the database in the backup is damaged: {result}")
    target_file = _sqlite_file(engine)
    target_file.parent.mkdir(parents=True, exist_ok=True)
    source, target = sqlite3.connect(copy), sqlite3.connect(target_file, timeout=15)
    try:
        source.backup(target)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"the database could not be restored: {error}") from error
    finally:
        target.close()
        source.close()


def _restore_postgresql(engine: Engine, dump: Path) -> None:
    """pg_restore in one transaction: it replaces the dump's tables whole, or changes nothing."""
    dsn, env = _libpq(engine.url)
    arguments = ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error"]
    _run_tool("pg_restore", [*arguments, f"--dbname={dsn}", str(dump)], env)


def restore_backup(path: Path, force: bool = False) -> Summary:
    """Put back the database and the attachment files of an archive. A database that holds data is
    replaced only with `force`; stop the app servers first. Restored row counts must match the manifest."""
    started = time.monotonic()
    engine = db.engine
    dialect = _dialect(engine)
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="consult-restore-") as scratch:
        manifest, files = _unpack(path, Path(scratch))
        if manifest.get("database") != dialect:
            raise BackupError(
                f"{path} is a backup of a {manifest.get('database')} database, not of {dialect}"
            )
        filled = _holds_data(engine)
        if filled and not force:
            raise BackupError(
                f"the database holds data ({', '.join(filled[:5])}{', …' if len(filled) > 5 else ''}): "
                "restoring replaces all of it; stop the app servers, then run again with --force"
            )
        attachments = _put_files_back(files, Path(current_app.config["UPLOAD_FOLDER"]))
        db.session.remove()
        engine.dispose()
        (_restore_sqlite if dialect == "sqlite" else _restore_postgresql)(
            engine, files[DATABASE_MEMBERS[dialect]]
        )
    engine.dispose()
    with engine.connect() as connection:
        counts, revision = _describe(
            lambda sql: connection.exec_driver_sql(sql).scalar(), _existing_tables(engine)
        )
    expected = manifest.get("rows", {})
    wrong = sorted(name for name in expected if counts.get(name) != expected[name])
    if wrong:
        raise BackupError(f"the restored database differs from the backup in {', '.join(wrong)}")
    return Summary(
        action="restore",
        path=str(path),
        database=dialect,
        schema_revision=revision,
        tables=len(expected),
        rows=sum(expected.values()),
        attachments=attachments,
        seconds=round(time.monotonic() - started, 2),
        missing_attachments=list(manifest.get("missing_attachments", [])),
    )
