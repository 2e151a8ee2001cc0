"""Guessing spread over many addresses: each e-mail address counts its failed sign-ins from anywhere, and too
many pause its sign-in. An address with no account pauses exactly like one with an account, so that neither
the answer nor the work done tells whether an account exists.

The counters of an account are written on a connection of their own, committed at once: concurrent guesses
from many addresses all count, and a failed sign-in is never a public change (consult/pagecache.py) that
would empty every server's kept pages. Addresses without an account are counted in the rate limiter's
storage (Redis with several app servers), keyed by a keyed hash of the address, never the address itself.
"""

import enum
import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter, RateLimiter
from sqlalchemy import case, literal, or_, update

from consult import audit
from consult.accounts import passwords
from consult.accounts.models import User
from consult.accounts.services import find_user_by_email, normalise_email
from consult.accounts.tokens import fingerprint, make_token, read_token
from consult.database import MAX_ID, UTCDateTime, utcnow
from consult.extensions import db, limiter

#: Counters for addresses without an account when the rate limiter is turned off (tests, development).
_local_counters = FixedWindowRateLimiter(MemoryStorage())


class Outcome(enum.Enum):
    """What a password attempt came to."""

    right = "right"
    wrong = "wrong"
    paused = "paused"


@dataclass(frozen=True)
class Attempt:
    """The account (only when the password was right, or for the owner's e-mail when this attempt paused
    it), what the attempt came to, and whether this very attempt started the pause."""

    user: User | None
    outcome: Outcome
    paused_now: bool = False


def _settings() -> tuple[int, int, int]:
    config = current_app.config
    return (
        config["SIGN_IN_FAILURES_BEFORE_PAUSE"],
        int(config["SIGN_IN_FAILURE_WINDOW"].total_seconds()),
        int(config["SIGN_IN_PAUSE"].total_seconds()),
    )


def is_paused(user: User, now: datetime | None = None) -> bool:
    """Whether the account's sign-in is paused now."""
    return user.sign_in_paused_until is not None and user.sign_in_paused_until > (now or utcnow())


def try_password(email: str, password: str, now: datetime | None = None) -> Attempt:
    """Check a password, counting a failure against the address from any client. While the address is
    paused even the right password is refused, with the same answer and the same work as a wrong one."""
    now = now or utcnow()
    user = find_user_by_email(email)
    right = passwords.verify_password(user.password_hash if user else None, password)
    if user is None:
        return _try_unknown_address(email)
    if is_paused(user, now):
        return Attempt(None, Outcome.paused)
    if right:
        if passwords.needs_rehash(user.password_hash):
            user.password_hash = passwords.hash_password(password)
        return Attempt(user, Outcome.right)
    if count_failure(user, now):
        return Attempt(user, Outcome.paused, paused_now=True)
    return Attempt(None, Outcome.wrong)


def count_failure(user: User, now: datetime | None = None) -> bool:
    """Count one failed sign-in (a wrong password or second-factor code) for the account; True if it paused
    the account's sign-in now, which is then audited."""
    now = now or utcnow()
    limit = current_app.config["SIGN_IN_FAILURES_BEFORE_PAUSE"]
    when = literal(now, UTCDateTime())
    window_over = or_(
        User.failed_sign_ins_since.is_(None),
        User.failed_sign_ins_since <= now - current_app.config["SIGN_IN_FAILURE_WINDOW"],
    )
    with db.engine.begin() as connection:
        connection.execute(
            update(User)
            .where(User.id == user.id)
            .values(
                failed_sign_ins=case((window_over, 1), else_=User.failed_sign_ins + 1),
                failed_sign_ins_since=case((window_over, when), else_=User.failed_sign_ins_since),
            )
        )
        # Only the request whose failure reached the limit pauses (and so only one e-mail goes out).
        paused = connection.execute(
            update(User)
            .where(User.id == user.id, User.failed_sign_ins >= limit)
            .values(
                sign_in_paused_until=now + current_app.config["SIGN_IN_PAUSE"],
                failed_sign_ins=0,
                failed_sign_ins_since=None,
            )
        )
        paused_now = paused.rowcount == 1
    db.session.expire(user, ["failed_sign_ins", "failed_sign_ins_since", "sign_in_paused_until"])
    if paused_now:
        audit.record(None, "user.pause_sign_in", user, after={"until": user.sign_in_paused_until.isoformat()})
    return paused_now


