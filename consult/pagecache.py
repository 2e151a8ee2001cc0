"""Public pages kept rendered for readers who are not signed in.

In a consultation's last hours most requests are people reading the round and its recommendations without
signing in. Every such reader sees the same page in their language, so a worker keeps what it rendered and
serves it again while nothing public has changed:

- Only views marked with `@for_readers`, only GET, only for a reader with no account in the session and no
  message waiting (`flash`). Signed-in people always get a fresh page.
- The key is the host, the language and the path with its query.
- Any committed write that a public page could show bumps a *stamp* shared by every worker and every app
  server (Redis when REDIS_URL is set, else a file in the instance folder): a page kept under an older stamp
  is not served again. A moderator hiding a comment therefore takes it off every kept page at once.
- A kept page also expires after PAGE_CACHE_SECONDS, and at the next moment a round opens or closes by the
  clock, so that what the clock changes is never shown late.
- If Redis stops answering, pages are rendered for every reader (nothing is served or kept without a
  stamp that can be read) and a write that cannot bump the stamp empties this worker's pages; another
  server's kept pages are then at most PAGE_CACHE_SECONDS late.
- Public pages carry no form token for readers (their language switcher is a GET form), so a kept page
  belongs to no one; a render that put anything in the session is personal and is not kept.
"""

import os
import tempfile
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import chain
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, g, has_app_context, request, session
from redis import Redis, RedisError
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from consult import database
from consult.i18n import reader_locale

#: Set on a view function by @for_readers.
MARK_ATTRIBUTE = "_kept_for_readers"
#: Response headers that belong to one reader and are never kept.
PERSONAL_HEADERS = frozenset({"Set-Cookie", "Content-Length", "Vary"})
#: The session key under which Flask keeps messages waiting for the next page.
FLASHES = "_flashes"


def for_readers(view: Callable) -> Callable:
    """Mark a public view whose page is the same for every reader who is not signed in."""
    setattr(view, MARK_ATTRIBUTE, True)
    return view


@dataclass(frozen=True, slots=True)
class KeptPage:
    stamp: Any
    until: float  # time.monotonic() after which the page is rendered again
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def response(self) -> Response:
        return Response(self.body, status=self.status, headers=list(self.headers))


