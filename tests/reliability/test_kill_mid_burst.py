"""SIGKILL the app server (master and workers) in the middle of a burst of real submissions, restart it on
the same database: every receipt a person was given has its comment, whole, and nothing is half-written."""

import hashlib
import http.client
import io
import os
import re
import signal
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from bench import comments as bench
from config import database_url
from consult.audit import AuditEvent
from consult.comments.models import Attachment, Comment, CommentRevision
from tests.reliability.serving import _driver, _serve

PEOPLE = 8
RECEIPT = re.compile(r"R-\d{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}")
#: The burst runs until this many receipts were issued (or BURST_SECONDS passed), then the server dies.
RECEIPTS_BEFORE_KILL = 40
BURST_SECONDS = 4.0


@dataclass
class Issued:
    """What a person holds after the server answered: the comment's page, and the number once shown."""

    body: str
    with_file: bool
    receipt: str | None = None


@pytest.fixture
def target(tmp_path):
    """(environment, database URL) of a scratch database: a SQLite file, or a PostgreSQL database beside the
    suite's when it runs with DATABASE_URL."""
    if not os.environ.get("DATABASE_URL"):
        yield bench.consult_env(tmp_path, ""), f"sqlite:///{tmp_path / 'consult.sqlite3'}"
        return
    url = make_url(database_url())
    name = f"{url.database}_kill"
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    scratch = url.set(database=name).render_as_string(hide_password=False)
    yield bench.consult_env(tmp_path, scratch), scratch
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


def _prepare(url: str) -> None:
    """Migrate the scratch database and give it an open post-moderated round and PEOPLE accounts (in this
    process: starting the app twice more in subprocesses would cost most of the test's time)."""
    from flask_migrate import upgrade

    from config import TestingConfig
    from consult import create_app
    from consult.accounts.models import User
    from consult.accounts.passwords import hash_password
    from consult.extensions import db
    from consult.rounds.models import ModerationMode, Round, RoundState, Stage

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=_driver(url))
    with app.app_context():
        upgrade()
        now = datetime.now(UTC)
        db.session.add(
            Round(
                slug="bench",
                stage=Stage.mid_term,
                cycle=4,
                title={"en": "Burst"},
                state=RoundState.open,
                opens_at=now - timedelta(days=1),
                closes_at=now + timedelta(days=1),
                moderation_mode=ModerationMode.post,
            )
        )
        digest = hash_password(bench.PASSWORD)
        for n in range(PEOPLE):
            db.session.add(
                User(
                    email=f"bench{n}@example.org",
                    display_name=f"Person {n}",
                    password_hash=digest,
                    email_verified_at=now,
                )
            )
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def _png() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 120, 40)).save(output, "PNG")
    return output.getvalue()


def _burst(port: int, issued: dict[str, Issued], sent: set[str], stop: threading.Event) -> dict:
    """PEOPLE signed-in people submitting the real form until the connection dies; every receipt kept."""
    lock = threading.Lock()
    outcome = {"cut": 0, "unexpected": []}
    picture = _png()
    browsers = [bench.Browser(port) for _ in range(PEOPLE)]
    ready = threading.Barrier(PEOPLE + 1)

    def person(n: int, browser: bench.Browser) -> None:
        try:
            browser.sign_in(f"bench{n}@example.org")
            token = browser.token("/comments/new/bench?target=round")
        finally:
            ready.wait()
        for count in range(10_000):
            key = uuid.uuid4().hex
            body = f"Burst comment {n}-{count} ({key}): the inspections of places of detention did not start."
            form = {"csrf_token": token, "target": "round", "idempotency_key": key, "language": "en"}
            form |= {"body": body, "publication": "anonymous", "organisation": "0", "action": "submit"}
            with_file = count % 3 == 0
            with lock:
                sent.add(body)
            try:
                files = {"attachments": ("photo.png", picture)} if with_file else None
                response = browser.request("POST", "/comments/new/bench", form, files)
                location = response.getheader("Location") or ""
                if response.status not in (302, 303) or "/comments/" not in location:
                    with lock:
                        outcome["unexpected"].append(response.status)
                    continue
                public_id = location.rstrip("/").rsplit("/", 1)[-1]
                with lock:
                    issued[public_id] = Issued(body, with_file)
                page = browser.request("GET", f"/comments/{public_id}")
                shown = RECEIPT.search(page.read_body.decode())
                if page.status == 200 and shown:
                    with lock:
                        issued[public_id].receipt = shown.group(0)
            except (OSError, http.client.HTTPException):
                with lock:
                    outcome["cut"] += 1
                browser.connection.close()
                return

    threads = [threading.Thread(target=person, args=pair) for pair in enumerate(browsers)]
    for thread in threads:
        thread.start()
    ready.wait(timeout=120)
    outcome["threads"], outcome["browsers"] = threads, browsers
    return outcome


