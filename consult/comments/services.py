"""Taking part: drafts, submission with a receipt, edits and withdrawal while the round is open.

A submission carries an idempotency key from its form: a double click, a back-and-resubmit or a retried
request finds the comment the first one made (a unique constraint decides between concurrent ones).
"""

import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from consult import audit
from consult.accounts.models import User
from consult.comments.models import (
    TARGET_COLUMNS,
    Assessment,
    Attachment,
    Campaign,
    Comment,
    CommentRevision,
    CommentState,
    Publication,
    TargetType,
)
from consult.comments.public import after_position, one_voice, public_conditions, public_order
from consult.database import opaque_id, utcnow
from consult.errors import DomainError, PermissionDenied
from consult.extensions import db
from consult.i18n import has_visible_text
from consult.lifecycle import Lifecycle
from consult.organisations.models import Organisation, confirmed_organisations
from consult.plan.models import Action, Recommendation
from consult.rounds.models import (
    DocumentParagraph,
    GuidingQuestion,
    ModerationMode,
    Round,
    RoundAction,
    RoundCluster,
    RoundDocument,
    RoundRecommendation,
    RoundState,
)
from consult.rounds.permissions import can_take_part
from consult.rounds.services import accepts_input
from consult.uploads import attachments
from consult.uploads.attachments import MAX_FILES

COMMENT_LIFECYCLE = Lifecycle(
    {
        CommentState.draft: {CommentState.submitted, CommentState.published},
        # A submitted comment is edited (stays submitted), decided, or withdrawn by its author.
        CommentState.submitted: {
            CommentState.submitted,
            CommentState.published,
            CommentState.rejected,
            CommentState.changes_requested,
            CommentState.withdrawn,
        },
        # A published one may be edited (back to moderation, or published again under post-moderation),
        # sent back, removed, or withdrawn; approving it again clears flags.
        CommentState.published: {
            CommentState.published,
            CommentState.submitted,
            CommentState.changes_requested,
            CommentState.rejected,
            CommentState.withdrawn,
        },
        CommentState.changes_requested: {
            CommentState.submitted,
            CommentState.published,
            CommentState.rejected,
            CommentState.withdrawn,
        },
        # Reinstated on appeal.
        CommentState.rejected: {CommentState.published},
    }
)

MAX_LENGTH = 5000
#: "With my organisation's name only" while speaking for oneself only: the form says the same.
NO_ORGANISATION_TO_SHOW = _l(
    "“With my organisation's name only” needs an organisation: choose it under “Speaking for”, or choose "
    "another way to publish."
)
#: Targets that may carry an assessment of implementation.
ASSESSABLE = (TargetType.recommendation, TargetType.action)


@dataclass
class Draft:
    """What the comment form holds."""

    target_type: TargetType
    target_id: int | None
    body: str
    language: str
    publication: Publication
    at_risk: bool = False
    assessment: Assessment | None = None
    organisation_id: int | None = None


def in_scope(round_: Round, target_type: TargetType, target_id: int | None) -> bool:
    """Whether the target is part of the round's scope, open for new comments: one small query, whatever the
    scope's size. Nothing about a target outside it is shown on the round's form, not even its name."""
    if target_type is TargetType.round:
        return True
    in_clusters = select(RoundCluster.cluster_id).where(RoundCluster.round_id == round_.id)
    condition = {
        TargetType.cluster: exists().where(
            RoundCluster.round_id == round_.id, RoundCluster.cluster_id == target_id
        ),
        TargetType.recommendation: or_(
            exists().where(
                RoundRecommendation.round_id == round_.id, RoundRecommendation.recommendation_id == target_id
            ),
            exists().where(Recommendation.id == target_id, Recommendation.cluster_id.in_(in_clusters)),
        ),
        TargetType.action: or_(
            exists().where(RoundAction.round_id == round_.id, RoundAction.action_id == target_id),
            exists().where(Action.id == target_id, Action.cluster_id.in_(in_clusters)),
        ),
        TargetType.question: exists().where(
            GuidingQuestion.id == target_id, GuidingQuestion.round_id == round_.id
        ),
        TargetType.paragraph: exists().where(
            DocumentParagraph.id == target_id,
            DocumentParagraph.document_id == RoundDocument.id,
            RoundDocument.round_id == round_.id,
            # A replaced text stays readable with its comments, but takes no new ones.
            RoundDocument.replaced_by_id.is_(None),
        ),
    }[target_type]
    return bool(db.session.scalar(select(condition)))


#: The refusal of a target outside the round's scope: it names nothing.
NOT_IN_SCOPE = _l("This is not open for comment in this round.")


