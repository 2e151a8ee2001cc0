"""Moderators' forms."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from consult.forms import Form, choices, enum_choices
from consult.moderation.models import DecisionKind, Reason

_decisions = [DecisionKind.approve, DecisionKind.reject, DecisionKind.request_changes, DecisionKind.remove]
_reasons = choices([("", _l("No reason (approval)")), *((r.value, r.label) for r in Reason)])


class DecisionForm(Form):
    """A decision on one comment, or on a selection."""

    decision = SelectField(_l("Decision"), choices=choices((d.value, d.label) for d in _decisions))
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
        choices=choices([("", _l("All")), ("yes", _l("Only at risk")), ("no", _l("Not at risk"))]),
    )
    language = StringField(_l("Language"), [Optional(), Length(max=8)])
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
            [("", _l("All")), ("yes", _l("Only campaign members")), ("no", _l("No campaign members"))]
        ),
    )


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