def _stored(url: str) -> dict:
    """The comments, their revisions, attachments and submit events, read straight from the database."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    events = AuditEvent.__table__
    events = AuditEvent.__table__
    with engine.connect() as connection:
        found = {
            "comments": {row.id: row for row in connection.execute(select(Comment.__table__))},
            "revisions": list(connection.execute(select(CommentRevision.__table__))),
            "attachments": list(connection.execute(select(Attachment.__table__))),
            "submitted": set(
                connection.scalars(select(events.c.subject_id).where(events.c.action == "comment.submit"))
            ),
        }
        if engine.dialect.name == "sqlite":
            found["integrity"] = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
            found["dangling"] = list(connection.exec_driver_sql("PRAGMA foreign_key_check"))
    engine.dispose()
    return found


def _check_nothing_half_written(found: dict, sent: set[str], uploads: Path) -> None:
    """Every stored comment is a whole submission: receipt, time, state, its first revision, its audit event,
    and every attachment row has its file, byte for byte."""
    revisions: dict[int, list] = {}
    for revision in found["revisions"]:
        revisions.setdefault(revision.comment_id, []).append(revision)
    for comment in found["comments"].values():
        assert comment.state in ("submitted", "published"), (comment.id, comment.state)
        assert comment.receipt_number and RECEIPT.fullmatch(comment.receipt_number), comment.id
        assert comment.submitted_at is not None and comment.published_at is not None, comment.id
        assert comment.body in sent, f"comment {comment.id} holds a text nobody sent whole"
        assert [(r.number, r.body) for r in revisions.get(comment.id, [])] == [(1, comment.body)], comment.id
        assert str(comment.id) in found["submitted"], f"comment {comment.id} has no audit event"
    for attachment in found["attachments"]:
        assert attachment.comment_id in found["comments"]
        data = (uploads / attachment.storage_name).read_bytes()
        assert len(data) == attachment.size_bytes and hashlib.sha256(data).hexdigest() == attachment.sha256
    if "integrity" in found:
        assert found["integrity"] == "ok" and found["dangling"] == []


def test_every_issued_receipt_survives_a_sigkill_mid_burst(target, tmp_path):
    env, url = target
    # Receipts are e-mailed inline, after the commit, as on one machine; one secret key for every worker.
    env |= {"REDIS_URL": "", "SECRET_KEY": uuid.uuid4().hex}
    _prepare(url)
    log = tmp_path / "gunicorn.log"
    process, port = _serve(env, log)
    issued: dict[str, Issued] = {}
    sent: set[str] = set()
    stop = threading.Event()
    try:
        outcome = _burst(port, issued, sent, stop)
        deadline = time.monotonic() + BURST_SECONDS
        while len(issued) < RECEIPTS_BEFORE_KILL and time.monotonic() < deadline:
            time.sleep(0.02)
        os.killpg(process.pid, signal.SIGKILL)
        stop.set()
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    for thread in outcome.pop("threads"):
        thread.join(timeout=30)
    assert outcome["unexpected"] == [], f"answers other than a receipt: {outcome['unexpected']}"
    assert len(issued) >= 10, f"only {len(issued)} receipts before the kill: {log.read_text()[-2000:]}"
    assert outcome["cut"] >= 1, "the kill must cut requests in flight, not fall between bursts"
    killed_with = len(issued)

    process, port = _serve(env, log)
    try:
        # Someone who was given a receipt before the kill (under load, not every person was).
        own, held = next(iter(issued.items()))
        writer = int(re.match(r"Burst comment (\d+)-", held.body).group(1))
        person = bench.Browser(port)
        person.cookie = outcome["browsers"][writer].cookie  # signed sessions outlive the server
        assert person.request("GET", "/rounds/bench").status == 200
        page = person.request("GET", f"/comments/{own}")
        assert page.status == 200 and RECEIPT.search(page.read_body.decode()), "the receipt is shown again"
        token = person.token("/comments/new/bench?target=round")
        form = {"csrf_token": token, "target": "round", "idempotency_key": uuid.uuid4().hex, "language": "en"}
        form |= {
            "body": "After the restart.",
            "publication": "named",
            "organisation": "0",
            "action": "submit",
        }
        after = person.request("POST", "/comments/new/bench", form)
        assert after.status == 302 and "/comments/" in after.getheader("Location"), "the app serves again"
        sent.add("After the restart.")
    finally:
        person.connection.close()
        process.terminate()
        process.wait(timeout=20)

    found = _stored(url)
    by_public_id = {comment.public_id: comment for comment in found["comments"].values()}
    for public_id, holding in issued.items():
        comment = by_public_id.get(public_id)
        assert comment is not None, f"receipt for comment {public_id} was issued but the comment is lost"
        assert comment.body == holding.body and comment.state == "published"
        assert holding.receipt in (None, comment.receipt_number)
        files = [a for a in found["attachments"] if a.comment_id == comment.id]
        assert len(files) == (1 if holding.with_file else 0), public_id
    assert sum(1 for h in issued.values() if h.receipt) >= killed_with - PEOPLE, "receipt pages were shown"
    assert len(found["comments"]) >= killed_with + 1
    _check_nothing_half_written(found, sent, tmp_path / "uploads")
