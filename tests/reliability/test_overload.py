"""A deadline rush on a real app server, pushed past what it can serve: readers, contributors and moderators
at once, more than its threads, while the database is saturated for a while (SQLite: another writer holds the
write lock past the app's busy timeout; PostgreSQL: no connection slot is left for the app). Every answer is
a page, or a refusal (429/503) that says so in the person's language; never a 500. Every receipt issued has
its comment; a refused submission is not saved, is shown back to its author, and is saved when sent again."""

import os
import sqlite3
import time
import uuid
from functools import partial

import pytest
from flask_babel import force_locale, gettext
from markupsafe import escape
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from bench import comments as bench
from bench import rush
from config import TestingConfig, database_url
from consult import create_app
from consult.comments.models import Comment
from consult.errors import ERROR_EXPLANATIONS, ERROR_TITLES, NOT_SAVED
from consult.extensions import db
from tests.reliability.serving import _driver, _serve

READERS, CONTRIBUTORS, MODERATORS = 12, 6, 2
#: Every answer the rush may get: pages, redirects, a form sent back with its errors, and refusals.
ALLOWED = {200, 302, 303, 422, *rush.REFUSED}
#: What the comment form says when it comes back refused (consult/comments/views.py).
BUSY_FORM = (
    "The site is too busy to save your comment just now. Nothing was saved: your text is kept below; send it "
    "again in a minute."
)
#: SQLite's saturation outlasts the app's busy timeout by this much, so that waiting writers give up.
HOLD_BEYOND_TIMEOUT = 4.0
#: PostgreSQL refuses the app's connections this long, once contributors are submitting (or WARM_UP passed).
REFUSING_SECONDS = 4.0
WARM_UP = 3.0
#: The rush goes on this long after the saturation, so that refused submissions are sent again.
AFTER = 3.0


@pytest.fixture
def target(tmp_path):
    """(environment, database URL, the app's PostgreSQL role or None) of a scratch database: a SQLite file,
    or with DATABASE_URL a PostgreSQL database beside the suite's, owned by a role of its own whose
    connections can be refused."""
    if not os.environ.get("DATABASE_URL"):
        yield bench.consult_env(tmp_path, ""), f"sqlite:///{tmp_path / 'consult.sqlite3'}", None
        return
    url = make_url(database_url())
    name = f"{url.database}_overload"
    server = create_engine(url, isolation_level="AUTOCOMMIT")

    def drop(connection) -> None:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'DROP ROLE IF EXISTS "{name}"'))

    with server.connect() as connection:
        drop(connection)
        connection.execute(text(f'CREATE ROLE "{name}" LOGIN'))
        connection.execute(text(f'CREATE DATABASE "{name}" OWNER "{name}"'))
    scratch = url.set(database=name, username=name, password=None).render_as_string(hide_password=False)
    yield bench.consult_env(tmp_path, scratch), scratch, name
    with server.connect() as connection:
        drop(connection)
    server.dispose()


def _hold_write_lock(path: str, seconds: float, _seen: rush.Rush) -> None:
    """Another writer (an import, a restore) holds SQLite's write lock: readers go on, writers wait."""
    writer = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        time.sleep(seconds)
        writer.execute("ROLLBACK")
    finally:
        writer.close()


def _refuse_connections(role: str, seconds: float, seen: rush.Rush) -> None:
    """Once contributors are submitting, PostgreSQL has no connection slot left for the app: its idle
    connections are closed by the server and no new one is let in (one inside a transaction finishes it)."""
    started = time.monotonic()
    while len(seen.receipts) < CONTRIBUTORS and time.monotonic() - started < WARM_UP:
        time.sleep(0.05)
    admin = create_engine(make_url(database_url()), isolation_level="AUTOCOMMIT")
    idle = "SELECT pid FROM pg_stat_activity WHERE usename = :role AND state = 'idle'"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'ALTER ROLE "{role}" CONNECTION LIMIT 0'))
            connection.execute(text(f"SELECT pg_terminate_backend(pid) FROM ({idle}) AS app"), {"role": role})  # noqa: S608
            time.sleep(seconds)
            connection.execute(text(f'ALTER ROLE "{role}" CONNECTION LIMIT -1'))
    finally:
        admin.dispose()


