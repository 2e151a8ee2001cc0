"""The recommendations a State received and the national implementation plan built on them."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from consult.database import LabelledEnum, TimestampMixin, enum_column, non_empty, utcnow
from consult.extensions import db


class Mechanism(LabelledEnum):
    """The three kinds of UN human-rights mechanism that make recommendations."""

    upr = "upr", _l("Universal Periodic Review (UPR)")
    treaty_body = "treaty_body", _l("Treaty bodies")
    special_procedure = "special_procedure", _l("Special procedures")


class Position(LabelledEnum):
    """The State's position on a UPR recommendation."""

    supported = "supported", _l("Supported")
    partially_supported = "partially_supported", _l("Partially supported")
    noted = "noted", _l("Noted")


class ImplementationStatus(LabelledEnum):
    """How far a recommendation or an action has come, as the mechanism records it."""

    not_started = "not_started", _l("Not started")
    in_progress = "in_progress", _l("In progress")
    partially_implemented = "partially_implemented", _l("Partially implemented")
    implemented = "implemented", _l("Implemented")
    no_information = "no_information", _l("No information")


class ActionStatus(LabelledEnum):
    """The state of an action of the plan."""

    planned = "planned", _l("Planned")
    in_progress = "in_progress", _l("In progress")
    completed = "completed", _l("Completed")
    delayed = "delayed", _l("Delayed")
    cancelled = "cancelled", _l("Cancelled")


class TagVocabulary(LabelledEnum):
    """The vocabularies recommendations are tagged with."""

    theme = "theme", _l("Theme")
    affected_group = "affected_group", _l("Affected persons")
    sdg = "sdg", _l("SDG target")
    upr_info_issue = "upr_info_issue", _l("UPR Info issue")


class TagOrigin(LabelledEnum):
    """Whether a tag came with imported data or was set by staff."""

    imported = "imported", _l("Imported")
    staff = "staff", _l("Set by staff")


class IndicatorKind(LabelledEnum):
    """The OHCHR framework of human-rights indicators."""

    structural = "structural", _l("Structural")
    process = "process", _l("Process")
    outcome = "outcome", _l("Outcome")


class PlanVersionState(LabelledEnum):
    """A plan version is edited while a draft and frozen when a round consults it."""

    draft = "draft", _l("Draft")
    frozen = "frozen", _l("Frozen")


class Cluster(TimestampMixin, db.Model):
    """A thematic cluster of recommendations: the plan's unit of work."""

    __tablename__ = "clusters"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[dict[str, str]]
    description: Mapped[dict[str, str] | None]
    position: Mapped[int] = mapped_column(default=0)

    recommendations: Mapped[list["Recommendation"]] = relationship(back_populates="cluster")
    actions: Mapped[list["Action"]] = relationship(back_populates="cluster", order_by="Action.code")


