"""Who may change the national implementation plan."""

from typing import Any

from consult.accounts.permissions import is_coordinator


def can_edit_plan(user: Any) -> bool:
    """Change clusters, actions, indicators, statuses and tags, and freeze plan versions."""
    return is_coordinator(user)


def can_import_recommendations(user: Any) -> bool:
    """Upload files of recommendations."""
    return is_coordinator(user)
