"""Who may take away or erase a person's data."""

from typing import Any

from consult.accounts.models import User
from consult.accounts.permissions import can_manage_users, is_signed_in


def can_download_own_data(user: Any) -> bool:
    """Download everything the platform holds about oneself."""
    return is_signed_in(user)


def can_erase_own_account(user: Any) -> bool:
    """Erase one's own account (the service also asks for the password and keeps the last coordinator)."""
    return is_signed_in(user)


def can_erase_account(actor: Any, target: User) -> bool:
    """Carry out a written request to erase someone else's account: a coordinator, signed in with both
    factors, for an account not yet erased."""
    return can_manage_users(actor) and actor.id != target.id and target.erased_at is None
