"""Consultation rounds: what is open for comment, to whom, when, and how it is moderated."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from consult.accounts.models import STAFF_ELSEWHERE, User
from consult.database import LabelledEnum, TimestampMixin, enum_column, non_empty, utcnow
from consult.extensions import db
from consult.plan.models import Action, Cluster, PlanVersion, Recommendation


class Stage(LabelledEnum):
    """The three points of a review cycle at which the mechanism consults."""

    pre_review = "pre_review", _l("Pre-review")
    mid_term = "mid_term", _l("Mid-term")
    pre_report = "pre_report", _l("Pre-report")


class RoundState(LabelledEnum):
    """draft → scheduled → open → closed → summarising → published, and cancelled."""

    draft = "draft", _l("Draft")
    scheduled = "scheduled", _l("Scheduled")
    open = "open", _l("Open")
    closed = "closed", _l("Closed")
    summarising = "summarising", _l("Summarising")
    published = "published", _l("Published")
    cancelled = "cancelled", _l("Cancelled")


class Eligibility(LabelledEnum):
    """Who may take part in a round."""

    public = "public", _l("Anyone with a verified account")
    verified_organisations = "verified_organisations", _l("Members of verified organisations")
    invited = "invited", _l("Invited organisations only")


class ModerationMode(LabelledEnum):
    """Pre-moderation publishes nothing before approval; post-moderation publishes at once."""

    pre = "pre", _l("Pre-moderation")
    post = "post", _l("Post-moderation")


class Round(TimestampMixin, db.Model):
    """A consultation round at one stage of one cycle."""

    __tablename__ = "rounds"
    __table_args__ = (
        CheckConstraint("closes_at > opens_at", name="closes_after_opening"),
        non_empty("slug"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    stage: Mapped[Stage] = enum_column(Stage)
    cycle: Mapped[int]
    title: Mapped[dict[str, str]]
    description: Mapped[dict[str, str] | None]
    plan_version_id: Mapped[int | None] = mapped_column(ForeignKey("plan_versions.id", ondelete="RESTRICT"))
    eligibility: Mapped[Eligibility] = enum_column(Eligibility, default=Eligibility.public)
    moderation_mode: Mapped[ModerationMode] = enum_column(ModerationMode, default=ModerationMode.pre)
    summariser_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    opens_at: Mapped[datetime] = mapped_column(index=True)
    closes_at: Mapped[datetime] = mapped_column(index=True)
    #: The IANA time zone the deadline is announced in, such as "Europe/Ljubljana".
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    state: Mapped[RoundState] = enum_column(RoundState, default=RoundState.draft, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    plan_version: Mapped[PlanVersion | None] = relationship()
    clusters: Mapped[list[Cluster]] = relationship(secondary="round_clusters")
    recommendations: Mapped[list[Recommendation]] = relationship(secondary="round_recommendations")
    actions: Mapped[list[Action]] = relationship(secondary="round_actions")
    questions: Mapped[list["GuidingQuestion"]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="GuidingQuestion.position"
    )
    #: The documents open for comment now; one replaced after opening stays (`earlier_documents`), so that
    #: no comment on its paragraphs loses what it was about.
    documents: Mapped[list["RoundDocument"]] = relationship(
        back_populates="round",
        cascade="all, delete-orphan",
        primaryjoin="and_(Round.id == RoundDocument.round_id, RoundDocument.replaced_by_id.is_(None))",
        order_by="RoundDocument.id",
    )
    earlier_documents: Mapped[list["RoundDocument"]] = relationship(
        primaryjoin="and_(Round.id == RoundDocument.round_id, RoundDocument.replaced_by_id.is_not(None))",
        order_by="RoundDocument.id",
        viewonly=True,
    )
    #: The public change log, newest first.
    changes: Mapped[list["RoundChange"]] = relationship(order_by="RoundChange.id.desc()", viewonly=True)
    summarisers: Mapped[list["User"]] = relationship(
        "User", secondary="round_summarisers", viewonly=True, order_by="User.display_name"
    )


class RoundCluster(db.Model):
    """A cluster open for comment in a round."""

    __tablename__ = "round_clusters"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("clusters.id", ondelete="CASCADE"), primary_key=True)


class RoundRecommendation(db.Model):
    """A recommendation open for comment in a round."""

    __tablename__ = "round_recommendations"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class RoundAction(db.Model):
    """An action of the plan open for comment in a round."""

    __tablename__ = "round_actions"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True)


class RoundInvitation(db.Model):
    """An organisation invited to a round; the only ones who may take part in an invited round."""

    __tablename__ = "round_invitations"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    #: When the invitation e-mail and the three-day reminder went out.
    notified_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]


class RoundSummariser(db.Model):
    """A person named to draft and publish a round's summary."""

    __tablename__ = "round_summarisers"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    #: The person; the rounds they summarise are `user.summariser_of` (declared here: accounts, below,
    #: knows no round).
    user: Mapped[User] = relationship(
        backref=backref("summariser_of", lazy="selectin", viewonly=True), viewonly=True
    )


