"""Forms with which coordinators set up rounds."""

from typing import Any
from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp, ValidationError
from wtforms.widgets import HiddenInput

from consult.forms import Form, choices, enum_choices
from consult.plan.forms import LANGUAGE_LABELS, TranslatedForm, translated_fields
from consult.rounds.models import Eligibility, ModerationMode, Stage

_local_time = "%Y-%m-%dT%H:%M"

#: The years a round's dates may fall in: any time zone's clock converts there without leaving the calendar.
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100
OUT_OF_RANGE = _l(
    "Give a date and time between the years %(first)d and %(last)d.", first=EARLIEST_YEAR, last=LATEST_YEAR
)


class LocalTimeField(DateTimeLocalField):
    """A date and time on the wall clock as a coordinator types it: required, in years 2000–2100; a value
    that cannot be read or falls outside is answered in the field, and what was typed stays in it."""

    def __init__(self, label: Any, **kwargs: Any) -> None:
        super().__init__(label, [InputRequired()], format=_local_time, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        """Read the typed value; one that is no date and time (e.g. in year 10000) says the range."""
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(OUT_OF_RANGE)) from error

    def pre_validate(self, form: Any) -> None:
        """Refuse a readable time outside the years a round may run in."""
        if self.data is not None and not EARLIEST_YEAR <= self.data.year <= LATEST_YEAR:
            raise ValidationError(str(OUT_OF_RANGE))


class RoundForm(TranslatedForm):
    """A consultation round: what, when, for whom, how moderated."""

    slug = StringField(
        _l("Web address"),
        [
            Optional(),
            Length(max=80),
            Regexp(
                r"^[a-z0-9][a-z0-9-]*$",
                message=_l("Use lower-case letters, digits and hyphens, e.g. cycle4-mid-term."),
            ),
        ],
        description=_l(
            "The end of the round's address, e.g. cycle4-mid-term. Left empty, it is made from the title."
        ),
    )
    stage = SelectField(_l("Stage"), choices=enum_choices(Stage))
    cycle = SelectField(_l("Cycle"), coerce=int, choices=choices((n, str(n)) for n in range(1, 11)))
    plan_version = SelectField(_l("Version of the plan consulted"), coerce=int)
    eligibility = SelectField(_l("Who may take part"), choices=enum_choices(Eligibility))
    moderation_mode = SelectField(
        _l("Moderation"),
        choices=enum_choices(ModerationMode),
        description=_l("Pre-moderation publishes nothing before a moderator approves it."),
    )
    summariser_organisation = SelectField(_l("Organisation that summarises the input"), coerce=int)
    timezone = SelectField(
        _l("Time zone of the dates"), choices=choices((z, z) for z in sorted(available_timezones()))
    )
    opens_at = LocalTimeField(_l("Opens at"))
    closes_at = LocalTimeField(_l("Closes at"))
    clusters = SelectMultipleField(_l("Thematic clusters open for comment"), coerce=int)
    recommendations = SelectMultipleField(_l("Other recommendations open for comment"), coerce=int)
    actions = SelectMultipleField(_l("Other actions open for comment"), coerce=int)
    invited = SelectMultipleField(
        _l("Invited organisations"),
        coerce=int,
        description=_l(
            "Told when the round opens and three days before it closes; the only ones who may take "
            "part in a round by invitation."
        ),
    )

    def values(self) -> dict[str, Any]:
        """The round's settings as sent, its times still on the wall clock of its time zone."""
        return dict(
            slug=self.slug.data,
            stage=Stage(self.stage.data),
            cycle=self.cycle.data,
            title=self.translated("title"),
            description=self.translated("description") or None,
            plan_version_id=self.plan_version.data or None,
            eligibility=Eligibility(self.eligibility.data),
            moderation_mode=ModerationMode(self.moderation_mode.data),
            summariser_organisation_id=self.summariser_organisation.data or None,
            timezone=self.timezone.data,
            opens_at=self.opens_at.data,
            closes_at=self.closes_at.data,
        )

    def scope(self) -> dict[str, list[int]]:
        """What the round opens for comment: clusters, recommendations and actions, by id."""
        return {
            "clusters": self.clusters.data,
            "recommendations": self.recommendations.data,
            "actions": self.actions.data,
        }


translated_fields(RoundForm, "title", _l("Title"), required=True)
translated_fields(RoundForm, "description", _l("Introduction"), area=True)


class RoundTextsForm(TranslatedForm):
    """The round's title and introduction in each language: what stays editable once it has opened."""


translated_fields(RoundTextsForm, "title", _l("Title"), required=True)
translated_fields(RoundTextsForm, "description", _l("Introduction"), area=True)


class CheckForm(Form):
    """Schedule the round as its check page showed it."""

    checked = IntegerField(widget=HiddenInput(), validators=[InputRequired()])


class CancelForm(Form):
    """Call a round off, once its consequences are read and confirmed."""

    confirm = BooleanField(
        _l("I understand: the round is called off for everyone, and this cannot be undone."),
        [DataRequired(_l("Tick the box to confirm that the round is to be cancelled."))],
    )


class ExtendForm(Form):
    """A later closing time."""

    closes_at = LocalTimeField(_l("New closing time"))


class QuestionForm(TranslatedForm):
    """A guiding question; `question` names the one corrected (none: a new one)."""

    question = IntegerField(widget=HiddenInput(), validators=[Optional()])


translated_fields(QuestionForm, "text", _l("Question"), area=True, required=True)


class DocumentForm(TranslatedForm):
    """A draft text to comment on, pasted or uploaded."""

    language = SelectField(_l("Language of the document"), choices=choices(LANGUAGE_LABELS.items()))
    text = TextAreaField(
        _l("Text"),
        [Optional(), Length(max=500_000)],
        description=_l("Paste the text; paragraphs are separated by blank lines. Or upload a file below."),
    )
    file = FileField(_l("Or a file"), [FileAllowed(["docx", "txt"], _l("Upload a .docx or .txt file."))])


translated_fields(DocumentForm, "title", _l("Title"), required=True)


class MoveForm(Form):
    """Move a guiding question one place up or down."""

    question = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    direction = SelectField(choices=choices([("up", "up"), ("down", "down")]))


class SummariserForm(Form):
    """Name a person to summarise a round: chosen by name from the eligible people, or by e-mail address."""

    person = SelectField(_l("Person"), coerce=int, default=0)
    email = StringField(
        _l("Or their e-mail address"),
        [Optional(), Length(max=254)],
        description=_l("For someone not in the list: a confirmed account with this address."),
    )
