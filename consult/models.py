"""Every model, imported in one place so that Alembic and the CLI see the whole schema."""

from consult.accounts.models import PendingNotice, RecoveryCode, StaffRole, StaffRoleName, User
from consult.api.models import ApiToken
from consult.audit import AuditEvent
from consult.comments.models import Attachment, Campaign, Comment, CommentRevision
from consult.moderation.models import Appeal, Flag, ModerationDecision, Redaction
from consult.organisations.models import Membership, Organisation
from consult.plan.models import (
    Action,
    ActionRecommendation,
    Cluster,
    Indicator,
    IndicatorValue,
    PlanVersion,
    Recommendation,
    RecommendationTag,
    RecommendationText,
    RecommendingState,
    Tag,
)
from consult.rounds.models import (
    DocumentParagraph,
    GuidingQuestion,
    Round,
    RoundAction,
    RoundCluster,
    RoundDocument,
    RoundInvitation,
    RoundRecommendation,
    RoundSummariser,
)
from consult.summaries.models import Citation, Response, Summary, SummarySection, SummaryVersion

__all__ = [
    "Action",
    "ActionRecommendation",
    "ApiToken",
    "Appeal",
    "Attachment",
    "AuditEvent",
    "Campaign",
    "Citation",
    "Cluster",
    "Comment",
    "CommentRevision",
    "DocumentParagraph",
    "Flag",
    "GuidingQuestion",
    "Indicator",
    "IndicatorValue",
    "Membership",
    "ModerationDecision",
    "Organisation",
    "PendingNotice",
    "PlanVersion",
    "Recommendation",
    "RecommendationTag",
    "RecommendationText",
    "RecommendingState",
    "RecoveryCode",
    "Redaction",
    "Response",
    "Round",
    "RoundAction",
    "RoundCluster",
    "RoundDocument",
    "RoundInvitation",
    "RoundRecommendation",
    "RoundSummariser",
    "StaffRole",
    "StaffRoleName",
    "Summary",
    "SummarySection",
    "SummaryVersion",
    "Tag",
    "User",
]