def _check_target(round_: Round, target_type: TargetType, target_id: int | None) -> None:
    """The target must be part of the round's scope."""
    if not in_scope(round_, target_type, target_id):
        raise DomainError(str(NOT_IN_SCOPE))


def _check_draft(user: User, draft: Draft) -> None:
    """Rules of the form's content that the form alone cannot know."""
    body = draft.body.strip()
    if not has_visible_text(body):
        raise DomainError(_("Write your comment."), field="body")
    if len(body) > MAX_LENGTH:
        raise DomainError(
            _("The comment is %(n)d characters long; the limit is %(max)d.", n=len(body), max=MAX_LENGTH),
            field="body",
        )
    if draft.assessment is not None and draft.target_type not in ASSESSABLE:
        raise DomainError(
            _("An assessment can be given only on a recommendation or an action."), field="assessment"
        )
    organisations = {o.id for o in confirmed_organisations(user)}
    if draft.organisation_id is not None and draft.organisation_id not in organisations:
        raise DomainError(
            _("You can speak only for an organisation that confirmed you as a member."), field="organisation"
        )
    if draft.publication is Publication.organisation and draft.organisation_id is None and not draft.at_risk:
        raise DomainError(str(NO_ORGANISATION_TO_SHOW), field="organisation")


def preview(user: User, round_: Round, draft: Draft, now: datetime | None = None) -> Comment:
    """The comment the form holds, checked as a submission is but never saved: what the public would read
    (consult.comments.pending gives its files). Kept out of the session."""
    _ensure_may_take_part(user, round_, now)
    _check_target(round_, draft.target_type, draft.target_id)
    _check_draft(user, draft)
    comment = Comment(round_id=round_.id, author_id=user.id, public_id="preview", state=CommentState.draft)
    _apply(comment, draft)
    comment.author = user
    comment.organisation = (
        db.session.get(Organisation, draft.organisation_id) if draft.organisation_id else None
    )
    return comment


def open_rounds_on(recommendation: Recommendation, now: datetime | None = None) -> list[Round]:
    """The rounds open for comment now whose scope holds the recommendation, by name or by its cluster."""
    named = exists().where(
        RoundRecommendation.round_id == Round.id, RoundRecommendation.recommendation_id == recommendation.id
    )
    by_cluster = exists().where(
        RoundCluster.round_id == Round.id, RoundCluster.cluster_id == recommendation.cluster_id
    )
    candidates = db.session.scalars(
        select(Round)
        .where(Round.state.in_((RoundState.scheduled, RoundState.open)), or_(named, by_cluster))
        .order_by(Round.closes_at)
    )
    return [round_ for round_ in candidates if accepts_input(round_, now)]


def _apply(comment: Comment, draft: Draft) -> None:
    """Copy the form's content onto the comment, with the target in its own column."""
    comment.target_type = draft.target_type
    for target_type, column in TARGET_COLUMNS.items():
        setattr(comment, column, draft.target_id if target_type is draft.target_type else None)
    comment.body = draft.body.strip()
    comment.language = draft.language
    publication = Publication.confidential if draft.at_risk else draft.publication
    if comment.publication is not None and publication is not comment.publication:
        rename_publicly(comment)
    comment.publication = publication
    comment.at_risk = draft.at_risk
    comment.assessment = draft.assessment
    comment.organisation_id = draft.organisation_id


def rename_publicly(comment: Comment) -> None:
    """New public ids for a comment and its files whose publication changes: whoever kept a link, a feed
    entry or an export row of it as named must not find the same id on it as anonymous."""
    comment.public_id = opaque_id()
    for attachment in comment.attachments:
        attachment.public_id = opaque_id()


def new_receipt_number() -> str:
    """A receipt number that is short to read out and hard to guess: R-2026-7KQ4-9XMD."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    code = "".join(secrets.choice(alphabet) for _ in range(8))
    return f"R-{utcnow().year}-{code[:4]}-{code[4:]}"


def find_by_key(user: User, key: str) -> Comment | None:
    """The comment this person's form with this key already made, if any."""
    return db.session.scalar(
        select(Comment).where(Comment.author_id == user.id, Comment.idempotency_key == key)
    )


def _ensure_may_take_part(user: User, round_: Round, now: datetime | None) -> None:

    if not can_take_part(user, round_):
        raise PermissionDenied(_("Your account may not take part in this round."))
    if not accepts_input(round_, now):
        raise DomainError(_("The round is closed: nothing more can be submitted or changed."))


def _record_revision(comment: Comment) -> None:
    number = len(comment.revisions) + 1
    comment.revisions.append(
        CommentRevision(
            number=number,
            body=comment.body,
            language=comment.language,
            assessment=comment.assessment,
            publication=comment.publication,
        )
    )