def _strategy() -> RateLimiter:
    """The rate limiter's counters (shared by every app server through Redis), else this process's own."""
    return limiter.limiter if limiter.enabled and limiter.initialized else _local_counters


def _address_key(email: str) -> str:
    """A keyed hash of the address: the counters' storage never holds an address someone typed."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, normalise_email(email).encode(), hashlib.sha256).hexdigest()[:32]


def _try_unknown_address(email: str) -> Attempt:
    """A failure for an address without an account: counted and paused exactly as an account would be."""
    limit, window, pause = _settings()
    failures = RateLimitItemPerSecond(limit, window, namespace="consult-sign-in-failures")
    paused = RateLimitItemPerSecond(1, pause, namespace="consult-sign-in-paused")
    key, strategy = _address_key(email), _strategy()
    try:
        if not strategy.test(paused, key):
            return Attempt(None, Outcome.paused)
        strategy.hit(failures, key)
        if strategy.get_window_stats(failures, key).remaining > 0:
            return Attempt(None, Outcome.wrong)
        strategy.hit(paused, key)
        strategy.clear(failures, key)
    except Exception:
        current_app.logger.exception("the sign-in counters cannot be reached")
        return Attempt(None, Outcome.wrong)
    return Attempt(None, Outcome.paused)


def begin_second_factor(user: User) -> None:
    """A right password opens a second-factor step with its own allowance of codes."""
    user.second_factor_failures = 0


def second_factor_step_over(user: User) -> bool:
    """Whether the pending step used up its codes: counted on the server, so a copied cookie cannot
    start the count again."""
    return user.second_factor_failures >= current_app.config["SECOND_FACTOR_TRIES"]


def count_wrong_code(user: User, now: datetime | None = None) -> tuple[bool, bool]:
    """Count a wrong second-factor code, for the step and as a failed sign-in of the account: (whether this
    code used up the step's allowance, whether the account's sign-in paused now). Only the code that used up
    the allowance ends the step with an audit event; later ones (replays sent at once) find it over."""
    with db.engine.begin() as connection:
        failures = connection.execute(
            update(User)
            .where(User.id == user.id)
            .values(second_factor_failures=User.second_factor_failures + 1)
            .returning(User.second_factor_failures)
        ).scalar_one()
    db.session.expire(user, ["second_factor_failures"])
    paused_now = count_failure(user, now)
    ended_now = failures == current_app.config["SECOND_FACTOR_TRIES"]
    if ended_now:
        audit.record(None, "user.end_second_factor_step", user, after={"wrong_codes": failures})
    return ended_now, paused_now


def signed_in(user: User) -> None:
    """A completed sign-in clears the account's failure counts."""
    user.failed_sign_ins = 0
    user.failed_sign_ins_since = None
    user.second_factor_failures = 0


def resume_sign_in(user: User, actor: User | None) -> None:
    """End a pause: the owner came through the e-mailed link, or chose a new password. Audited."""
    if user.sign_in_paused_until is None:
        return
    before = {"until": user.sign_in_paused_until.isoformat()}
    user.sign_in_paused_until = None
    user.failed_sign_ins = 0
    user.failed_sign_ins_since = None
    audit.record(actor, "user.resume_sign_in", user, before=before)


# The owner's one-time link


def _pause_fingerprint(user: User) -> str:
    until = user.sign_in_paused_until
    return fingerprint(f"{user.id}:{until.isoformat() if until else ''}")


def resume_token(user: User) -> str:
    """A signed link token bound to this pause: it dies when the pause ends (used, or run out)."""
    return make_token("resume", {"uid": user.id, "pause": _pause_fingerprint(user)})


def user_for_resume_token(token: str, now: datetime | None = None) -> User | None:
    """The paused account a resume link was made for, while that very pause lasts (and the link is at most
    as old as a reset link may be); else None."""
    payload = read_token("resume", token, current_app.config["RESET_TOKEN_MAX_AGE"])
    uid = payload.get("uid") if payload else None
    user = db.session.get(User, uid) if isinstance(uid, int) and 0 < uid <= MAX_ID else None
    if user is None or not user.is_active or not is_paused(user, now):
        return None
    return user if hmac.compare_digest(_pause_fingerprint(user), str(payload.get("pause"))) else None
