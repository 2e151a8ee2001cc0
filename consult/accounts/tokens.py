"""Signed, expiring tokens for the links sent by e-mail."""

import hashlib
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"consult.{purpose}")


def fingerprint(value: str | None) -> str:
    """A short digest that changes when value changes: ties a token to an account's current state."""
    return hashlib.sha256((value or "").encode()).hexdigest()[:16]


def make_token(purpose: str, payload: dict[str, Any]) -> str:
    """A signed token for purpose ("verify", "reset") carrying payload."""
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: int) -> dict[str, Any] | None:
    """The payload of a valid, unexpired token for purpose, else None."""
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except BadSignature:
        return None
    return payload if isinstance(payload, dict) else None