class Recommendation(TimestampMixin, db.Model):
    """A recommendation from a UN mechanism, once, whatever the number of States that made it."""

    __tablename__ = "recommendations"
    __table_args__ = (
        CheckConstraint(
            "upr_info_category IS NULL OR upr_info_category BETWEEN 1 AND 5", name="upr_info_category_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Where the record came from and its key there ("uhri:<AnnotationId>", "upr-info:<hash>", …):
    #: how a re-import finds the same recommendation.
    source_key: Mapped[str] = mapped_column(String(120), unique=True)
    mechanism: Mapped[Mechanism] = enum_column(Mechanism)
    #: "UPR", or the treaty body or special procedure: "CEDAW", "CRC", "SR on torture"…
    body: Mapped[str] = mapped_column(String(80), index=True)
    #: The State the recommendation is addressed to; a deployment may hold other States' for reference.
    state_under_review: Mapped[str | None] = mapped_column(String(80), index=True)
    #: UN document symbol, such as A/HRC/40/8 or CEDAW/C/SVN/CO/7.
    symbol: Mapped[str | None] = mapped_column(String(80), index=True)
    paragraph: Mapped[str | None] = mapped_column(String(20))
    cycle: Mapped[int | None] = mapped_column(index=True)
    session: Mapped[str | None] = mapped_column(String(40))
    issued_on: Mapped[date | None]
    position: Mapped[Position | None] = enum_column(Position, nullable=True)
    #: Where the position was given, such as "A/HRC/40/8/Add.1, para. 5".
    position_source: Mapped[str | None] = mapped_column(String(120))
    #: UPR Info's action category, 1 (minimal action) to 5 (specific action).
    upr_info_category: Mapped[int | None]
    status: Mapped[ImplementationStatus] = enum_column(
        ImplementationStatus, default=ImplementationStatus.no_information
    )
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("clusters.id", ondelete="SET NULL"), index=True)
    #: A hash of the imported record: when a re-import brings the same digest, nothing needs updating.
    import_digest: Mapped[str | None] = mapped_column(String(64))

    cluster: Mapped[Cluster | None] = relationship(back_populates="recommendations")
    texts: Mapped[list["RecommendationText"]] = relationship(
        back_populates="recommendation", cascade="all, delete-orphan"
    )
    recommending_states: Mapped[list["RecommendingState"]] = relationship(
        back_populates="recommendation", cascade="all, delete-orphan", order_by="RecommendingState.state"
    )
    tags: Mapped[list["RecommendationTag"]] = relationship(
        back_populates="recommendation", cascade="all, delete-orphan"
    )
    actions: Mapped[list["Action"]] = relationship(
        secondary="action_recommendations", back_populates="recommendations", order_by="Action.code"
    )


class RecommendationText(db.Model):
    """A recommendation's text in one language; the original is marked."""

    __tablename__ = "recommendation_texts"
    __table_args__ = (UniqueConstraint("recommendation_id", "language"), non_empty("text"))

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    is_original: Mapped[bool] = mapped_column(default=False)

    recommendation: Mapped[Recommendation] = relationship(back_populates="texts")


class RecommendingState(db.Model):
    """A State that made a UPR recommendation; one recommendation often has several."""

    __tablename__ = "recommending_states"
    __table_args__ = (UniqueConstraint("recommendation_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(80), index=True)

    recommendation: Mapped[Recommendation] = relationship(back_populates="recommending_states")


class Tag(db.Model):
    """A term of a vocabulary: a theme, an affected group, an SDG target, a UPR Info issue."""

    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("vocabulary", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vocabulary: Mapped[TagVocabulary] = enum_column(TagVocabulary)
    #: The term's key in its vocabulary: "16.2" for an SDG target, "A12" for an OHCHR theme code.
    code: Mapped[str] = mapped_column(String(120))
    label: Mapped[dict[str, str]]


class RecommendationTag(db.Model):
    """A tag on a recommendation, remembering whether it was imported or set by staff."""

    __tablename__ = "recommendation_tags"

    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    origin: Mapped[TagOrigin] = enum_column(TagOrigin, default=TagOrigin.imported)

    recommendation: Mapped[Recommendation] = relationship(back_populates="tags")
    tag: Mapped[Tag] = relationship()


class ActionRecommendation(db.Model):
    """An action of the plan answers one or more recommendations."""

    __tablename__ = "action_recommendations"

    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Action(TimestampMixin, db.Model):
    """A measure of the national implementation plan."""

    __tablename__ = "actions"
    __table_args__ = (
        CheckConstraint("due_on IS NULL OR start_on IS NULL OR due_on >= start_on", name="due_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("clusters.id", ondelete="SET NULL"), index=True)
    title: Mapped[dict[str, str]]
    description: Mapped[dict[str, str] | None]
    responsible_entity: Mapped[str] = mapped_column(String(200))
    #: Other entities involved, as the plan lists them.
    partners: Mapped[str | None] = mapped_column(String(500))
    start_on: Mapped[date | None]
    due_on: Mapped[date | None]
    status: Mapped[ActionStatus] = enum_column(ActionStatus, default=ActionStatus.planned)

    cluster: Mapped[Cluster | None] = relationship(back_populates="actions")
    recommendations: Mapped[list[Recommendation]] = relationship(
        secondary="action_recommendations", back_populates="actions"
    )
    indicators: Mapped[list["Indicator"]] = relationship(back_populates="action")


class Indicator(TimestampMixin, db.Model):
    """A structural, process or outcome indicator that measures an action or a cluster."""

    __tablename__ = "indicators"
    __table_args__ = (
        CheckConstraint("action_id IS NOT NULL OR cluster_id IS NOT NULL", name="measures_something"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), index=True)
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("clusters.id", ondelete="CASCADE"), index=True)
    kind: Mapped[IndicatorKind] = enum_column(IndicatorKind)
    title: Mapped[dict[str, str]]
    unit: Mapped[str | None] = mapped_column(String(60))
    baseline: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    baseline_year: Mapped[int | None]
    target: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    target_year: Mapped[int | None]
    source: Mapped[str | None] = mapped_column(String(200))
    #: The breakdowns the values come in, comma-separated: "sex, age, disability". Sex at least.
    disaggregation: Mapped[str | None] = mapped_column(String(200))

    action: Mapped[Action | None] = relationship(back_populates="indicators")
    values: Mapped[list["IndicatorValue"]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan", order_by="IndicatorValue.period"
    )

    @property
    def latest(self) -> "IndicatorValue | None":
        """The most recent total (no breakdown), else the most recent value of any breakdown."""
        totals = [value for value in self.values if not value.breakdown]
        return (totals or self.values or [None])[-1]


class IndicatorValue(db.Model):
    """A reported value of an indicator for a period, overall or for one breakdown."""

    __tablename__ = "indicator_values"
    __table_args__ = (UniqueConstraint("indicator_id", "period", "breakdown"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    period: Mapped[date]
    #: "" for the total, else "sex=female", "age=0-17"…
    breakdown: Mapped[str] = mapped_column(String(120), default="")
    value: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    note: Mapped[str | None] = mapped_column(String(300))
    reported_at: Mapped[datetime] = mapped_column(default=utcnow)

    indicator: Mapped[Indicator] = relationship(back_populates="values")


class PlanVersion(TimestampMixin, db.Model):
    """A numbered version of the plan; a round consults a frozen one, and the next shows what changed."""

    __tablename__ = "plan_versions"
    __table_args__ = (non_empty("label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    label: Mapped[str] = mapped_column(String(120))
    state: Mapped[PlanVersionState] = enum_column(PlanVersionState, default=PlanVersionState.draft)
    frozen_at: Mapped[datetime | None]
    frozen_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: The clusters, actions, statuses and links as they stood when frozen: what a diff compares.
    snapshot: Mapped[dict[str, Any] | None]
