"""Who may see, join and verify organisations."""

from typing import Any

from consult.accounts.permissions import is_coordinator, is_signed_in, is_verified_contributor
from consult.organisations.models import Membership, MembershipState, Organisation, OrganisationState


def can_list_organisations(user: Any) -> bool:
    """See every organisation, including those awaiting verification."""
    return is_coordinator(user)


def can_view_organisation(user: Any, organisation: Organisation) -> bool:
    """A verified organisation is public; one awaiting verification is seen by coordinators and members."""
    if organisation.state is OrganisationState.verified or is_coordinator(user):
        return True
    return is_signed_in(user) and any(m.user_id == user.id for m in organisation.memberships)


def can_join_organisations(user: Any) -> bool:
    """Claim membership of an organisation, or propose a new one."""
    return is_verified_contributor(user)


def can_verify_organisations(user: Any) -> bool:
    """Verify or decline organisations, and confirm who belongs to them: coordinators."""
    return is_coordinator(user)


def can_verify_organisation(user: Any, organisation: Organisation) -> bool:
    """Verify or decline this organisation, and confirm who belongs to it."""
    return can_verify_organisations(user)


def can_view_members(user: Any, organisation: Organisation) -> bool:
    """See who belongs to an organisation: coordinators, and its confirmed members."""
    if is_coordinator(user):
        return True
    return is_signed_in(user) and any(
        m.user_id == user.id and m.state is MembershipState.confirmed for m in organisation.memberships
    )


def can_end_membership(user: Any, membership: Membership) -> bool:
    """A member may leave an organisation; a coordinator may end any membership."""
    return is_coordinator(user) or (is_signed_in(user) and membership.user_id == user.id)
