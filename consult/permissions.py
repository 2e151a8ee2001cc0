"""Who may do what: every access decision of the product, as can_<verb> predicates.

Views, templates, the API and exports all ask these; nothing else decides. Staff powers count only
in a session that passed the second factor.
"""

from typing import Any

from consult.accounts.models import StaffRoleName, User
from consult.organisations.models import Membership, MembershipState, Organisation, OrganisationState


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


# Accounts


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


# A person's own data


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


# Organisations


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


def can_verify_organisation(user: Any, organisation: Organisation) -> bool:
    """Verify or decline an organisation, and confirm who belongs to it."""
    return is_coordinator(user)


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


# The plan


def can_edit_plan(user: Any) -> bool:
    """Change clusters, actions, indicators, statuses and tags, and freeze plan versions."""
    return is_coordinator(user)


def can_import_recommendations(user: Any) -> bool:
    """Upload files of recommendations."""
    return is_coordinator(user)


# Rounds


def can_manage_rounds(user: Any) -> bool:
    """Create, schedule, extend and cancel rounds; add questions and documents."""
    return is_coordinator(user)


def can_view_round(user: Any, round_: Any) -> bool:
    """A round is public once announced; drafts and cancelled rounds are seen by coordinators only."""
    from consult.rounds.models import RoundState

    return round_.state not in (RoundState.draft, RoundState.cancelled) or is_coordinator(user)


# Taking part


def can_take_part(user: Any, round_: Any) -> bool:
    """Submit comments to a round (when it is open): who may, by the round's eligibility."""
    from consult.rounds.models import Eligibility
    from consult.rounds.services import invited_organisation_ids

    if not is_verified_contributor(user):
        return False
    if round_.eligibility is Eligibility.public:
        return True
    verified = {o.id for o in user.confirmed_organisations if o.is_verified}
    if round_.eligibility is Eligibility.verified_organisations:
        return bool(verified)
    return bool(verified & invited_organisation_ids(round_))


def can_change_comment(user: Any, comment: Any) -> bool:
    """Edit or withdraw a comment: its author (the round's clock is checked by the service)."""
    return is_signed_in(user) and comment.author_id == user.id


def can_view_own_comment(user: Any, comment: Any) -> bool:
    """See a comment's receipt and history: its author, and moderators once it is submitted (a draft is its
    author's alone)."""
    from consult.comments.models import CommentState

    if can_change_comment(user, comment):
        return True
    return is_moderator(user) and comment.state is not CommentState.draft


def can_download_attachment(user: Any, attachment: Any) -> bool:
    """A file attached to a comment: its author and moderators always; the public when the comment is public
    and the file was not withheld."""
    comment = attachment.comment
    if can_view_own_comment(user, comment):
        return True
    return comment.is_public and attachment.withheld_at is None


# Moderation


def can_moderate(user: Any) -> bool:
    """See the queue, the authors' identities and confidential input; decide, redact, withhold."""
    return is_moderator(user)


def can_flag(user: Any, comment: Any) -> bool:
    """Report a published comment: any confirmed reader but its author."""
    return is_verified_contributor(user) and comment.is_public and comment.author_id != user.id


def can_export_decisions(user: Any) -> bool:
    """Export every moderation decision, with the moderators' names, for an independent review."""
    return is_coordinator(user)


# Audit


def can_view_audit(user: Any) -> bool:
    """Read the audit trail."""
    return is_coordinator(user)


# Summaries and the mechanism's answers


def is_summariser_of(user: Any, round_: Any) -> bool:
    """Named to summarise this round, and signed in with both factors (a per-round staff role)."""
    return (
        is_signed_in(user)
        and user.passed_second_factor
        and any(named.round_id == round_.id for named in user.summariser_of)
    )


def can_summarise(user: Any, round_: Any) -> bool:
    """Draft, correct and publish summaries of a round: its summarisers, and coordinators."""
    return is_coordinator(user) or is_summariser_of(user, round_)


def can_see_exact_figures(user: Any, round_: Any) -> bool:
    """See a round's figures exactly, small counts included: its summarisers, moderators and coordinators.
    What they publish (summaries, reports, exports, charts) follows the small-count rule all the same."""
    return is_coordinator(user) or is_moderator(user) or is_summariser_of(user, round_)


def can_view_summary(user: Any, summary: Any, round_: Any) -> bool:
    """A published summary is public with its round; a draft is seen by those who may summarise."""
    from consult.summaries.models import SummaryState

    if summary.state is SummaryState.published:
        return can_view_round(user, round_)
    return can_summarise(user, round_)


def can_respond(user: Any) -> bool:
    """Record what the mechanism did with what it heard."""
    return is_coordinator(user)


def can_follow_up(user: Any) -> bool:
    """See which recommendations received new input since a date."""
    return is_coordinator(user) or is_moderator(user)


# The API


def can_manage_api_tokens(user: Any) -> bool:
    """Issue and revoke the tokens with which the mechanism's own systems read the API."""
    return is_coordinator(user)


def can_read_confidential_input(token: Any) -> bool:
    """Receive confidential and hidden comments through the API: a live token issued for that (a person's
    session never: staff read confidential input on the moderation pages, where each view is audited)."""
    return token is not None and token.revoked_at is None and token.may_read_confidential
