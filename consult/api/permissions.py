"""Who may manage the API's tokens, and what a token may read."""

from typing import Any

from consult.accounts.permissions import is_coordinator


def can_manage_api_tokens(user: Any) -> bool:
    """Issue and revoke the tokens with which the mechanism's own systems read the API."""
    return is_coordinator(user)


def can_read_confidential_input(token: Any) -> bool:
    """Receive confidential and hidden comments through the API: a live token issued for that (a person's
    session never: staff read confidential input on the moderation pages, where each view is audited)."""
    return token is not None and token.revoked_at is None and token.may_read_confidential
