"""Test helpers: signing in through the real forms, CSRF tokens from real pages, counting SQL."""

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pyotp
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from consult.accounts.models import User
from consult.extensions import db
from consult.rounds import services as rounds
from consult.rounds.notifications import ticked
from tests.factories import PASSWORD, Account, make_user

__all__ = ["PASSWORD", "Account", "make_user"]  # accounts are made by the factories; kept here for sign_in


def csrf_token(client: FlaskClient, path: str = "/") -> str:
    """The CSRF token of the client's session, read from a page's form."""
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', page
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def submit(
    client: FlaskClient,
    path: str,
    data: dict | None = None,
    page: str | None = None,
    prefix: str = "",
    **kwargs,
):
    """Post a form the way a browser does: with the token from the page that shows it."""
    token_field = f"{prefix}-csrf_token" if prefix else "csrf_token"
    form = {token_field: csrf_token(client, page or path), **(data or {})}
    return client.post(path, data=form, **kwargs)


def next_totp_code(app: Flask, account: Account) -> str:
    """A code the server will accept now: one it has not seen, within the allowed drift."""
    totp = pyotp.TOTP(account.totp_secret)
    with app.app_context():
        last = db.session.get(User, account.id).totp_last_step
    now_step = int(time.time()) // totp.interval
    # The current step, or the next if it was used: never the previous one, which a server whose clock has
    # just crossed into the next 30 seconds would find two steps old.
    step = next(s for s in (now_step, now_step + 1) if last is None or s > last)
    return totp.generate_otp(step)


def sign_in(client: FlaskClient, app: Flask, account: Account, next_path: str | None = None):
    """Sign in through the real forms, with the second factor when the account has one."""
    data = {"email": account.email, "password": account.password}
    if next_path:
        data["next"] = next_path
    response = submit(client, "/accounts/sign-in", data)
    if account.totp_secret and response.status_code == 302 and "/sign-in/code" in response.location:
        response = submit(client, "/accounts/sign-in/code", {"code": next_totp_code(app, account)})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return response


def require_redis() -> None:
    """Skip with a reason when no Redis listens on 127.0.0.1:6379 here; in CI its absence fails the test."""
    import os
    import socket

    import pytest

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return
    except OSError:
        if os.environ.get("CI"):
            pytest.fail("CI needs Redis on 127.0.0.1:6379")
        pytest.skip("no Redis on 127.0.0.1:6379 on this machine (CI always runs this test)")


def catch_up_the_clock() -> None:
    """In an app context: write what the rounds' clock has made due (and what features do when it runs),
    and hold it still for its next minute. Any request may run the clock
    (consult/rounds/services.tick_if_due); what it writes is no request's doing, and must not be counted or
    compared as if it were."""
    rounds.tick()
    db.session.commit()
    ticked.send(None)  # and what features do when the clock runs (outcome e-mails due)
    rounds._last_tick["at"] = time.monotonic()


@contextmanager
def recorded_sql(app: Flask, record: Callable[[str, object], None]) -> Iterator[None]:
    """Call record(statement, parameters) for every SQL statement the app runs inside the block, the rounds'
    clock caught up first (catch_up_the_clock)."""
    with app.app_context():
        catch_up_the_clock()
        engine = db.engine

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        record(statement, parameters)

    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)


def public_id_of(app: Flask, model: type, ident: int) -> str:
    """The random public id by which URLs name a comment or an attachment, from its row id."""
    with app.app_context():
        return db.session.get(model, ident).public_id
