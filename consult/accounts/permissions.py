"""Who may do what with accounts, and the roles every other feature's predicates build on.

Staff powers count only in a session that passed the second factor. Each feature keeps its own
`can_<verb>` predicates in its `permissions` module, built from these; views, templates, the API and
exports ask them, and nothing else decides.
"""

from typing import Any

from consult.accounts.models import StaffRoleName, User


def is_signed_in(user: Any) -> bool:
    """A person with an active account is signed in."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def acts_as(user: Any, role: StaffRoleName) -> bool:
    """The person holds role and this session passed the second factor."""
    return is_signed_in(user) and user.has_role(role) and user.passed_second_factor


def is_coordinator(user: Any) -> bool:
    """A coordinator of the mechanism, signed in with both factors."""
    return acts_as(user, StaffRoleName.coordinator)


def is_moderator(user: Any) -> bool:
    """A moderator (or coordinator: they oversee moderation too), signed in with both factors."""
    return acts_as(user, StaffRoleName.moderator) or is_coordinator(user)


def is_verified_contributor(user: Any) -> bool:
    """A signed-in person whose e-mail address is verified."""
    return is_signed_in(user) and user.email_verified_at is not None


def can_manage_account(user: Any) -> bool:
    """Change one's own password, language, time zone and second factor."""
    return is_signed_in(user)


def can_manage_users(user: Any) -> bool:
    """List accounts, grant and revoke staff roles, suspend accounts."""
    return is_coordinator(user)


def can_change_roles(actor: Any, target: User) -> bool:
    """Grant or revoke a staff role; a coordinator does not demote themselves by accident."""
    return can_manage_users(actor) and actor.id != target.id


def can_suspend(actor: Any, target: User) -> bool:
    """Suspend or reactivate an account other than one's own."""
    return can_manage_users(actor) and actor.id != target.id


def can_view_audit(user: Any) -> bool:
    """Read the audit trail."""
    return is_coordinator(user)
