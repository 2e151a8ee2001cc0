"""Summaries of what was heard, and the mechanism's answers: drafting, citing, publishing, correcting.

One module per part: drafting (and publishing), what the public reads, the mechanism's answers, what the
summariser works with, and what we heard, what we did. Callers import the package
(`from consult.summaries import services`): it holds every public name.
"""

from consult.summaries.services.answers import respond, response_row, responses_of
from consult.summaries.services.drafting import (
    MAX_BODY,
    MAX_CHANGE_NOTE,
    MAX_QUOTE,
    SUMMARISING_STATES,
    SUMMARY_LIFECYCLE,
    add_section,
    citable,
    cite,
    create_summary,
    has_unpublished_changes,
    in_scope,
    publish_summary,
    remove_section,
    render,
    target_label,
    uncite,
    update_section,
    update_summary,
)
from consult.summaries.services.outcome import follow_up, heard_about, outcome_of
from consult.summaries.services.public import get_version, public_content, published_summaries
from consult.summaries.services.workbench import (
    CITABLE_PER_SECTION,
    citable_for,
    parse_target,
    summaries_of,
    target_choices,
)

__all__ = [
    "CITABLE_PER_SECTION",
    "MAX_BODY",
    "MAX_CHANGE_NOTE",
    "MAX_QUOTE",
    "SUMMARISING_STATES",
    "SUMMARY_LIFECYCLE",
    "add_section",
    "citable",
    "citable_for",
    "cite",
    "create_summary",
    "follow_up",
    "get_version",
    "has_unpublished_changes",
    "heard_about",
    "in_scope",
    "outcome_of",
    "parse_target",
    "public_content",
    "publish_summary",
    "published_summaries",
    "remove_section",
    "render",
    "respond",
    "response_row",
    "responses_of",
    "summaries_of",
    "target_choices",
    "target_label",
    "uncite",
    "update_section",
    "update_summary",
]
