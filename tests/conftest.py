"""A fresh app per test on a database migrated once per session (SQLite, or PostgreSQL with DATABASE_URL),
and a real SMTP server that keeps what it receives."""

import email
import email.policy
import os
import re
import shutil
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from config import TestingConfig, database_url
from consult import create_app
from consult.extensions import db


@dataclass
class SMTPInbox:
    """Messages the local SMTP server received, oldest first."""

    messages: list[EmailMessage]
    lock: threading.Lock

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.messages.append(message)
        return "250 OK"

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()

    def to(self, address: str) -> list[EmailMessage]:
        """Messages addressed to address."""
        with self.lock:
            return [m for m in self.messages if m["To"] == address]

    def last_to(self, address: str) -> EmailMessage:
        """The newest message to address; fails the test if there is none."""
        received = self.to(address)
        assert received, f"no e-mail reached {address}"
        return received[-1]


def link_in(message: EmailMessage) -> str:
    """The first link in a message's text, as a path the test client can open."""
    body = message.get_content()
    match = re.search(r"https?://[^/\s]+(/\S+)", body)
    assert match, f"no link in the e-mail:\n{body}"
    return match.group(1)


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Controller, SMTPInbox]]:
    """A real SMTP server on the loopback interface for the whole session."""
    inbox = SMTPInbox(messages=[], lock=threading.Lock())
    with socket.socket() as probe:  # aiosmtpd needs a real port number to check that it started
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, inbox
    controller.stop()


def _reset_postgresql(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database(tmp_path_factory) -> str:
    """The test database, emptied and migrated from scratch with the project's Alembic chain."""
    if os.environ.get("DATABASE_URL"):
        url = database_url()
        assert make_url(url).get_backend_name() == "postgresql", "DATABASE_URL must name PostgreSQL"
        _reset_postgresql(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()
    return url


def _empty_tables() -> None:
    tables = [t for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(t.name for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(database, smtp_server, tmp_path) -> Iterator[Flask]:
    """A fresh application for each test; every table is emptied afterwards."""
    controller, inbox = smtp_server
    inbox.clear()
    application = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=database,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=controller.port,
        UPLOAD_FOLDER=str(tmp_path / "uploads"),
    )
    yield application
    with application.app_context():
        db.session.rollback()
        _empty_tables()
        db.engine.dispose()


@pytest.fixture
def inbox(smtp_server) -> SMTPInbox:
    """What the SMTP server received during this test."""
    return smtp_server[1]


@pytest.fixture
def client(app) -> FlaskClient:
    """A browser without cookies."""
    return app.test_client()


@pytest.fixture
def ctx(app) -> Iterator[Flask]:
    """An application context, for tests of services without HTTP."""
    with app.app_context():
        yield app


@pytest.fixture
def count_queries(app):
    """Count the SQL statements the app runs inside the block: `with count_queries() as counted: …`."""
    from contextlib import contextmanager

    from tests.helpers import recorded_sql

    @contextmanager
    def counting():
        statements: list[str] = []
        with recorded_sql(app, lambda statement, _parameters: statements.append(statement)):
            yield statements

    return counting


@pytest.fixture(scope="session")
def shared_data():
    """The real UN data beside the project (../shared/data, or CONSULT_SHARED_DATA). Skipped with a reason
    on a machine without it; in CI its absence is a failure, never a skip."""
    from pathlib import Path

    path = Path(
        os.environ.get("CONSULT_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    if not path.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"CI needs the shared data at {path}")
        pytest.skip(f"the shared UN data is not on this machine ({path})")
    return path


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@contextmanager
def serving(database: str, smtp_port: int, uploads: str) -> Iterator[tuple[str, Flask]]:
    """(base URL, app) of a real HTTP server in a thread; every table is emptied when it stops."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    application = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=database,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp_port,
        UPLOAD_FOLDER=uploads,
        SERVER_NAME=f"127.0.0.1:{port}",
    )
    server = make_server("127.0.0.1", port, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}", application
    finally:
        server.shutdown()
        with application.app_context():
            db.session.rollback()
            _empty_tables()
            db.engine.dispose()


@contextmanager
def chromium():
    """Debian's Chromium, headless (never a downloaded browser); skipped where it is missing, except in CI."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's chromium (apt-get install chromium)")
        pytest.skip("Debian's chromium is not installed on this machine")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def live_server(database, smtp_server, tmp_path) -> Iterator[tuple[str, Flask]]:
    """(base URL, app) of a real HTTP server for this test."""
    controller, inbox = smtp_server
    inbox.clear()
    with serving(database, controller.port, str(tmp_path / "uploads")) as served:
        yield served


@pytest.fixture
def browser():
    """Debian's Chromium, headless."""
    with chromium() as launched:
        yield launched
