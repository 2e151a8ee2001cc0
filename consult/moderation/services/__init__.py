"""Moderation: decisions with reasons, redaction instead of deletion, the audited view of confidential input.

Two moderators deciding the same comment at the same moment: the comment's version counter (SQLAlchemy's
version_id_col) and the unique (comment, sequence) of decisions let exactly one win; the other is told.

One module per part: decisions, redactions, the queue, readers' flags, appeals, campaigns and transparency.
Callers import the package (`from consult.moderation import services`): it holds every public name.
"""

from consult.moderation.services.appeals import (
    APPEAL_LIFECYCLE,
    appeal,
    appeal_is_closed,
    appeal_is_open,
    decide_appeal,
    notify_appeal_outcome,
    pending_appeals,
)
from consult.moderation.services.campaigns import campaigns_of, detect_campaigns
from consult.moderation.services.decisions import (
    OUTCOMES,
    DecidedMeanwhile,
    claim_due_outcomes,
    decide,
    decide_many,
    last_undoable,
    latest_decision,
    send_outcomes,
    undo,
    undo_deadline,
    undo_window,
    undoable,
)
from consult.moderation.services.explained import Explanation, explain_to_author, explain_to_authors
from consult.moderation.services.flags import (
    counting_flag_ids,
    flag,
    hidden_by_reports,
    open_flags,
    report_counts,
    report_tally,
    resolve_flags,
)
from consult.moderation.services.moderation_queue import (
    history,
    next_in_queue,
    queue,
    queue_count,
    queue_languages,
)
from consult.moderation.services.redactions import REDACTION_MARK, public_text, redact, withhold_attachment
from consult.moderation.services.transparency import decisions_for_review, figures

__all__ = [
    "APPEAL_LIFECYCLE",
    "OUTCOMES",
    "REDACTION_MARK",
    "DecidedMeanwhile",
    "Explanation",
    "appeal",
    "appeal_is_closed",
    "appeal_is_open",
    "campaigns_of",
    "claim_due_outcomes",
    "counting_flag_ids",
    "decide",
    "decide_appeal",
    "decide_many",
    "decisions_for_review",
    "detect_campaigns",
    "explain_to_author",
    "explain_to_authors",
    "figures",
    "flag",
    "hidden_by_reports",
    "history",
    "last_undoable",
    "latest_decision",
    "next_in_queue",
    "notify_appeal_outcome",
    "open_flags",
    "pending_appeals",
    "public_text",
    "queue",
    "queue_count",
    "queue_languages",
    "redact",
    "report_counts",
    "report_tally",
    "resolve_flags",
    "send_outcomes",
    "undo",
    "undo_deadline",
    "undo_window",
    "undoable",
    "withhold_attachment",
]
