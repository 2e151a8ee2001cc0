"""What stakeholders submit: comments on a round's scope, their history and their attachments."""

from datetime import datetime, timedelta
from pathlib import PurePosixPath

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.database import (
    LabelledEnum,
    TimestampMixin,
    enum_column,
    opaque_id,
    utc_day,
    utcnow,
    values_before_flush,
)
from consult.extensions import db
from consult.filetimes import day_of


class TargetType(LabelledEnum):
    """What a comment is about."""

    round = "round", _l("The round as a whole")
    question = "question", _l("A guiding question")
    cluster = "cluster", _l("A thematic cluster")
    recommendation = "recommendation", _l("A recommendation")
    action = "action", _l("An action of the plan")
    paragraph = "paragraph", _l("A paragraph of the document")


#: The column that names the target of each type; the round as a whole needs none.
TARGET_COLUMNS = {
    TargetType.question: "question_id",
    TargetType.cluster: "cluster_id",
    TargetType.recommendation: "recommendation_id",
    TargetType.action: "action_id",
    TargetType.paragraph: "paragraph_id",
}


def _one_target_check() -> CheckConstraint:
    """Exactly the column that the target type names is set; the others are empty."""
    cases = []
    for target_type in TargetType:
        wanted = TARGET_COLUMNS.get(target_type)
        terms = [f"target_type = '{target_type.value}'"] + [
            f"{column} IS {'NOT ' if column == wanted else ''}NULL" for column in TARGET_COLUMNS.values()
        ]
        cases.append("(" + " AND ".join(terms) + ")")
    return CheckConstraint(" OR ".join(cases), name="one_target")


class Publication(LabelledEnum):
    """How a comment may be shown to the public; it holds on every surface."""

    named = "named", _l("With my name and organisation")
    organisation = "organisation", _l("With my organisation's name only")
    anonymous = "anonymous", _l("Anonymously")
    confidential = "confidential", _l("Confidential to the mechanism")


class Assessment(LabelledEnum):
    """A contributor's view of how far a recommendation or action is implemented."""

    not_started = "not_started", _l("Not started")
    partly = "partly", _l("Partly implemented")
    fully = "fully", _l("Fully implemented")
    dont_know = "dont_know", _l("Don't know")


class CommentState(LabelledEnum):
    """draft → submitted → published | rejected | changes requested; withdrawn by the author."""

    draft = "draft", _l("Draft")
    submitted = "submitted", _l("Awaiting moderation")
    published = "published", _l("Published")
    rejected = "rejected", _l("Not published")
    changes_requested = "changes_requested", _l("Changes requested")
    withdrawn = "withdrawn", _l("Withdrawn")


