"""Forms with which summarisers write summaries and coordinators answer them."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SearchField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from consult.forms import Form, choices, enum_choices
from consult.plan.forms import LANGUAGE_LABELS
from consult.summaries.models import ResponseOutcome
from consult.summaries.services import MAX_BODY, MAX_CHANGE_NOTE


class SummaryForm(Form):
    """A new summary: its title and the language it is written in."""

    title = StringField(_l("Title"), [DataRequired(), Length(max=200)])
    language = SelectField(_l("Written in"), choices=choices(LANGUAGE_LABELS.items()))


class EditorForm(Form):
    """The editor's one form: the working copy's title and introduction, the change note and the
    confirmation of a publication. Every button of the page sends it whole, with every point's fields
    (PointForm), the new point's (NewPointForm) and each passage typed to quote."""

    title = StringField(_l("Title"), [DataRequired(), Length(max=200)])
    introduction = TextAreaField(
        _l("Introduction"),
        [Optional(), Length(max=MAX_BODY)],
        description=_l("How the consultation ran and what stood out; the figures are shown beside it."),
    )
    change_note = TextAreaField(
        _l("What this version changes"),
        [Optional(), Length(max=MAX_CHANGE_NOTE)],
        description=_l("Required for a correction; readers see it beside the version."),
    )
    confirm = BooleanField(
        _l("I have checked the preview: publish this version for everyone to read"),
        description=_l("A published version stays readable; a later change is a correction with its note."),
    )


class PointForm(Form):
    """A point's heading and text, sent with the editor's form."""

    class Meta:
        csrf = False

    heading = StringField(_l("Heading"), [DataRequired(), Length(max=300)])
    body = TextAreaField(_l("What was heard"), [Optional(), Length(max=MAX_BODY)])


class NewPointForm(Form):
    """The point being added, sent with the editor's form; checked only when "Add the point" is pressed."""

    class Meta:
        csrf = False

    target = SelectField(_l("About"), validators=[DataRequired()])
    heading = StringField(_l("Heading"), [DataRequired(), Length(max=300)])
    body = TextAreaField(_l("What was heard"), [Optional(), Length(max=MAX_BODY)])


class AnswersForm(Form):
    """The answers page's one form: its token; each answer is a ResponseForm with its own prefix."""


class ReadingForm(Form):
    """The filters of the summariser's reading list (sent in the address, no token)."""

    class Meta:
        csrf = False

    section = SelectField(_l("Point"), validators=[Optional()])
    target = SelectField(_l("About"), validators=[Optional()])
    language = SelectField(_l("Language"), validators=[Optional()])
    stakeholder = SelectField(_l("Stakeholder type"), validators=[Optional()])
    campaign = SelectField(_l("Campaigns"), validators=[Optional()])
    tag = SelectField(_l("Tag"), validators=[Optional()])
    uncited = BooleanField(_l("Not yet cited in this summary"))
    q = SearchField(_l("Words in the text"), [Optional(), Length(max=200)])


class TagsForm(Form):
    """The reading list's one form: its token. Each comment's tags come as `tags-<comment>`, comma-separated
    (`consult.summaries.workspace.sent_tags`), and the list's filters as `back`, to return to them."""


class ResponseForm(Form):
    """The mechanism's answer to a point or about a recommendation."""

    class Meta:
        csrf = False

    outcome = SelectField(
        _l("What the mechanism did"),
        choices=[SelectChoice("", _l("Not answered yet")), *enum_choices(ResponseOutcome)],
    )
    explanation = TextAreaField(_l("Explanation"), [Optional(), Length(max=MAX_BODY)])
    responsible_entity = StringField(_l("Responsible entity"), [Optional(), Length(max=200)])


class FollowUpForm(Form):
    """Which recommendations received new input since a date."""

    class Meta:
        csrf = False

    since = DateField(_l("New input since"), [Optional()])
