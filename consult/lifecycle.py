"""State machines: an enum, a table of allowed transitions, and one function that applies them."""

import enum
from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import gettext as _

from consult import audit
from consult.errors import InvalidTransition


class Lifecycle:
    """The allowed transitions of one state column, declared as from → {to, …}."""

    def __init__(self, transitions: Mapping[enum.Enum, Iterable[enum.Enum]], column: str = "state"):
        self.transitions = {source: frozenset(targets) for source, targets in transitions.items()}
        self.column = column

    def allows(self, source: enum.Enum, target: enum.Enum) -> bool:
        """Whether the table has source → target."""
        return target in self.transitions.get(source, ())

    def apply(self, obj: Any, target: enum.Enum, actor: Any, action: str, **details: Any) -> None:
        """Move obj to target, or raise InvalidTransition; writes the audit event."""
        source = getattr(obj, self.column)
        if not self.allows(source, target):
            raise InvalidTransition(
                _(
                    "This cannot be done now: it is %(state)s.",
                    state=str(getattr(source, "label", source.value)),
                )
            )
        setattr(obj, self.column, target)
        audit.record(
            actor,
            action,
            obj,
            before={self.column: source.value},
            after={self.column: target.value, **details},
        )
