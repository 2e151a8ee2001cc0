"""Forms with which summarisers write summaries and coordinators answer them."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from consult.forms import Form, choices, enum_choices
from consult.plan.forms import LANGUAGE_LABELS
from consult.summaries.models import ResponseOutcome
from consult.summaries.services import MAX_BODY, MAX_CHANGE_NOTE, MAX_QUOTE


class SummaryForm(Form):
    """A new summary: its title and the language it is written in."""

    title = StringField(_l("Title"), [DataRequired(), Length(max=200)])
    language = SelectField(_l("Written in"), choices=choices(LANGUAGE_LABELS.items()))


class IntroductionForm(Form):
    """The title and the introduction of a summary's working copy."""

    title = StringField(_l("Title"), [DataRequired(), Length(max=200)])
    introduction = TextAreaField(
        _l("Introduction"),
        [Optional(), Length(max=MAX_BODY)],
        description=_l("How the consultation ran and what stood out; the figures are shown beside it."),
    )


class SectionForm(Form):
    """A point of the summary about one part of the round."""

    target = SelectField(_l("About"), validators=[DataRequired()])
    heading = StringField(_l("Heading"), [DataRequired(), Length(max=300)])
    body = TextAreaField(_l("What was heard"), [Optional(), Length(max=MAX_BODY)])


class SectionEditForm(Form):
    """A point's heading and text, changed."""

    heading = StringField(_l("Heading"), [DataRequired(), Length(max=300)])
    body = TextAreaField(_l("What was heard"), [Optional(), Length(max=MAX_BODY)])


class CitationForm(Form):
    """Quote a published comment, whole or a passage of it."""

    comment = HiddenField(validators=[DataRequired()])
    quote = TextAreaField(
        _l("Passage to quote"),
        [Optional(), Length(max=MAX_QUOTE)],
        description=_l("Leave empty to quote the whole comment."),
    )


class PublishForm(Form):
    """Publish the working copy as a new version."""

    change_note = TextAreaField(
        _l("What this version changes"),
        [Optional(), Length(max=MAX_CHANGE_NOTE)],
        description=_l("Required for a correction; readers see it beside the version."),
    )


class ResponseForm(Form):
    """The mechanism's answer to a point or about a recommendation."""

    outcome = SelectField(_l("What the mechanism did"), choices=enum_choices(ResponseOutcome))
    explanation = TextAreaField(_l("Explanation"), [DataRequired(), Length(max=MAX_BODY)])
    responsible_entity = StringField(_l("Responsible entity"), [Optional(), Length(max=200)])


class FollowUpForm(Form):
    """Which recommendations received new input since a date."""

    class Meta:
        csrf = False

    since = DateField(_l("New input since"), [Optional()])