def save_draft(user: User, round_: Round, key: str, draft: Draft, now: datetime | None = None) -> Comment:
    """Keep unfinished work; a draft is seen by its author only."""
    _ensure_may_take_part(user, round_, now)
    _check_target(round_, draft.target_type, draft.target_id)
    _check_draft(user, draft)
    comment = find_by_key(user, key)
    if comment is not None and comment.state is not CommentState.draft:
        return comment
    if comment is None:
        comment = Comment(
            round_id=round_.id, author_id=user.id, idempotency_key=key, state=CommentState.draft
        )
        _apply(comment, draft)
        db.session.add(comment)
        audit.record(user, "comment.save_draft", comment)
    else:
        _apply(comment, draft)
    return comment


def submit(
    user: User, round_: Round, key: str, draft: Draft, now: datetime | None = None
) -> tuple[Comment, bool]:
    """Submit (or, for a draft saved with the same key, submit the draft); the second of two identical
    requests gets the first one's comment. Returns the comment and whether this call submitted it."""
    existing = find_by_key(user, key)
    if existing is not None and existing.state is not CommentState.draft:
        return existing, False
    _ensure_may_take_part(user, round_, now)
    _check_target(round_, draft.target_type, draft.target_id)
    _check_draft(user, draft)
    comment = existing or Comment(
        round_id=round_.id, author_id=user.id, idempotency_key=key, state=CommentState.draft
    )
    _apply(comment, draft)
    comment.receipt_number = new_receipt_number()
    comment.submitted_at = utcnow()
    target = (
        CommentState.published if round_.moderation_mode is ModerationMode.post else CommentState.submitted
    )
    if target is CommentState.published:
        comment.published_at = comment.submitted_at
    if existing is None:
        db.session.add(comment)
    _record_revision(comment)
    try:
        # A new comment is written once, already submitted: the audit event's flush inserts it.
        COMMENT_LIFECYCLE.apply(comment, target, user, "comment.submit", receipt=comment.receipt_number)
        db.session.flush()
    except IntegrityError:
        # The same form, sent twice at the same moment: the other request won. This transaction has only
        # read so far, so it is rolled back whole (SQLite's driver cannot be trusted with a SAVEPOINT) and
        # the winner's comment is the answer.
        db.session.rollback()
        winner = find_by_key(user, key)
        if winner is None:
            raise
        return winner, False
    return comment, True


def edit(user: User, comment: Comment, draft: Draft, now: datetime | None = None) -> None:
    """Change a submitted comment while the round is open; the history stays for moderators. Under
    pre-moderation the change waits for a moderator again."""
    round_ = db.session.get(Round, comment.round_id)
    if comment.author_id != user.id:
        raise PermissionDenied(_("Only the author can change a comment."))
    _ensure_may_take_part(user, round_, now)
    if comment.state in (CommentState.withdrawn, CommentState.rejected, CommentState.draft):
        raise DomainError(_("This comment can no longer be changed."))
    _check_target(round_, draft.target_type, draft.target_id)
    _check_draft(user, draft)
    _apply(comment, draft)
    _record_revision(comment)
    comment.public_body = None  # redactions were of the old text; moderators look again
    if round_.moderation_mode is ModerationMode.post and comment.state is CommentState.published:
        COMMENT_LIFECYCLE.apply(comment, CommentState.published, user, "comment.edit")
    else:
        COMMENT_LIFECYCLE.apply(comment, CommentState.submitted, user, "comment.edit")
        comment.published_at = None


def withdraw(user: User, comment: Comment, now: datetime | None = None) -> None:
    """The author takes a comment back while the round is open."""
    round_ = db.session.get(Round, comment.round_id)
    if comment.author_id != user.id:
        raise PermissionDenied(_("Only the author can withdraw a comment."))
    if not accepts_input(round_, now):
        raise DomainError(_("The round is closed: nothing more can be submitted or changed."))
    COMMENT_LIFECYCLE.apply(comment, CommentState.withdrawn, user, "comment.withdraw")
    comment.published_at = None


def discard_draft(user: User, comment: Comment) -> None:
    """Throw a draft away."""
    if comment.author_id != user.id or comment.state is not CommentState.draft:
        raise PermissionDenied(_("Only the author can discard a draft."))
    audit.record(user, "comment.discard_draft", comment)
    db.session.delete(comment)


