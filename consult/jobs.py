"""Background work: on an RQ queue in Redis when REDIS_URL is set (shared by every app server, run by
`flask consult worker`), inline otherwise, so that one machine needs nothing more."""

from collections.abc import Callable
from importlib import import_module
from typing import Any

from flask import current_app, has_app_context
from redis import Redis, RedisError
from rq import Queue

QUEUE_NAME = "consult"


def _function(path: str) -> Callable[..., Any]:
    module, _sep, name = path.rpartition(".")
    return getattr(import_module(module), name)


def perform(path: str, kwargs: dict[str, Any]) -> None:
    """Run a job (in the worker, or inline): the function at `path`, in an application context of its own,
    so that each job has its own database session."""
    from consult import create_app  # the worker's entry: it builds the app, so it imports the factory

    app = current_app._get_current_object() if has_app_context() else create_app()
    with app.app_context():
        _function(path)(**kwargs)


def queue(for_worker: bool = False):
    """The RQ queue, or None when no Redis is configured. A request's connection gives up on Redis soon
    (REDIS_OPTIONS; its job then runs at once: see enqueue); the worker's waits for jobs as long as it takes.
    Each is made once per app: a request that queues an e-mail does not open a new pool to Redis."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None

    connections = current_app.extensions.setdefault("consult_jobs", {})
    if (url, for_worker) not in connections:
        options = {} if for_worker else current_app.config["REDIS_OPTIONS"]
        connections[url, for_worker] = Redis.from_url(url, **options)
    return Queue(QUEUE_NAME, connection=connections[url, for_worker])


def enqueue(path: str, **kwargs: Any) -> None:
    """Run `path(**kwargs)` in the background when a queue exists, else now.

    Callers have committed what the person did: a job is never their error. If Redis does not take the job,
    it runs now; a job run now that fails is logged (as an e-mail that cannot be sent is, in consult.mail)."""
    jobs = queue()
    if jobs is not None:
        try:
            jobs.enqueue(perform, path, kwargs, retry=None, failure_ttl=7 * 24 * 3600)
            return
        except RedisError:
            current_app.logger.exception("the job queue cannot be reached: %s runs now", path)
    try:
        perform(path, kwargs)
    except Exception:  # the person's action is saved; what the job could not do is in the log
        current_app.logger.exception("the job %s failed", path)
