"""The migration chain builds exactly the schema the models describe, on SQLite and on PostgreSQL."""

import os
import warnings

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, select, text

from config import TestingConfig
from consult import create_app
from consult.comments.models import Comment, CommentState
from consult.comments.public import public_order
from consult.extensions import db


def test_migrated_database_matches_the_models(app):
    """Autogenerate finds no difference between the migrated test database and the models."""
    with app.app_context(), db.engine.connect() as connection, warnings.catch_warnings():
        if connection.dialect.name == "sqlite":
            # SQLite cannot reflect an index on an expression, so Alembic skips it there (and says so);
            # PostgreSQL compares it, and test_expression_indexes_are_built checks SQLite builds it.
            warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression-based")
            warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_expression_indexes_are_built(app):
    """The index on an expression that autogenerate cannot compare on SQLite exists, and the round's public
    list reads its comments through it without sorting them."""
    with app.app_context(), db.engine.connect() as connection:
        query = (
            select(Comment.id)
            .where(Comment.round_id == 1, Comment.state == CommentState.published)
            .order_by(*public_order())
            .limit(20)
        )
        compiled = str(query.compile(connection, compile_kwargs={"literal_binds": True}))
        explain = "EXPLAIN QUERY PLAN " if connection.dialect.name == "sqlite" else "EXPLAIN "
        plan = " ".join(str(row) for row in connection.execute(text(explain + compiled)))
    assert "ix_comments_round_state_day_public_id" in plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan


def test_every_model_table_exists_after_upgrade(app):
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
    assert set(db.metadata.tables) <= tables
    assert "alembic_version" in tables


@pytest.fixture
def scratch_database(tmp_path):
    """A second, empty database of the same kind as the test database."""
    if not os.environ.get("DATABASE_URL"):
        yield f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        return
    admin = create_engine(
        db_url := os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1),
        isolation_level="AUTOCOMMIT",
    )
    name = "consult_scratch"
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        connection.execute(text(f"CREATE DATABASE {name}"))
    yield db_url.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def test_downgrade_to_empty_and_upgrade_again(scratch_database):
    """Every revision can be undone and redone: the chain is usable for rollbacks."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=scratch_database)
    with app.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert set(db.metadata.tables) <= set(inspect(db.engine).get_table_names())
        db.engine.dispose()
