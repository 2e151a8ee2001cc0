"""The deployment the README describes, built once per module: two gunicorn servers, each with an instance
folder of its own as on two machines, sharing one PostgreSQL database, one Redis (the job queue and the
rate-limit counters), one upload folder and one SECRET_KEY, with a `flask consult worker` beside each."""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from flask import Flask
from redis import Redis
from rq import Worker
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import OperationalError

from bench.load import ROOT, start_gunicorn
from config import TestingConfig, database_url
from consult import create_app
from consult.extensions import db
from tests.helpers import require_redis

#: Redis database 13 holds this module's queue and counters; it is emptied before and after.
REDIS_URL = "redis://127.0.0.1:6379/13"
#: The shipped default, written out so that the test counts against a known limit.
SIGN_IN_LIMIT = "10 per minute;50 per hour"


def _unavailable(reason: str) -> None:
    """Skip here with a reason; in CI a missing service fails the test instead."""
    if os.environ.get("CI"):
        pytest.fail(f"CI needs {reason}")
    pytest.skip(f"{reason} is not available on this machine (CI always runs this test)")


def _postgresql_server() -> URL:
    """The PostgreSQL server of the suite's DATABASE_URL, else the local one: this module runs on PostgreSQL
    even when the rest of the suite runs on SQLite, as several app servers need."""
    if os.environ.get("DATABASE_URL"):
        url = make_url(database_url())
        if url.get_backend_name() == "postgresql":
            return url.set(database="postgres")
    return make_url("postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def flask_command(env: dict, *args: str, output=subprocess.DEVNULL) -> subprocess.Popen:
    """`flask --app wsgi …` on one machine (its environment), in a process group of its own."""
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        start_new_session=True,
        stdout=output,
        stderr=output,
    )


@dataclass
class Workers:
    """The `flask consult worker` processes, one per machine; a test may stop them and start them again."""

    envs: list[dict]
    redis: Redis
    log: Path
    processes: list[subprocess.Popen] = field(default_factory=list)

    def start(self) -> None:
        """Start them, and return once each listens on the queue (loading the app takes them a while)."""
        with self.log.open("ab") as output:
            self.processes = [flask_command(env, "consult", "worker", output=output) for env in self.envs]
        deadline = time.monotonic() + 90
        while Worker.count(connection=self.redis) < len(self.processes):
            assert all(process.poll() is None for process in self.processes), self.log.read_text()[-2000:]
            assert time.monotonic() < deadline, "the workers did not start listening"
            time.sleep(0.1)

    def stop(self) -> None:
        """A warm shutdown: each worker finishes the job in hand, then exits."""
        _stop(self.processes)
        self.processes = []


@dataclass
class Deployment:
    """What the tests reach: the two servers' ports, the shared Redis, the workers, and an app in this
    process on the same database for making accounts."""

    ports: dict[str, int]
    envs: dict[str, dict]
    redis: Redis
    workers: Workers
    app: Flask
    logs: Path

    def log_tail(self) -> str:
        """The end of the servers' and workers' logs, for a failure's message."""
        return "\n".join(path.read_text(errors="replace")[-1500:] for path in sorted(self.logs.glob("*.log")))


def _stop(processes: list[subprocess.Popen]) -> None:
    """Stop process groups started here, all at once: politely, then for good."""
    running = [process for process in processes if process.poll() is None]
    for process in running:
        os.killpg(process.pid, signal.SIGTERM)
    for process in running:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.fixture(scope="module")
def postgresql() -> Iterator[URL]:
    """A fresh PostgreSQL database for this module (created, and dropped at the end)."""
    server_url = _postgresql_server()
    server = create_engine(server_url, isolation_level="AUTOCOMMIT")
    name = f"consult_multiserver_{os.getpid()}"
    try:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        server.dispose()
        _unavailable(f"PostgreSQL at {server_url.host}:{server_url.port} ({error.orig})")
    yield server_url.set(database=name)
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


@pytest.fixture(scope="module")
def deployment(postgresql, smtp_server, tmp_path_factory) -> Iterator[Deployment]:
    """Migrate once, start server A and server B and a worker beside each; stop everything afterwards."""
    require_redis()
    redis = Redis.from_url(REDIS_URL)
    redis.flushdb()
    controller, _inbox = smtp_server
    root = tmp_path_factory.mktemp("multiserver")
    # Production, as a real deployment runs: SECRET_KEY must be given (so both servers sign with the same key,
    # never one each from their instance folders). Its cookies are Secure, which a client speaking plain HTTP
    # to the servers never sends back: here the test stands where the TLS proxy would, so Secure is off.
    shared = {
        "CONSULT_ENV": "production",
        "SESSION_COOKIE_SECURE": "0",
        "SECRET_KEY": uuid.uuid4().hex,
        "DATABASE_URL": postgresql.set(drivername="postgresql").render_as_string(hide_password=False),
        "REDIS_URL": REDIS_URL,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_ENABLED": "1",
        "RATELIMIT_SIGN_IN": SIGN_IN_LIMIT,
        "PROXY_COUNT": "1",  # the test plays the proxy where it says so (X-Forwarded-For)
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(controller.port),
        "UPLOAD_FOLDER": str(root / "shared-uploads"),
    }
    envs = {name: {**shared, "CONSULT_INSTANCE": str(root / f"instance-{name}")} for name in ("A", "B")}
    with (root / "migrate.log").open("ab") as output:  # once, from one machine, before the servers start
        assert flask_command(envs["A"], "db", "upgrade", output=output).wait(timeout=120) == 0
    servers, ports = [], {}
    workers = Workers(envs=list(envs.values()), redis=redis, log=root / "workers.log")
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=postgresql.render_as_string(hide_password=False))
    try:
        for name, env in envs.items():
            with (root / f"server-{name}.log").open("ab") as output:
                process, ports[name] = start_gunicorn("wsgi:app", env, output=output)
            servers.append(process)
        workers.start()
        yield Deployment(ports=ports, envs=envs, redis=redis, workers=workers, app=app, logs=root)
    finally:
        workers.stop()
        _stop(servers)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        redis.flushdb()
        redis.close()
