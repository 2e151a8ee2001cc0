"""Who is signed in: each sign-in is a row in user_sessions whose random token the signed cookie carries, so
that signing out ends the session on every app server, a copied cookie dies with it, and an idle staff
session ends on its own. Flask-Login's loader accepts a cookie only while its row is live."""

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from flask import Flask, current_app, flash, g, make_response, redirect, render_template, request, session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_url
from sqlalchemy import select, update

from consult import audit
from consult.accounts.models import User, UserSession
from consult.accounts.tokens import fingerprint
from consult.database import as_id, utcnow
from consult.extensions import db, login_manager

#: Session key set once the person has entered a TOTP or recovery code in this session.
SECOND_FACTOR_KEY = "second_factor"
#: Session key holding the random token of the session's row (only its hash is stored).
SESSION_TOKEN_KEY = "session_token"  # noqa: S105 - the name of a session key, not a secret
#: A session's last request is written at most this often, so that requests do not each write.
TOUCH_EVERY = timedelta(minutes=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User) -> tuple[UserSession, str]:
    """A new live session for the person, and the token its cookie must carry."""
    token = secrets.token_urlsafe(32)
    row = UserSession(user_id=user.id, token_hash=_hash(token))
    db.session.add(row)
    db.session.flush()
    return row, token


def end_session(row: UserSession, now: datetime | None = None) -> None:
    """End one session (signing out): its cookie, and any copy of it, no longer signs anyone in."""
    if row.ended_at is None:
        row.ended_at = now or utcnow()


def end_sessions(user: User, keep: UserSession | None = None, now: datetime | None = None) -> int:
    """End every live session of the person but keep (signing out everywhere; a new password); how many."""
    statement = update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if keep is not None:
        statement = statement.where(UserSession.id != keep.id)
    return db.session.execute(statement.values(ended_at=now or utcnow())).rowcount


def sign_out_everywhere(user: User) -> None:
    """The person ends all their sessions, this one too (audited: a sign of a lost or shared device)."""
    ended = end_sessions(user)
    audit.record(user, "user.sign_out_everywhere", user, after={"sessions": ended})


def idle_limit(user: User) -> timedelta:
    """How long a session may go without a request: short for staff, whose sessions reach confidential
    input; the signed cookie's own lifetime for everyone else."""
    config = current_app.config
    return config["STAFF_IDLE_TIMEOUT"] if user.is_staff else config["PERMANENT_SESSION_LIFETIME"]


def _write_beside(statement) -> None:
    """A session's own bookkeeping, committed on a connection of its own: never part of what the request
    does, and never a public change that would empty the kept pages (consult/pagecache.py)."""
    with db.engine.begin() as connection:
        connection.execute(statement)


def _forget_sign_in() -> None:
    """A dead session reads as signed out from now on, for every page (and the kept pages) alike."""
    for key in ("_user_id", "_fresh", "_id", SESSION_TOKEN_KEY, SECOND_FACTOR_KEY):
        session.pop(key, None)


def _signed_out_while_away(user: User) -> None:
    minutes = int(idle_limit(user).total_seconds() // 60)
    flash(
        ngettext(
            "You were signed out after %(num)d minute without activity. Sign in again to go on.",
            "You were signed out after %(num)d minutes without activity. Sign in again to go on.",
            minutes,
        ),
        "warning",
    )


def load_user(session_id: str) -> User | None:
    """The signed-in person, if the cookie's session row is live, not idle too long, and the password has
    not changed since. One query finds the person and the row together."""
    user_id, _, password_fingerprint = session_id.partition(":")
    token = session.get(SESSION_TOKEN_KEY)
    number = as_id(user_id)
    if number is None or not isinstance(token, str):
        _forget_sign_in()
        return None
    found = db.session.execute(
        select(User, UserSession)
        .join(UserSession, UserSession.user_id == User.id)
        .where(User.id == number, UserSession.token_hash == _hash(token), UserSession.ended_at.is_(None))
    ).first()
    if found is None or fingerprint(found[0].password_hash) != password_fingerprint:
        _forget_sign_in()
        return None
    user, row = found
    now = utcnow()
    if now - row.last_seen_at > idle_limit(user):
        _write_beside(update(UserSession).where(UserSession.id == row.id).values(ended_at=now))
        _forget_sign_in()
        _signed_out_while_away(user)
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        _write_beside(update(UserSession).where(UserSession.id == row.id).values(last_seen_at=now))
    g.user_session = row
    user.passed_second_factor = bool(session.get(SECOND_FACTOR_KEY))
    return user


def current_session() -> UserSession | None:
    """The session row of this request's signed-in person, once the loader or a sign-in found it."""
    return g.get("user_session")


def signed_in_as(row: UserSession, token: str) -> None:
    """Tie this request and its cookie to a new session row (after login_user)."""
    session[SESSION_TOKEN_KEY] = token
    g.user_session = row


def init_app(app: Flask) -> None:
    """Bind Flask-Login."""
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.unauthorized_handler(sign_in_again)
    app.before_request(_load_signed_in_person)


#: Form fields that never hold what a person wrote, or must never be shown back.
_NOT_WRITTEN = ("csrf_token", "password", "idempotency_key", "code")


#: A value a form's own controls send (a choice, an id, a flag): ASCII letters, digits, "_" and "-" only.
_MACHINE_VALUE = re.compile(r"[A-Za-z0-9_-]{0,64}")


def _written_text() -> str:
    """What a sent form holds in words, secrets, tokens and the values of its own controls left out. Words
    are told from choices by their characters, not by spaces, which Chinese and Japanese do not use."""
    written = [
        value.strip()
        for name, value in request.form.items(multi=True)
        if not any(part in name for part in _NOT_WRITTEN) and not _MACHINE_VALUE.fullmatch(value.strip())
    ]
    return "\n\n".join(written)


def sign_in_again():
    """Send a person who is not signed in to the sign-in page; a form sent after the session ended (an idle
    staff session, a sign-out in another tab) comes back instead with what was written in it, to copy."""
    kept = _written_text() if request.method == "POST" else ""
    if kept:
        page = render_template(
            "errors/error.html",
            code=401,
            title=_("You were signed out"),
            explanation=_(
                "Your session ended before this was sent, so nothing was saved. Copy what you wrote below, "
                "sign in again (in another tab or window), and send it again."
            ),
            kept=kept,
        )
        return make_response(page, 401)
    flash(str(login_manager.login_message), login_manager.login_message_category)
    return redirect(login_url(login_manager.login_view, next_url=request.url))


def _load_signed_in_person() -> None:
    """Check the session before the view runs: its bookkeeping is written before the view writes anything,
    and a session that died reads as signed out on every page the request renders."""
    if "_user_id" in session:
        current_user._get_current_object()