class Comment(TimestampMixin, db.Model):
    """A stakeholder's input on a round, or on one part of its scope."""

    __tablename__ = "comments"
    __table_args__ = (
        _one_target_check(),
        UniqueConstraint("author_id", "idempotency_key"),
        CheckConstraint("NOT at_risk OR publication = 'confidential'", name="at_risk_is_confidential"),
        CheckConstraint("state = 'draft' OR receipt_number IS NOT NULL", name="submitted_has_receipt"),
        Index("ix_comments_round_state_published", "round_id", "state", "published_at", "id"),
        #: Exports and the API read a round's published comments in id order, in batches, without sorting.
        Index("ix_comments_round_state_id", "round_id", "state", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What public pages, links, feeds and the API call the comment: random, so that it cannot be ordered.
    public_id: Mapped[str] = mapped_column(String(22), unique=True, default=opaque_id)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    #: Empty once the author's account is erased; the comment then stays, anonymous.
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: The organisation the author speaks for, among their confirmed memberships.
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    target_type: Mapped[TargetType] = enum_column(TargetType)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("guiding_questions.id", ondelete="CASCADE"))
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("clusters.id", ondelete="CASCADE"))
    recommendation_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"))
    paragraph_id: Mapped[int | None] = mapped_column(ForeignKey("document_paragraphs.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    #: The text the public sees once a moderator redacted passages; empty when nothing was redacted.
    public_body: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    assessment: Mapped[Assessment | None] = enum_column(Assessment, nullable=True)
    publication: Mapped[Publication] = enum_column(Publication)
    #: "Publishing this could put me at risk": kept confidential and handled with care.
    at_risk: Mapped[bool] = mapped_column(default=False)
    state: Mapped[CommentState] = enum_column(CommentState, default=CommentState.draft)
    #: The number on the receipt, given at first submission.
    receipt_number: Mapped[str | None] = mapped_column(String(24), unique=True)
    #: Sent with the form, so that a double click or a retried request creates one comment.
    idempotency_key: Mapped[str] = mapped_column(String(64))
    #: A hash of the normalised text: how exact duplicates are found.
    content_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaigns.id", ondelete="SET NULL"), index=True
    )
    submitted_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    #: Set when enough readers flagged the comment to hide it until a moderator looks.
    hidden_at: Mapped[datetime | None]
    #: Counts every change, so that two moderators deciding at once cannot both win.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    author = relationship("User", foreign_keys=[author_id])
    organisation = relationship("Organisation", foreign_keys=[organisation_id])

    revisions: Mapped[list["CommentRevision"]] = relationship(
        back_populates="comment", cascade="all, delete-orphan", order_by="CommentRevision.number"
    )
    attachments: Mapped[list["Attachment"]] = relationship(
        back_populates="comment", cascade="all, delete-orphan"
    )

    @property
    def author_name(self) -> str | None:
        """The author's name, unless the account was erased."""
        if self.author is None or self.author.erased_at is not None:
            return None
        return self.author.display_name

    @property
    def organisation_name(self) -> str | None:
        """The name of the organisation the author spoke for."""
        return self.organisation.name if self.organisation is not None else None

    @property
    def public_text(self) -> str:
        """What the public may read: the redacted text where a moderator redacted, else the text."""
        return self.public_body if self.public_body is not None else self.body

    @property
    def needs_care(self) -> bool:
        """Confidential or at risk: staff only, every view audited, listed apart."""
        return self.at_risk or self.publication is Publication.confidential

    @property
    def public_from(self) -> datetime | None:
        """When the public may first see the comment once published: at once with its author's name; the
        next day (00:00 UTC) without it, among the whole day's input, so that watching the pages tells
        nothing finer than the day of an anonymous comment (`comments.public.public_conditions`)."""
        if self.published_at is None or self.publication is Publication.named:
            return self.published_at
        if not current_app.config["UNNAMED_PUBLIC_NEXT_DAY"]:
            return self.published_at
        return day_of(self.published_at) + timedelta(days=1)

    @property
    def is_public(self) -> bool:
        """Whether the public may see the comment at all."""
        return self.public_as(self.state, self.hidden_at, self.publication, self.published_at)

    @staticmethod
    def public_as(
        state: CommentState | None,
        hidden_at: datetime | None,
        publication: Publication | None,
        published_at: datetime | None,
    ) -> bool:
        """Whether a comment with these values is public now: also for the values it had before a change,
        which the page cache asks about (consult/pagecache.py)."""
        if state is not CommentState.published or hidden_at is not None or published_at is None:
            return False
        if publication is Publication.confidential or publication is None:
            return False
        if publication is Publication.named or not current_app.config["UNNAMED_PUBLIC_NEXT_DAY"]:
            return published_at <= utcnow()
        return day_of(published_at) + timedelta(days=1) <= utcnow()

    #: What decides whether a comment is public (`public_as`).
    PUBLIC_COLUMNS = ("state", "hidden_at", "publication", "published_at")

    def written_privately(self) -> bool:
        """For the page cache (consult/pagecache.py): a write that no public page shows, before the change
        or after it (awaiting moderation, confidential, anonymous and not public until tomorrow)."""
        return not (self.is_public or Comment.public_as(*values_before_flush(self, Comment.PUBLIC_COLUMNS)))


#: Public lists read a round's published comments by day, then public id (`comments.public.public_order`):
#: this index gives them in that order, so that a page never sorts the whole round.
Index(
    "ix_comments_round_state_day_public_id",
    Comment.round_id,
    Comment.state,
    utc_day(Comment.published_at),
    Comment.public_id,
)


class CommentRevision(db.Model):
    """A comment as it stood when submitted or resubmitted; moderators see the history."""

    __tablename__ = "comment_revisions"
    __table_args__ = (UniqueConstraint("comment_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    number: Mapped[int]
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    assessment: Mapped[Assessment | None] = enum_column(Assessment, nullable=True)
    publication: Mapped[Publication] = enum_column(Publication)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    comment: Mapped[Comment] = relationship(back_populates="revisions")

    def written_privately(self) -> bool:
        """For the page cache: private when the comment it belongs to is."""
        return self.comment is None or self.comment.written_privately()


class Attachment(db.Model):
    """A file attached to a comment, stored outside the web root under a random name."""

    __tablename__ = "attachments"
    __table_args__ = (CheckConstraint("size_bytes > 0", name="not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What download links call the file: random, so that it cannot be ordered.
    public_id: Mapped[str] = mapped_column(String(22), unique=True, default=opaque_id)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    #: The name shown for download, cleaned of path separators and control characters.
    filename: Mapped[str] = mapped_column(String(200))
    #: Read from the content, never from the name.
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    withheld_at: Mapped[datetime | None]
    withheld_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    withheld_reason: Mapped[str | None] = mapped_column(String(40))

    comment: Mapped[Comment] = relationship(back_populates="attachments")

    def public_name(self, publication: Publication) -> str:
        """The name a reader sees and downloads: as uploaded on a named comment; on an anonymous or
        confidential one a neutral name with the file's type, since people name files after themselves."""
        if publication in (Publication.named, Publication.organisation):
            return self.filename
        suffix = PurePosixPath(self.filename).suffix.lower()
        return f"attachment-{self.public_id[:8]}{suffix if suffix.isascii() and len(suffix) <= 6 else ''}"

    def written_privately(self) -> bool:
        """For the page cache: private when the comment it belongs to is."""
        return self.comment is None or self.comment.written_privately()


class CampaignKind(LabelledEnum):
    """How the members of a campaign were found."""

    exact = "exact", _l("Identical texts")
    near = "near", _l("Near-identical texts")


class Campaign(db.Model):
    """Comments that share one text: counted as one voice with its number of supporters."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    kind: Mapped[CampaignKind] = enum_column(CampaignKind)
    #: The member published on behalf of all, once moderators approve the campaign.
    representative_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="SET NULL", use_alter=True)
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    representative = relationship("Comment", foreign_keys=[representative_id])


class PendingUpload(db.Model):
    """A file sent with a comment form that came back before the comment was saved (an error, a preview, a
    file removed): checked, cleaned and stored already, and kept for the form with the same key, so that
    nobody has to choose it again. It becomes an Attachment when the comment is saved."""

    __tablename__ = "pending_uploads"
    __table_args__ = (
        CheckConstraint("size_bytes > 0", name="not_empty"),
        Index("ix_pending_uploads_author_key", "author_id", "idempotency_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What the form's "Remove" button names: random, so that it cannot be guessed.
    public_id: Mapped[str] = mapped_column(String(22), unique=True, default=opaque_id)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: The key of the comment form the file was sent with (Comment.idempotency_key once it is saved).
    idempotency_key: Mapped[str] = mapped_column(String(64))
    storage_name: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    #: Whether the names inside the document went when it was stored: if not, and the comment it joins is
    #: anonymous or confidential, it is cleaned again then.
    names_removed: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
