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
