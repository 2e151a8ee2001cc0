"""Who may see and run consultation rounds, take part in them, and read their exact figures."""

from typing import Any

from consult.accounts.permissions import is_coordinator, is_moderator, is_signed_in, is_verified_contributor
from consult.organisations.models import confirmed_organisations
from consult.rounds.models import Eligibility, RoundState
from consult.rounds.services import invited_organisation_ids


def can_manage_rounds(user: Any) -> bool:
    """Create, schedule, extend and cancel rounds; add questions and documents."""
    return is_coordinator(user)


def can_view_round(user: Any, round_: Any) -> bool:
    """A round is public once announced; drafts and cancelled rounds are seen by coordinators only."""

    return round_.state not in (RoundState.draft, RoundState.cancelled) or is_coordinator(user)


def can_take_part(user: Any, round_: Any) -> bool:
    """Submit comments to a round (when it is open): who may, by the round's eligibility."""

    if not is_verified_contributor(user):
        return False
    if round_.eligibility is Eligibility.public:
        return True
    verified = {o.id for o in confirmed_organisations(user) if o.is_verified}
    if round_.eligibility is Eligibility.verified_organisations:
        return bool(verified)
    return bool(verified & invited_organisation_ids(round_))


def is_summariser_of(user: Any, round_: Any) -> bool:
    """Named to summarise this round, and signed in with both factors (a per-round staff role)."""
    return (
        is_signed_in(user)
        and user.passed_second_factor
        and any(named.round_id == round_.id for named in user.summariser_of)
    )


def can_see_exact_figures(user: Any, round_: Any) -> bool:
    """See a round's figures exactly, small counts included: its summarisers, moderators and coordinators.
    What they publish (summaries, reports, exports, charts) follows the small-count rule all the same."""
    return is_coordinator(user) or is_moderator(user) or is_summariser_of(user, round_)
