"""Summaries of what was heard, and the mechanism's answers to them."""

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.comments.models import TargetType
from consult.database import LabelledEnum, TimestampMixin, enum_column, non_empty, utcnow
from consult.extensions import db

#: The longest tag a summariser may put on a comment.
MAX_TAG = 40


class SummaryState(LabelledEnum):
    """draft → published; a published summary changes only by a new version."""

    draft = "draft", _l("Draft")
    published = "published", _l("Published")


class ResponseOutcome(LabelledEnum):
    """What the mechanism did with a point it heard."""

    taken_into_account = "taken_into_account", _l("Taken into account")
    partly = "partly", _l("Partly taken into account")
    not_taken_into_account = "not_taken_into_account", _l("Not taken into account")
    under_consideration = "under_consideration", _l("Under consideration")


class Summary(TimestampMixin, db.Model):
    """One author's summary of a round's input; the NHRI's and the mechanism's may stand side by side."""

    __tablename__ = "summaries"
    __table_args__ = (non_empty("title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8))
    introduction: Mapped[str | None] = mapped_column(Text)
    state: Mapped[SummaryState] = enum_column(SummaryState, default=SummaryState.draft)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    sections: Mapped[list["SummarySection"]] = relationship(
        back_populates="summary", cascade="all, delete-orphan", order_by="SummarySection.position"
    )
    versions: Mapped[list["SummaryVersion"]] = relationship(
        back_populates="summary", cascade="all, delete-orphan", order_by="SummaryVersion.number"
    )


class SummarySection(db.Model):
    """A point of a summary about one cluster, recommendation, question or paragraph (or the round)."""

    __tablename__ = "summary_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    summary_id: Mapped[int] = mapped_column(ForeignKey("summaries.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    target_type: Mapped[TargetType] = enum_column(TargetType)
    question_id: Mapped[int | None] = mapped_column(ForeignKey("guiding_questions.id", ondelete="SET NULL"))
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("clusters.id", ondelete="SET NULL"))
    recommendation_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendations.id", ondelete="SET NULL"), index=True
    )
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id", ondelete="SET NULL"))
    paragraph_id: Mapped[int | None] = mapped_column(
        ForeignKey("document_paragraphs.id", ondelete="SET NULL")
    )
    heading: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")

    summary: Mapped[Summary] = relationship(back_populates="sections")
    citations: Mapped[list["Citation"]] = relationship(back_populates="section", cascade="all, delete-orphan")


class Citation(db.Model):
    """A comment quoted in a summary section; shown as its publication choice allows."""

    __tablename__ = "citations"
    __table_args__ = (UniqueConstraint("section_id", "comment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("summary_sections.id", ondelete="CASCADE"))
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    #: The passage quoted, from the comment's public text.
    quote: Mapped[str | None] = mapped_column(Text)

    section: Mapped[SummarySection] = relationship(back_populates="citations")


class CommentTag(db.Model):
    """A word a summary's writers put on a comment to sort the input by (their working notes, never public):
    one row per comment and word, within one summary."""

    __tablename__ = "comment_tags"
    __table_args__ = (UniqueConstraint("summary_id", "comment_id", "name"), non_empty("name"))

    id: Mapped[int] = mapped_column(primary_key=True)
    summary_id: Mapped[int] = mapped_column(ForeignKey("summaries.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(MAX_TAG))


class SummaryVersion(db.Model):
    """A published version of a summary, frozen; a correction is a new version with a change note."""

    __tablename__ = "summary_versions"
    __table_args__ = (UniqueConstraint("summary_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    summary_id: Mapped[int] = mapped_column(ForeignKey("summaries.id", ondelete="CASCADE"))
    number: Mapped[int]
    #: The introduction, sections and citations as published, already rendered for the public.
    content: Mapped[dict[str, Any]]
    change_note: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    summary: Mapped[Summary] = relationship(back_populates="versions")


class Response(TimestampMixin, db.Model):
    """The mechanism's answer to a summary point or about a recommendation: what it did with the input."""

    __tablename__ = "responses"
    __table_args__ = (
        CheckConstraint("section_id IS NOT NULL OR recommendation_id IS NOT NULL", name="answers_something"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int | None] = mapped_column(ForeignKey("summary_sections.id", ondelete="CASCADE"))
    recommendation_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    outcome: Mapped[ResponseOutcome] = enum_column(ResponseOutcome)
    explanation: Mapped[dict[str, str]]
    responsible_entity: Mapped[str | None] = mapped_column(String(200))
    responded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
