"""State machines: an enum, a table of allowed transitions, and one function that applies them."""

import enum
from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import gettext as _

from consult import audit
from consult.errors import InvalidTransition

#: Each declared lifecycle by the enum of its states, so that a template can ask about any object.
_BY_STATES: dict[type[enum.Enum], "Lifecycle"] = {}


class Lifecycle:
    """The allowed transitions of one state column, declared as from → {to, …}."""

    def __init__(self, transitions: Mapping[enum.Enum, Iterable[enum.Enum]], column: str = "state"):
        self.transitions = {source: frozenset(targets) for source, targets in transitions.items()}
        self.column = column
        for states in {type(source) for source in self.transitions}:
            _BY_STATES[states] = self

    def allows(self, source: enum.Enum, target: enum.Enum) -> bool:
        """Whether the table has source → target."""
        return target in self.transitions.get(source, ())

    def move(self, obj: Any, target: enum.Enum) -> enum.Enum:
        """Move obj to target, or raise InvalidTransition; returns the state it left. The caller writes
        the audit event: apply() is the usual way, this is for a transition audited on another subject."""
        source = getattr(obj, self.column)
        if not self.allows(source, target):
            raise InvalidTransition(
                _(
                    "This cannot be done now: it is %(state)s.",
                    state=str(getattr(source, "label", source.value)),
                )
            )
        setattr(obj, self.column, target)
        return source

    def apply(self, obj: Any, target: enum.Enum, actor: Any, action: str, **details: Any) -> None:
        """Move obj to target, or raise InvalidTransition; writes the audit event."""
        source = self.move(obj, target)
        audit.record(
            actor,
            action,
            obj,
            before={self.column: source.value},
            after={self.column: target.value, **details},
        )


def allowed(obj: Any, target: enum.Enum | str, source: enum.Enum | None = None) -> bool:
    """Whether obj's lifecycle lets it move to target (a state or its value) from the state it is in, or
    from source where the state that counts is not the stored one (a round's, by the clock). For
    templates: they ask this rather than compare states to choose which actions to offer."""
    source = obj.state if source is None else source
    lifecycle = _BY_STATES[type(source)]
    return lifecycle.allows(source, type(source)(target))