def _summarises_a_round(user: User) -> bool:
    return bool(user.summariser_of)


# A round's summarisers are staff: they sign in with two factors (consult.accounts.models.STAFF_ELSEWHERE).
STAFF_ELSEWHERE.append(_summarises_a_round)


class GuidingQuestion(db.Model):
    """A question the mechanism asks the participants of a round."""

    __tablename__ = "guiding_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[dict[str, str]]

    round: Mapped[Round] = relationship(back_populates="questions")


class RoundDocument(TimestampMixin, db.Model):
    """A draft text open for comment paragraph by paragraph, such as the draft mid-term report."""

    __tablename__ = "round_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    title: Mapped[dict[str, str]]
    language: Mapped[str] = mapped_column(String(8))
    #: The name of the uploaded file it was read from, if any.
    source_name: Mapped[str | None] = mapped_column(String(200))
    #: The document that took its place after the round opened; it stays readable, with its comments.
    replaced_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("round_documents.id", ondelete="SET NULL"), index=True
    )
    replaced_at: Mapped[datetime | None]

    round: Mapped[Round] = relationship(back_populates="documents")
    replaced_by: Mapped["RoundDocument | None"] = relationship(remote_side=[id], viewonly=True)
    paragraphs: Mapped[list["DocumentParagraph"]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="DocumentParagraph.number"
    )


class DocumentParagraph(db.Model):
    """A numbered paragraph of a round's document."""

    __tablename__ = "document_paragraphs"
    __table_args__ = (UniqueConstraint("document_id", "number"), non_empty("text"))

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("round_documents.id", ondelete="CASCADE"))
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text)

    document: Mapped[RoundDocument] = relationship(back_populates="paragraphs")


class ChangedPart(LabelledEnum):
    """What part of a round a public change concerns (told in words by consult.rounds.editing.describe)."""

    title = "title"
    introduction = "introduction"
    question = "question"
    questions = "questions"
    document = "document"


class ChangeKind(LabelledEnum):
    """How a part of a round changed."""

    added = "added"
    corrected = "corrected"
    removed = "removed"
    reordered = "reordered"
    replaced = "replaced"


class RoundChange(db.Model):
    """One change to an opened round's texts, questions or documents, in the public change log. The public
    reads its day only; who made it is in the audit trail."""

    __tablename__ = "round_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    part: Mapped[ChangedPart] = enum_column(ChangedPart)
    change: Mapped[ChangeKind] = enum_column(ChangeKind)
    #: The language codes of the texts that changed, comma-separated ("fr,zh"); none for an order or a file.
    languages: Mapped[str | None] = mapped_column(String(40))
    #: The guiding question's number when it changed, counted from 1.
    number: Mapped[int | None]
    #: The document's title, as it was shown when it changed.
    subject: Mapped[dict[str, str] | None]
    #: The guiding question corrected, so that comments written before the correction keep what was asked.
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("guiding_questions.id", ondelete="SET NULL"), index=True
    )
    #: A corrected question's wording before and after, in every language it had: the public reads both.
    before: Mapped[dict[str, str] | None]
    after: Mapped[dict[str, str] | None]
