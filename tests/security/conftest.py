"""The poisoned world that the XSS and injection suites attack (test_unicode plants more in its own), and one
application per module for the suites that build their own world once."""

from collections.abc import Iterator

import pytest
from flask import Flask

from config import TestingConfig
from consult import create_app
from consult.extensions import db
from tests.conftest import _empty_tables
from tests.security.world import AttackWorld, attack_site


@pytest.fixture(scope="module")
def site(database, smtp_server, tmp_path_factory) -> Iterator[tuple[Flask, AttackWorld]]:
    """An app on the test database holding the poisoned world, for the whole module."""
    with attack_site(database, smtp_server, tmp_path_factory) as built:
        yield built


@pytest.fixture(scope="module")
def module_app(database, smtp_server, tmp_path_factory) -> Iterator[Flask]:
    """One application for the module's tests, whose world is built once; every table is emptied after."""
    controller, _inbox = smtp_server
    application = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=database,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=controller.port,
        UPLOAD_FOLDER=str(tmp_path_factory.mktemp("uploads")),
    )
    yield application
    with application.app_context():
        db.session.rollback()
        _empty_tables()
        db.engine.dispose()
