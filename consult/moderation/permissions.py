"""Who may moderate, report input and export the decisions."""

from typing import Any

from consult.accounts.permissions import is_coordinator, is_moderator, is_verified_contributor


def can_moderate(user: Any) -> bool:
    """See the queue, the authors' identities and confidential input; decide, redact, withhold."""
    return is_moderator(user)


def can_flag(user: Any, comment: Any) -> bool:
    """Report a published comment: any confirmed reader but its author."""
    return is_verified_contributor(user) and comment.is_public and comment.author_id != user.id


def can_export_decisions(user: Any) -> bool:
    """Export every moderation decision, with the moderators' names, for an independent review."""
    return is_coordinator(user)
