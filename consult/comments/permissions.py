"""Who may change, see and download a comment outside the public pages."""

from typing import Any

from consult.accounts.permissions import is_moderator, is_signed_in
from consult.comments.models import CommentState


def can_change_comment(user: Any, comment: Any) -> bool:
    """Edit or withdraw a comment: its author (the round's clock is checked by the service)."""
    return is_signed_in(user) and comment.author_id == user.id


def can_view_own_comment(user: Any, comment: Any) -> bool:
    """See a comment's receipt and history: its author, and moderators once it is submitted (a draft is its
    author's alone)."""

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