class FileStamp:
    """The stamp as a file's identity: replacing the file changes its inode and time, which one stat reads."""

    def __init__(self, path: Path):
        self.path = path

    def read(self) -> Any:
        try:
            found = os.stat(self.path)
        except FileNotFoundError:
            return None
        return found.st_ino, found.st_mtime_ns

    def bump(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, draft = tempfile.mkstemp(dir=self.path.parent, prefix=".stamp-")
        os.write(handle, str(time.time_ns()).encode())
        os.close(handle)
        os.replace(draft, self.path)
        return True


#: What a stamp reads when it cannot be read: no page is served or kept under it.
UNREADABLE = object()


class RedisStamp:
    """The stamp as a counter in Redis, shared by every app server. Redis not answering (REDIS_OPTIONS) is
    logged, never a reader's or a writer's error: see the module's docstring."""

    KEY = "consult:pages:stamp"

    def __init__(self, url: str, options: dict):
        self.redis = Redis.from_url(url, **options)

    def read(self) -> Any:
        try:
            return self.redis.get(self.KEY)
        except RedisError:
            current_app.logger.warning("the page stamp cannot be read from Redis: pages are rendered")
            return UNREADABLE

    def bump(self) -> bool:
        try:
            self.redis.incr(self.KEY)
        except RedisError:
            current_app.logger.exception("the page stamp cannot be renewed in Redis")
            return False
        return True


class PageCache:
    """One worker's kept pages, least recently used first out."""

    def __init__(self, app: Flask, next_clock_change: Callable[[], datetime | None]):
        self.next_clock_change = next_clock_change
        self.capacity = app.config["PAGE_CACHE_ENTRIES"]
        self.largest = app.config["PAGE_CACHE_LARGEST"]
        url = app.config.get("REDIS_URL")
        self.stamp = (
            RedisStamp(url, app.config["REDIS_OPTIONS"])
            if url
            else FileStamp(Path(app.instance_path) / "pages-stamp")
        )
        self.pages: OrderedDict[tuple, KeptPage] = OrderedDict()

    def find(self, key: tuple, stamp: Any) -> KeptPage | None:
        page = self.pages.get(key)
        if page is None:
            return None
        if page.stamp != stamp or page.until <= time.monotonic():
            del self.pages[key]
            return None
        self.pages.move_to_end(key)
        return page

    def renew(self) -> None:
        """After a public write: every server's kept pages go stale. If the stamp cannot be renewed, this
        worker at least forgets its own."""
        if not self.stamp.bump():
            self.pages.clear()

    def keep(self, key: tuple, page: KeptPage) -> None:
        self.pages[key] = page
        self.pages.move_to_end(key)
        while len(self.pages) > self.capacity:
            self.pages.popitem(last=False)


def _cache() -> PageCache | None:
    """This app's kept pages, unless PAGE_CACHE_SECONDS has been set to 0 since (as tests that count a
    render's queries do)."""
    if current_app.config["PAGE_CACHE_SECONDS"] <= 0:
        return None
    return current_app.extensions.get("consult_pages")


def _reader_key() -> tuple | None:
    """The key of this request's page if it may be served from the cache, else None."""
    if request.method != "GET":
        return None
    view = current_app.view_functions.get(request.endpoint)
    if not getattr(view, MARK_ATTRIBUTE, False):
        return None
    if request.cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")):
        return None
    if "_user_id" in session or session.get(FLASHES):
        return None

    return request.host, reader_locale(), request.full_path


def serve_kept_page() -> Response | None:
    """Before anything else: answer from the cache, or note what to keep after rendering."""
    pages = _cache()
    key = _reader_key() if pages else None
    if key is None:
        return None
    stamp = pages.stamp.read()  # read before rendering: a write during the render makes the page stale
    if stamp is UNREADABLE:
        return None
    page = pages.find(key, stamp)
    if page is not None:
        return page.response()
    g.page_to_keep = (key, stamp)
    return None


def keep_rendered_page(response: Response) -> Response:
    """After a render for a reader: keep the page, unless the render made it the reader's own."""
    wanted = g.pop("page_to_keep", None)
    pages = _cache()
    if (
        wanted is None
        or pages is None
        or response.status_code != 200
        or response.is_streamed
        or response.direct_passthrough
    ):
        return response
    if session.modified:  # a form token, a message for the next page: this page is the reader's own
        return response
    body = response.get_data()
    if len(body) > pages.largest:
        return response
    key, stamp = wanted
    headers = tuple((name, value) for name, value in response.headers if name not in PERSONAL_HEADERS)
    seconds = min(current_app.config["PAGE_CACHE_SECONDS"], _seconds_to_next_clock_change())
    until = time.monotonic() + seconds
    pages.keep(key, KeptPage(stamp, until, response.status_code, headers, body))
    return response


def _seconds_to_next_clock_change() -> float:
    """Seconds until the next moment by the clock at which what pages show changes (a round opening or
    closing), as the feature that owns such moments tells (`init_app`'s next_clock_change)."""
    upcoming = current_app.extensions["consult_pages"].next_clock_change()
    if upcoming is None:
        return float("inf")
    return max((upcoming - database.utcnow()) / timedelta(seconds=1), 0.0)


# What counts as a public change


def _written_privately(instance: Any) -> bool:
    """Whether a written row is one no public page shows, before the change or after it. A model says so
    with a `written_privately()` method (a comment that is not public either way, with what hangs off it; a
    person's sessions and notices; the audit trail; a moderation decision, public only through the comment
    it changes). Every other write counts as a public change. Renewing the pages for a private write would
    tell a reader who times them the second that unseen input was sent or approved."""
    written_privately = getattr(instance, "written_privately", None)
    return bool(written_privately is not None and written_privately())


def _note_flush(session: Session, _context: Any) -> None:
    written = chain(session.dirty, session.deleted, session.new)
    if any(not _written_privately(instance) for instance in written):
        session.info["public_write"] = True


def _note_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info["public_write"] = True


def _after_commit(session: Session) -> None:
    if session.info.pop("public_write", False) and has_app_context():
        pages = current_app.extensions.get("consult_pages")
        if pages is not None:
            pages.renew()


def _after_rollback(session: Session) -> None:
    session.info.pop("public_write", None)


def init_app(app: Flask, next_clock_change: Callable[[], datetime | None]) -> None:
    """Serve kept pages before any other hook runs; note public writes on every session. A page is kept
    no longer than until next_clock_change(), the next moment at which the clock alone changes a page."""
    if app.config["PAGE_CACHE_SECONDS"] <= 0:
        return
    app.extensions["consult_pages"] = PageCache(app, next_clock_change)
    app.before_request_funcs.setdefault(None, []).insert(0, serve_kept_page)
    app.after_request(keep_rendered_page)
    if not event.contains(Session, "after_flush", _note_flush):
        event.listen(Session, "after_flush", _note_flush)
        event.listen(Session, "do_orm_execute", _note_statement)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)