def attach(user: User, comment: Comment, stored: list) -> list[Attachment]:
    """Record files already checked and stored (consult.uploads.attachments, or waiting for the form:
    consult.comments.pending) as the comment's attachments; the new attachments, in the same order."""

    if len(comment.attachments) + len(stored) > MAX_FILES:
        raise DomainError(
            _("A comment can have at most %(n)d attachments.", n=MAX_FILES), field="attachments"
        )
    added = [
        Attachment(
            # A file kept for the form keeps the public id its preview showed: its neutral public name
            # (Attachment.public_name) is the one the preview gave.
            public_id=getattr(item, "public_id", None) or opaque_id(),
            storage_name=item.storage_name,
            filename=item.filename,
            content_type=item.content_type,
            size_bytes=item.size_bytes,
            sha256=item.sha256,
        )
        for item in stored
    ]
    comment.attachments.extend(added)
    if stored:
        audit.record(user, "comment.attach", comment, after={"files": [item.filename for item in stored]})
    return added


#: Publications under which the documents attached to a comment name nobody inside, whatever the setting.
_UNNAMED = (Publication.anonymous, Publication.confidential)


def files_lose_names(publication: Publication, at_risk: bool, clean_all: bool) -> bool:
    """Whether a comment's documents must lose the names inside them (tracked changes, comments, notes,
    annotations): an anonymous or confidential comment's always, every comment's where clean_all."""
    return clean_all or at_risk or publication in _UNNAMED


def replace_file(attachment: Attachment, cleaned: attachments.StoredFile) -> str:
    """Point an attachment at a cleaned copy of its file; the replaced file's storage name, which the caller
    deletes once the change is committed."""
    replaced = attachment.storage_name
    attachment.storage_name, attachment.size_bytes, attachment.sha256 = (
        cleaned.storage_name,
        cleaned.size_bytes,
        cleaned.sha256,
    )
    return replaced


@dataclass
class Recleaned:
    """What clean_attachments did: files replaced by cleaned copies (to delete once committed), and the
    attachments that could not be cleaned (public ids), for staff to withhold."""

    replaced: list[str]
    refused: list[str]


def clean_attachments(folder: Path, clean_all: bool) -> Recleaned:
    """Clean every stored attachment again with today's cleaners, as its comment's publication requires:
    files attached before them lose the names inside them and what acts when opened."""
    result = Recleaned(replaced=[], refused=[])
    for attachment in db.session.scalars(
        select(Attachment).options(joinedload(Attachment.comment)).order_by(Attachment.id)
    ):
        comment = attachment.comment
        if not attachments.path_of(attachment.storage_name, folder).exists():
            continue
        try:
            cleaned = attachments.clean_stored(
                attachment.storage_name,
                attachment.filename,
                attachment.content_type,
                folder,
                remove_names=files_lose_names(comment.publication, comment.at_risk, clean_all),
            )
        except attachments.AttachmentRefused:
            result.refused.append(attachment.public_id)
            continue
        if cleaned.sha256 == attachment.sha256:  # already clean: the cleaners write the same bytes again
            attachments.delete(cleaned.storage_name, folder)
            continue
        result.replaced.append(replace_file(attachment, cleaned))
    db.session.flush()
    return result


#: Published comments on a round's page, a page at a time.
PAGE_SIZE = 20


def published_comments(
    round_id: int, before: tuple[datetime, str] | None = None, limit: int = PAGE_SIZE
) -> list[Comment]:
    """A round's public comments, newest day first and within a day by public id (public_order), after a
    (published_at, public id) position: keyset pagination. Confidential and hidden comments never appear."""

    query = (
        select(Comment)
        .where(Comment.round_id == round_id, *public_conditions(), one_voice())
        .options(
            joinedload(Comment.author), joinedload(Comment.organisation), selectinload(Comment.attachments)
        )
        .order_by(*public_order())
        .limit(limit)
    )
    if (older := after_position(before)) is not None:
        query = query.where(older)
    return list(db.session.scalars(query))


def supporters(comment_ids: list[int]) -> dict[int, int]:
    """For comments that represent a campaign: how many public comments it gathers (a confidential or hidden
    letter is no one's business). Two small queries, the page's campaigns first: a join would make SQLite
    scan every comment of a large round."""

    campaigns = dict(
        db.session.execute(
            select(Campaign.representative_id, Campaign.id).where(Campaign.representative_id.in_(comment_ids))
        ).all()
    )
    if not campaigns:
        return {}
    counts = dict(
        db.session.execute(
            select(Comment.campaign_id, func.count(Comment.id))
            .where(Comment.campaign_id.in_(list(campaigns.values())), *public_conditions())
            .group_by(Comment.campaign_id)
        ).all()
    )
    return {representative: counts.get(campaign, 0) for representative, campaign in campaigns.items()}


def record_view(moderator: Any, comment: Comment) -> None:
    """Every view of confidential or at-risk input by staff is an audit event."""
    if comment.needs_care and moderator.id != comment.author_id:
        audit.record(moderator, "comment.view_confidential", comment)
