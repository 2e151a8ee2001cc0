"""The declarative base with a constraint naming convention, shared column types and helpers."""

import enum
import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    MetaData,
    String,
    TypeDecorator,
    event,
    func,
    inspect,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry
from sqlalchemy.sql.functions import FunctionElement

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def opaque_id() -> str:
    """A random public identifier (22 URL-safe characters): unlike a row id it tells nothing of when a row
    was made or what was made just before it. It never begins with "-", which exports would have to mark as
    text (a spreadsheet reads a leading minus as the start of a formula)."""
    while (value := secrets.token_urlsafe(16)).startswith("-"):
        pass
    return value


#: The largest id a row can have (a PostgreSQL integer).
MAX_ID = 2**31 - 1


def as_id(text: str | None) -> int | None:
    """An id or a small whole number from text a link or a form sent: decimal digits only (never a "²",
    which str.isdigit accepts and int refuses) and no larger than an id can be; None otherwise."""
    if not (text and text.isdecimal() and len(text) <= len(str(MAX_ID))):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass a timezone-aware one")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class LabelledEnum(enum.StrEnum):
    """An enum whose members carry a translated title: `draft = "draft", _l("Draft")`."""

    label: Any

    def __new__(cls, value: str, label: Any = None) -> "LabelledEnum":
        member = str.__new__(cls, value)  # StrEnum members are their value
        member._value_ = value
        member.label = label if label is not None else value
        return member


def enum_column(enum_class: type[enum.Enum], **kwargs: Any) -> Any:
    """A column holding an enum's values as text, with a CHECK constraint on the database."""
    return mapped_column(
        Enum(
            enum_class,
            name=enum_class.__name__.lower(),
            native_enum=False,
            create_constraint=True,
            length=max(len(m.value) for m in enum_class),
            values_callable=lambda members: [m.value for m in members],
            validate_strings=True,
        ),
        **kwargs,
    )


class Base(DeclarativeBase):
    """The base of every model."""

    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        #: dict[str, str] is text in several languages, keyed by language code: {"en": "...", "fr": "..."}.
        type_annotation_map={datetime: UTCDateTime, dict[str, str]: JSON, dict[str, Any]: JSON},
    )


class TimestampMixin:
    """Creation and last-change times."""

    created_at: Mapped[datetime] = mapped_column(default=utcnow, server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow, server_default=func.now())


def non_empty(column: str) -> CheckConstraint:
    """A CHECK that a text column holds something other than spaces."""
    return CheckConstraint(f"length(trim({column})) > 0", name=f"{column}_not_empty")


class casefold(FunctionElement):
    """Unicode case folding for searches: PostgreSQL's lower() folds every script, SQLite's only ASCII."""

    type = String()
    inherit_cache = True
    name = "casefold"


@compiles(casefold)
def _casefold_default(element: casefold, compiler: Any, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(casefold, "sqlite")
def _casefold_sqlite(element: casefold, compiler: Any, **kw: Any) -> str:
    return f"consult_casefold({compiler.process(element.clauses, **kw)})"


class utc_day(FunctionElement):
    """The UTC day of a timestamp, as a date: what public lists sort by before a random public id, so that
    their order tells nothing finer than the day."""

    type = Date()
    inherit_cache = True
    name = "utc_day"


@compiles(utc_day)
def _utc_day_default(element: utc_day, compiler: Any, **kw: Any) -> str:
    return f"CAST(timezone('UTC', {compiler.process(element.clauses, **kw)}) AS DATE)"


@compiles(utc_day, "sqlite")
def _utc_day_sqlite(element: utc_day, compiler: Any, **kw: Any) -> str:
    # Timestamps are stored as UTC text, 'YYYY-MM-DD HH:MM:SS…': the day is the first ten characters.
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 10)"


def _python_casefold(value: str | None) -> str | None:
    return value.casefold() if isinstance(value, str) else value


#: How long a statement waits for another's lock before the request is answered "busy, send again" (503,
#: consult/errors.py) instead of hanging: SQLite's busy timeout, and PostgreSQL's lock_timeout.
LOCK_WAIT_MS = 15_000


def _configure_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
    """WAL for concurrent readers, enforced foreign keys, a busy timeout, full sync, and case folding."""
    dbapi_connection.create_function("consult_casefold", 1, _python_casefold, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={LOCK_WAIT_MS}")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def _configure_postgresql(dbapi_connection: Any, connection_record: Any) -> None:
    """A lock held by another transaction is waited for as long as on SQLite, then answered "busy"."""
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = {LOCK_WAIT_MS}")
    dbapi_connection.commit()  # a session setting, kept for the connection's life


def init_app(app: Any, db: Any) -> None:
    """Apply the database's settings to every connection of db (the app's Flask-SQLAlchemy), and make sure
    instance/ exists for SQLite's file."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            if engine.url.database and engine.url.database != ":memory:":
                Path(engine.url.database).parent.mkdir(parents=True, exist_ok=True)
            event.listen(engine, "connect", _configure_sqlite)
        elif engine.dialect.name == "postgresql":
            event.listen(engine, "connect", _configure_postgresql)


def values_before_flush(instance: Any, names: tuple[str, ...]) -> list[Any]:
    """The values the attributes had when last loaded or flushed, before the flush under way changed them."""
    attributes = inspect(instance).attrs
    found = []
    for name in names:
        history = attributes[name].history
        earlier = history.deleted or history.unchanged
        found.append(earlier[0] if earlier else None)
    return found
