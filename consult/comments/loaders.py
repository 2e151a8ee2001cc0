"""The rounds, comments and files a URL names for the comments' pages (and moderation's, which show the
same comments)."""

from typing import Any

from sqlalchemy.orm import joinedload, selectinload

from consult.comments.models import Attachment, Comment
from consult.rounds import services as rounds
from consult.rounds.models import Round, RoundState
from consult.web import Loader, find_public


def has_comment_form(_user: Any, round_: Round) -> bool:
    """A round that has a comment form: announced and not cancelled (for coordinators too)."""
    return round_.state not in (RoundState.draft, RoundState.cancelled)


#: A round to write in, by its slug (without its scope): a draft or a cancelled round has no form (404).
ANNOUNCED_ROUND = Loader("slug", rounds.find_round, has_comment_form)
#: A comment by its public id, with what its author's pages show; who may see it is each view's `allowed`.
OWN_COMMENT = Loader(
    "comment_public_id",
    find_public(
        Comment,
        selectinload(Comment.attachments),
        selectinload(Comment.revisions),
        joinedload(Comment.organisation),
    ),
)
#: A file attached to a comment, by its public id; who may have it is the view's `allowed`.
ATTACHMENT = Loader("attachment_public_id", find_public(Attachment))
