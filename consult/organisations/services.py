"""Organisations: proposed by people, verified by coordinators; memberships confirmed the same way."""

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from consult import audit
from consult.accounts.models import User
from consult.database import utcnow
from consult.errors import DomainError
from consult.extensions import db
from consult.lifecycle import Lifecycle
from consult.organisations.models import (
    Membership,
    MembershipState,
    Organisation,
    OrganisationState,
    OrganisationType,
)

ORGANISATION_LIFECYCLE = Lifecycle(
    {
        OrganisationState.pending: {OrganisationState.verified, OrganisationState.rejected},
        OrganisationState.rejected: {OrganisationState.verified},
        OrganisationState.verified: {OrganisationState.rejected},
    }
)

MEMBERSHIP_LIFECYCLE = Lifecycle(
    {
        MembershipState.pending: {MembershipState.confirmed, MembershipState.ended},
        MembershipState.confirmed: {MembershipState.ended},
        MembershipState.ended: {MembershipState.pending},
    }
)


def find_by_name(name: str) -> Organisation | None:
    """The organisation with this name, ignoring case and surrounding spaces."""
    return db.session.scalar(
        select(Organisation).where(func.lower(Organisation.name) == name.strip().lower())
    )


def create_organisation(
    actor: User | None,
    name: str,
    type_: OrganisationType,
    acronym: str | None = None,
    website: str | None = None,
    verified: bool = False,
) -> Organisation:
    """Add an organisation; coordinators (and the demo) may add it verified at once."""
    if find_by_name(name) is not None:
        raise DomainError(_("An organisation with this name exists already: ask to join it."), field="name")
    organisation = Organisation(
        name=name.strip(), type=type_, acronym=(acronym or "").strip() or None, website=website or None
    )
    db.session.add(organisation)
    audit.record(actor, "organisation.create", organisation, after={"name": organisation.name})
    if verified:
        verify_organisation(actor, organisation)
    return organisation


def verify_organisation(actor: User | None, organisation: Organisation) -> None:
    """A coordinator vouches for the organisation: its name may now be shown with comments."""
    ORGANISATION_LIFECYCLE.apply(organisation, OrganisationState.verified, actor, "organisation.verify")
    organisation.verified_at = utcnow()
    organisation.verified_by_id = getattr(actor, "id", None)


def decline_organisation(actor: User, organisation: Organisation) -> None:
    """A coordinator does not vouch for the organisation."""
    ORGANISATION_LIFECYCLE.apply(organisation, OrganisationState.rejected, actor, "organisation.decline")
    organisation.verified_at = None


def request_membership(user: User, organisation: Organisation, position: str | None = None) -> Membership:
    """A person says they belong to an organisation; a coordinator confirms it."""
    membership = db.session.get(Membership, (user.id, organisation.id))
    if membership is not None:
        if membership.state is not MembershipState.ended:
            raise DomainError(_("You have asked to join this organisation already."), field="organisation")
        MEMBERSHIP_LIFECYCLE.apply(membership, MembershipState.pending, user, "membership.request")
        membership.position = position
        return membership
    membership = Membership(user=user, organisation=organisation, position=position)
    db.session.add(membership)
    db.session.flush()
    audit.record(user, "membership.request", membership, after={"state": MembershipState.pending.value})
    return membership


def propose_organisation(
    user: User,
    name: str,
    type_: OrganisationType,
    acronym: str | None,
    website: str | None,
    position: str | None,
) -> Organisation:
    """A person adds their organisation for verification, as its first member."""
    organisation = create_organisation(user, name, type_, acronym, website)
    request_membership(user, organisation, position)
    return organisation


def confirm_membership(actor: User | None, membership: Membership) -> None:
    """A coordinator confirms that the person speaks for the organisation."""
    MEMBERSHIP_LIFECYCLE.apply(membership, MembershipState.confirmed, actor, "membership.confirm")


def end_membership(actor: User, membership: Membership) -> None:
    """The person no longer belongs to the organisation (or the claim was refused)."""
    MEMBERSHIP_LIFECYCLE.apply(membership, MembershipState.ended, actor, "membership.end")


def get_organisation_with_members(organisation_id: int) -> Organisation | None:
    """An organisation with its memberships and their people loaded, for its page."""
    return db.session.scalar(
        select(Organisation)
        .where(Organisation.id == organisation_id)
        .options(selectinload(Organisation.memberships).joinedload(Membership.user))
    )


def memberships_of(user: User) -> list[Membership]:
    """A person's memberships with their organisations, by organisation name."""
    return list(
        db.session.scalars(
            select(Membership)
            .join(Membership.organisation)
            .where(Membership.user_id == user.id)
            .options(joinedload(Membership.organisation))
            .order_by(Organisation.name)
        )
    )


def list_organisations(state: OrganisationState | None = None) -> list[Organisation]:
    """Organisations by name, optionally in one state."""
    query = select(Organisation).order_by(Organisation.name)
    if state is not None:
        query = query.where(Organisation.state == state)
    return list(db.session.scalars(query))
