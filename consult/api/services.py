"""Tokens for the mechanism's own systems: issued, verified, revoked, and every confidential read audited.

A token is shown once, when issued; only its SHA-256 is kept, so a copy of the database gives nobody a
working token. Lookups go by the hash (a unique index), so no comparison of secrets happens in Python.
"""

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from consult import audit
from consult.api.models import ApiToken
from consult.database import utcnow
from consult.errors import DomainError
from consult.extensions import db

#: How the token begins, so that a secret scanner (and a person) can tell what it is.
TOKEN_PREFIX = "consult_"  # noqa: S105 - a label, not a secret
#: How many characters of the token are kept in clear, to tell tokens apart in the list.
SHOWN_CHARACTERS = 12
#: last_used_at is written at most this often: a busy system must not write on every read.
TOUCH_EVERY = timedelta(minutes=1)
MAX_NAME = 120


def hash_token(raw: str) -> str:
    """The SHA-256 of a token, as stored."""
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


def issue_token(actor: Any, name: str, may_read_confidential: bool) -> tuple[ApiToken, str]:
    """Create a token for one of the mechanism's systems; the caller shows the returned secret once."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Name the system that will use the token."), field="name")
    if len(name) > MAX_NAME:
        raise DomainError(_("A name can be at most %(n)d characters.", n=MAX_NAME), field="name")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name,
        token_hash=hash_token(raw),
        prefix=raw[:SHOWN_CHARACTERS],
        may_read_confidential=may_read_confidential,
        created_by_id=getattr(actor, "id", None),
    )
    db.session.add(token)
    audit.record(
        actor, "api_token.create", token, after={"name": name, "may_read_confidential": may_read_confidential}
    )
    return token, raw


def revoke_token(actor: Any, token: ApiToken) -> None:
    """Stop a token from working, for good."""
    if token.revoked_at is not None:
        raise DomainError(_("This token was revoked already."))
    token.revoked_at = utcnow()
    audit.record(actor, "api_token.revoke", token, after={"name": token.name})


def find_token(raw: str) -> ApiToken | None:
    """The token with this secret, revoked or not; None for a secret nobody issued."""
    if not raw or len(raw) > 200:
        return None
    return db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(raw)))


def touch_token(token: ApiToken, now: datetime | None = None) -> bool:
    """Note that the token was used, unless that was noted less than a minute ago; True if it changed."""
    now = now or utcnow()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY:
        return False
    token.last_used_at = now
    return True


def list_tokens() -> list[ApiToken]:
    """Every token, the newest first, revoked ones included (they stay listed for the record)."""
    return list(db.session.scalars(select(ApiToken).order_by(ApiToken.id.desc())))


def record_confidential_read(token: ApiToken, subject: Any, comment_ids: list[int]) -> None:
    """Audit one read of confidential input through the API: which token, what, and which comments.
    The actor is no person: the token is named in the event instead."""
    audit.record(
        None,
        "api.read_confidential",
        subject,
        after={
            "token_id": token.id,
            "token_name": token.name,
            "count": len(comment_ids),
            "comment_ids": comment_ids,
        },
    )
