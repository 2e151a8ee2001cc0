"""Moderation: decisions with reasons, redaction instead of deletion, the audited view of confidential input.

Two moderators deciding the same comment at the same moment: the comment's version counter (SQLAlchemy's
version_id_col) and the unique (comment, sequence) of decisions let exactly one win; the other is told.

One module per part: decisions, redactions, the queue, readers' flags, appeals, campaigns and transparency.
Callers import the package (`from consult.moderation import services`): it holds every public name.
"""

from consult.moderation.services.appeals import (
    APPEAL_LIFECYCLE,
    appeal,
    decide_appeal,
    notify_appeal_outcome,
    pending_appeals,
)
from consult.moderation.services.campaigns import campaigns_of, detect_campaigns
from consult.moderation.services.decisions import (
    OUTCOMES,
    DecidedMeanwhile,
    decide,
    decide_many,
    notify_author,
)
from consult.moderation.services.flags import (
    counting_flag_ids,
    flag,
    hidden_by_reports,
    open_flags,
    report_counts,
    report_tally,
    resolve_flags,
)
from consult.moderation.services.moderation_queue import history, queue
from consult.moderation.services.redactions import REDACTION_MARK, public_text, redact, withhold_attachment
from consult.moderation.services.transparency import decisions_for_review, figures

__all__ = [
    "APPEAL_LIFECYCLE",
    "OUTCOMES",
    "REDACTION_MARK",
    "DecidedMeanwhile",
    "appeal",
    "campaigns_of",
    "counting_flag_ids",
    "decide",
    "decide_appeal",
    "decide_many",
    "decisions_for_review",
    "detect_campaigns",
    "figures",
    "flag",
    "hidden_by_reports",
    "history",
    "notify_appeal_outcome",
    "notify_author",
    "open_flags",
    "pending_appeals",
    "public_text",
    "queue",
    "redact",
    "report_counts",
    "report_tally",
    "resolve_flags",
    "withhold_attachment",
]
