"""Real app servers in their own processes for the reliability tests, and the browser-like driver that
feeds them."""

import os
from pathlib import Path

import pytest

from bench.load import start_gunicorn


def _serve(env: dict, log: Path):
    """gunicorn on the prepared database; a skip with a reason where it cannot start outside CI."""
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("CI needs gunicorn")
        pytest.skip("gunicorn is not installed in this environment")
    with log.open("ab") as output:
        try:
            return start_gunicorn("wsgi:app", env, output=output)
        except RuntimeError:
            if os.environ.get("CI"):
                raise
            pytest.skip(f"gunicorn did not start here: {log.read_text()[-500:]}")


def _driver(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)
