"""Who may summarise a round, read a draft summary and record the mechanism's answers."""

from typing import Any

from consult.accounts.permissions import is_coordinator, is_moderator, is_signed_in
from consult.rounds.permissions import can_view_round, is_summariser_of
from consult.summaries.models import SummaryState


def can_summarise(user: Any, round_: Any) -> bool:
    """Draft, correct and publish summaries of a round: its summarisers, and coordinators."""
    return is_coordinator(user) or is_summariser_of(user, round_)


def can_summarise_some(user: Any) -> bool:
    """Has summaries to write: a coordinator, or someone named to summarise a round (with two factors)."""
    if is_coordinator(user):
        return True
    return is_signed_in(user) and user.passed_second_factor and bool(user.summariser_of)


def can_view_summary(user: Any, summary: Any, round_: Any) -> bool:
    """A published summary is public with its round; a draft is seen by those who may summarise."""

    if summary.state is SummaryState.published:
        return can_view_round(user, round_)
    return can_summarise(user, round_)


def can_respond(user: Any) -> bool:
    """Record what the mechanism did with what it heard."""
    return is_coordinator(user)


def can_follow_up(user: Any) -> bool:
    """See which recommendations received new input since a date."""
    return is_coordinator(user) or is_moderator(user)
