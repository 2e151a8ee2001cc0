"""The database keeps the data consistent by itself: SQLite settings, constraints, timestamps."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError, StatementError

from config import TestingConfig
from consult import create_app
from consult.extensions import db
from consult.organisations.models import Organisation, OrganisationType
from consult.rounds.models import Round, Stage


def test_sqlite_connections_use_wal_foreign_keys_busy_timeout_and_full_sync(tmp_path):
    """SQLite is the embedded default: whichever database this run uses, an app on a SQLite file sets these
    on every connection."""
    embedded = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'embedded.db'}")
    with embedded.app_context():
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
            assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        db.engine.dispose()


def test_a_lock_held_too_long_is_answered_busy_on_either_database(ctx):
    """A request waits LOCK_WAIT_MS for another transaction's lock, then fails with an error that the
    error handlers answer 503 (send again), not 500. The wait is shortened here so the test is quick."""
    from consult.database import LOCK_WAIT_MS
    from consult.errors import is_overload

    sqlite = db.engine.dialect.name == "sqlite"
    with db.engine.connect() as connection:
        setting = "PRAGMA busy_timeout" if sqlite else "SHOW lock_timeout"
        assert str(connection.execute(text(setting)).scalar()) == ("15000" if sqlite else "15s")
    assert LOCK_WAIT_MS == 15_000
    with db.engine.connect() as holder, db.engine.connect() as waiter:
        if sqlite:
            holder.exec_driver_sql("BEGIN IMMEDIATE")
            waiter.exec_driver_sql("PRAGMA busy_timeout=100")
            blocked = "INSERT INTO organisations (name, type, state) VALUES ('x', 'ngo', 'pending')"
        else:
            holder.execute(text("LOCK TABLE organisations IN ACCESS EXCLUSIVE MODE"))
            waiter.execute(text("SET lock_timeout = 100"))
            blocked = "SELECT count(*) FROM organisations"
        with pytest.raises(OperationalError) as raised:
            waiter.execute(text(blocked))
        holder.rollback()
    assert is_overload(raised.value)


def test_a_state_outside_the_enum_is_refused_by_the_database(ctx):
    db.session.add(Organisation(name="Centre", type=OrganisationType.ngo))
    db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(text("UPDATE organisations SET state = 'bogus'"))
        db.session.flush()
    db.session.rollback()


def test_foreign_keys_are_enforced(ctx):
    with pytest.raises(IntegrityError):
        db.session.execute(
            text(
                "INSERT INTO memberships (user_id, organisation_id, state, created_at, updated_at) "
                "VALUES (999, 999, 'pending', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        db.session.flush()
    db.session.rollback()


def test_a_round_cannot_close_before_it_opens(ctx):
    now = datetime.now(UTC)
    db.session.add(
        Round(
            slug="backwards",
            stage=Stage.mid_term,
            cycle=3,
            title={"en": "Backwards"},
            opens_at=now,
            closes_at=now - timedelta(days=1),
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_timestamps_come_back_in_utc_and_naive_ones_are_refused(ctx):
    opens = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    round_ = Round(
        slug="tz",
        stage=Stage.pre_review,
        cycle=4,
        title={"en": "T"},
        opens_at=opens,
        closes_at=opens + timedelta(days=30),
    )
    db.session.add(round_)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Round, round_.id).opens_at == opens
    assert db.session.get(Round, round_.id).opens_at.tzinfo is not None
    round_.closes_at = datetime(2026, 5, 1)
    with pytest.raises(StatementError):
        db.session.flush()
    db.session.rollback()
