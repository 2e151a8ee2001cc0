"""Background work: on an RQ queue in Redis when REDIS_URL is set (shared by every app server, run by
`flask consult worker`), inline otherwise, so that one machine needs nothing more."""

from collections.abc import Callable
from importlib import import_module
from typing import Any

from flask import Flask, current_app, has_app_context

QUEUE_NAME = "consult"


def _function(path: str) -> Callable[..., Any]:
    module, _sep, name = path.rpartition(".")
    return getattr(import_module(module), name)


def perform(path: str, kwargs: dict[str, Any]) -> None:
    """Run a job (in the worker, or inline): the function at `path`, in an application context of its own,
    so that each job has its own database session."""
    from consult import create_app

    app = current_app._get_current_object() if has_app_context() else create_app()
    with app.app_context():
        _function(path)(**kwargs)


def queue():
    """The RQ queue, or None when no Redis is configured."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    from redis import Redis
    from rq import Queue

    return Queue(QUEUE_NAME, connection=Redis.from_url(url))


def enqueue(path: str, **kwargs: Any) -> None:
    """Run `path(**kwargs)` in the background when a queue exists, else now."""
    jobs = queue()
    if jobs is None:
        perform(path, kwargs)
    else:
        jobs.enqueue(perform, path, kwargs, retry=None, failure_ttl=7 * 24 * 3600)


def init_app(app: Flask) -> None:
    """Nothing to bind; here so that create_app lists the job queue among the parts."""
    app.extensions["consult_jobs"] = QUEUE_NAME