def _words(app, language: str) -> dict[str, str]:
    """What refusals say in a language, as their HTML writes it."""
    with app.test_request_context(), force_locale(language):
        return {
            "busy": str(escape(ERROR_TITLES[503])),
            "try_later": str(escape(ERROR_EXPLANATIONS[503])),
            "not_saved": str(escape(NOT_SAVED)),
            "too_many": str(escape(ERROR_TITLES[429])),
            "busy_form": str(escape(gettext(BUSY_FORM))),
        }


def _check_refusal(app, refusal: rush.Refusal) -> None:
    """A refusal is the site's page in the person's language, saying what happened to what they sent."""
    page, words = refusal.page, _words(app, refusal.language)
    where = f"{refusal.kind} {refusal.method} {refusal.path} → {refusal.status}"
    assert f'<html lang="{refusal.language}"' in page, where
    if refusal.status == 429:
        assert words["too_many"] in page, where
        return
    assert refusal.retry_after and int(refusal.retry_after) > 0, f"{where}: no Retry-After"
    if refusal.method == "GET":
        assert words["busy"] in page and words["try_later"] in page, where
    elif refusal.kind == "contributors":
        assert str(escape(refusal.sent["body"])) in page, f"{where}: the text is not shown back"
        assert words["busy_form"] in page or words["not_saved"] in page, where
    else:
        assert words["busy"] in page and words["not_saved"] in page, where


def test_a_deadline_rush_past_saturation_gets_pages_or_refusals_and_loses_nothing(target, tmp_path):
    env, url, role = target
    env |= {"REDIS_URL": "", "SECRET_KEY": uuid.uuid4().hex}  # receipts e-mailed inline, after the commit
    bench.prepare(env, CONTRIBUTORS, 40)
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=_driver(url))
    with app.app_context():
        recommendation_ids = rush.widen(40)
        if role is None:
            busy_timeout = db.session.execute(text("PRAGMA busy_timeout")).scalar() / 1000
        db.session.remove()
        db.engine.dispose()
    if role is None:
        seconds = busy_timeout + HOLD_BEYOND_TIMEOUT
        saturate = partial(_hold_write_lock, make_url(url).database, seconds)
    else:
        seconds = WARM_UP + REFUSING_SECONDS
        saturate = partial(_refuse_connections, role, REFUSING_SECONDS)
    process, port = _serve(env, tmp_path / "gunicorn.log")
    try:
        seen = rush.run(
            port, seconds + AFTER, recommendation_ids, READERS, CONTRIBUTORS, MODERATORS, meanwhile=saturate
        )
    finally:
        process.terminate()
        process.wait(timeout=20)

    statuses = {kind: dict(tally.statuses) for kind, tally in seen.tallies.items()}
    log = (tmp_path / "gunicorn.log").read_text()
    log = log[max(log.rfind("Traceback"), 0) :][-3000:]  # the last error logged (e-mails are printed too)
    for kind, tally in seen.tallies.items():
        assert set(tally.statuses) <= ALLOWED, f"{kind} got {statuses[kind]}\n{log}"
    assert seen.server_errors == 0
    assert seen.tallies["readers"].statuses[200] > 0, statuses
    refused = [s for s in seen.submissions if 503 in s.statuses]
    assert refused, f"the saturation refused no submission: {statuses}"
    assert any(s.receipt for s in refused), (
        "a refused submission, sent again once the database is free, is saved"
    )
    assert any(r.kind == "contributors" and r.method == "POST" for r in seen.refusals), statuses
    for refusal in seen.refusals:
        _check_refusal(app, refusal)

    engine = create_engine(_driver(url))
    with engine.connect() as connection:
        stored = dict(connection.execute(select(Comment.idempotency_key, Comment.public_id)).all())
    engine.dispose()
    lost = {s.key: s.receipt for s in seen.submissions if s.receipt and stored.get(s.key) != s.receipt}
    assert not lost, f"receipts issued for comments not in the database: {lost}"
    unanswered = [s.key for s in refused if s.receipt is None and not s.cut]
    assert not [key for key in unanswered if key in stored], "a refused submission was saved all the same"
