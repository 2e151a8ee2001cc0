"""Browser journeys: the app served on a loopback port in a thread, driven by Debian's headless Chromium
through Playwright (never a downloaded browser)."""

import os
import shutil
import socket
import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from config import TestingConfig
from consult import create_app
from consult.extensions import db
from tests.conftest import _empty_tables

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


@pytest.fixture
def live_server(database, smtp_server, tmp_path) -> Iterator[tuple[str, object]]:
    """(base URL, app) of a real HTTP server for this test."""
    controller, inbox = smtp_server
    inbox.clear()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=database,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=controller.port,
        UPLOAD_FOLDER=str(tmp_path / "uploads"),
        SERVER_NAME=f"127.0.0.1:{port}",
    )
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}", app
    server.shutdown()
    with app.app_context():
        db.session.rollback()
        _empty_tables()
        db.engine.dispose()


@pytest.fixture
def browser():
    """Debian's Chromium, headless."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's chromium (apt-get install chromium)")
        pytest.skip("Debian's chromium is not installed on this machine")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
