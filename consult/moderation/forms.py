"""Moderators' forms, and the queue's filter read from its query string."""

from collections.abc import Container
from dataclasses import dataclass, fields
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext as _lp
from werkzeug.datastructures import MultiDict
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from consult.comments.models import CommentState, TargetType
from consult.forms import Form, as_typed, choices, enum_choices
from consult.moderation.models import DecisionKind, Reason
from consult.organisations.models import OrganisationType
from consult.web import query_enum, query_int

_decisions = [DecisionKind.approve, DecisionKind.reject, DecisionKind.request_changes, DecisionKind.remove]
_reasons = choices([("", _l("No reason (approval)")), *((r.value, r.label) for r in Reason)])
#: No decision is ever chosen for the moderator: the list starts empty, and sending it empty is refused.
DECISION_CHOICES = choices([("", _l("Choose a decision")), *((d.value, d.label) for d in _decisions)])


class DecisionForm(Form):
    """A decision on one comment, or on a selection; nothing is chosen in advance."""

    decision = SelectField(
        _l("Decision"),
        choices=DECISION_CHOICES,
        default="",
        validators=[InputRequired(message=_l("Choose a decision: none is chosen for you."))],
    )
    reason = SelectField(
        _l("Reason"),
        choices=_reasons,
        validators=[Optional()],
        description=_l("Required to reject, remove or send back; the author is told it."),
    )
    note = TextAreaField(_l("Note to the author"), [Optional(), Length(max=2000)], render_kw={"rows": 3})
    seen_version = IntegerField(validators=[Optional()])


class RedactForm(Form):
    """A passage to hide from the public."""

    passage = StringField(
        _l("Passage to redact"),
        [DataRequired(), Length(max=500)],
        description=_l("Copy it exactly from the text; every occurrence is redacted."),
    )
    reason = SelectField(_l("Reason"), choices=enum_choices(Reason), default=Reason.personal_data.value)


class WithholdForm(Form):
    """Keep an attached file from the public."""

    reason = SelectField(_l("Reason"), choices=enum_choices(Reason), default=Reason.personal_data.value)


class QueueFilterForm(Form):
    """The queue's filters (a GET form: no token)."""

    class Meta:
        csrf = False

    round = SelectField(_l("Round"), coerce=int, validators=[Optional()])
    state = SelectField(_l("State"), validators=[Optional()])
    at_risk = SelectField(
        _l("At risk"),
        validators=[Optional()],
        choices=choices([("", _lp("filter", "All")), ("yes", _l("Only at risk")), ("no", _l("Not at risk"))]),
    )
    q = StringField(_l("Words in the text"), [Optional(), Length(max=200)])
    language = SelectField(_l("Language"), validators=[Optional()])
    target = SelectField(_l("Comment on"), validators=[Optional()])
    stakeholder = SelectField(_l("Stakeholder type"), validators=[Optional()])
    order = SelectField(
        _l("Order"),
        validators=[Optional()],
        choices=choices([("newest", _l("Newest first")), ("oldest", _l("Oldest first"))]),
    )
    campaign = SelectField(
        _l("Campaigns"),
        validators=[Optional()],
        choices=choices(
            [
                ("", _lp("filter", "All")),
                ("yes", _l("Only campaign members")),
                ("no", _l("No campaign members")),
            ]
        ),
    )


#: The answers of the queue's yes/no filters ("" or anything else: either).
_YES_NO = {"yes": True, "no": False}


def _state(args: MultiDict[str, str], flagged: bool) -> CommentState | None:
    """The state asked for ("" or an unknown one: every state); when none is, the submitted comments, or the
    reported ones in every state."""
    if "state" not in args:
        return None if flagged else CommentState.submitted
    return args.get("state", type=query_enum(CommentState))


@dataclass(frozen=True)
class QueueFilter:
    """What a moderator asked of the queue (QueueFilterForm, and the page's links); unknown or malformed
    values are ignored. Its fields are the keywords of `services.queue`."""

    round_id: int | None = None
    #: Submitted comments unless a state is asked for (`_state`).
    state: CommentState | None = CommentState.submitted
    at_risk: bool | None = None
    language: str | None = None
    #: The keyset position: the id of the last comment of the page before.
    before: int | None = None
    flagged: bool = False
    target_type: TargetType | None = None
    stakeholder_type: OrganisationType | None = None
    in_campaign: bool | None = None
    oldest_first: bool = False
    #: Words the comment's text holds (any case; "%" and "_" are themselves).
    search: str | None = None

    @classmethod
    def from_args(cls, args: MultiDict[str, str], round_ids: Container[int]) -> "QueueFilter":
        """Read the filter from a query string; a round that is not among round_ids (those the form offers)
        is no filter."""
        flagged = args.get("flagged") == "yes"
        round_id = args.get("round", type=int)
        return cls(
            round_id=round_id if round_id in round_ids else None,
            state=_state(args, flagged),
            at_risk=_YES_NO.get(args.get("at_risk", "")),
            language=as_typed(args.get("language")) or None,
            before=args.get("before", type=query_int),
            flagged=flagged,
            target_type=args.get("target", type=query_enum(TargetType)),
            stakeholder_type=args.get("stakeholder", type=query_enum(OrganisationType)),
            in_campaign=_YES_NO.get(args.get("campaign", "")),
            oldest_first=args.get("order") == "oldest",
            search=(as_typed(args.get("q")) or "").strip()[:200] or None,
        )

    def as_query(self) -> dict[str, Any]:
        """The filter as `services.queue`'s keyword arguments."""
        return {field.name: getattr(self, field.name) for field in fields(self)}

    def as_criteria(self) -> dict[str, Any]:
        """The filter without its page: what `services.queue_count` and `services.next_in_queue` take."""
        return {
            name: value for name, value in self.as_query().items() if name not in ("before", "oldest_first")
        }


#: The query-string keys of the queue: what a decision form carries back so that the moderator lands on the
#: same filtered page (or the next comment of the same queue).
QUEUE_KEYS = (
    "round",
    "state",
    "at_risk",
    "language",
    "target",
    "stakeholder",
    "campaign",
    "order",
    "flagged",
    "q",
)


def queue_args(args: MultiDict[str, str], page: bool = True) -> dict[str, str]:
    """The queue's filters (and, with page, its page) from a query string, as sent; anything else dropped.
    A key sent empty is kept: an empty state means every state, not the default."""
    keys = (*QUEUE_KEYS, "before") if page else QUEUE_KEYS
    return {key: args[key][:200] for key in keys if key in args}


class FlagForm(Form):
    """A reader's report of a published comment."""

    reason = SelectField(_l("Why should a moderator look at it?"), choices=enum_choices(Reason))
    note = TextAreaField(
        _l("Anything a moderator should know"), [Optional(), Length(max=500)], render_kw={"rows": 3}
    )


class AppealForm(Form):
    """The author contests a rejection."""

    statement = TextAreaField(
        _l("Why should the decision change?"), [DataRequired(), Length(max=3000)], render_kw={"rows": 5}
    )


class AppealDecisionForm(Form):
    """A second moderator decides an appeal."""

    outcome = SelectField(
        _l("Decision on the appeal"),
        choices=choices([("grant", _l("Reinstate the comment")), ("uphold", _l("Uphold the rejection"))]),
    )
    note = TextAreaField(_l("Note to the author"), [Optional(), Length(max=2000)], render_kw={"rows": 3})
