"""Forms with which coordinators edit the plan and import recommendations."""

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileRequired, MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import TextInput

from consult.forms import Form, choices, enum_choices
from consult.i18n import number_text, parse_number
from consult.plan.importers import READERS
from consult.plan.models import (
    Action,
    ActionStatus,
    ImplementationStatus,
    Indicator,
    IndicatorKind,
    TagVocabulary,
)

LANGUAGE_LABELS = {
    "en": _l("English"),
    "fr": _l("French"),
    "es": _l("Spanish"),
    "ru": _l("Russian"),
    "ar": _l("Arabic"),
    "zh": _l("Chinese"),
}


class LocalDecimalField(DecimalField):
    """A number typed as the person's language writes it, and shown back so: "12,5" in French, Spanish
    or Russian, "١٢٫٥" in Arabic digits, stored as 12.5. A text input, since a number input refuses a
    decimal comma in some browsers and Arabic digits in all."""

    widget = TextInput()

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(*args, places=None, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        """Read the number in the person's locale; nothing typed is no number."""
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = parse_number(valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError(self.gettext("Not a valid decimal value.")) from None

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return number_text(self.data) if isinstance(self.data, Decimal) else ""


def translated_fields(form_class: type, name: str, label, area: bool = False, required: bool = False) -> None:
    """Add one field per UN language, `<name>_<lang>`, to a form class."""
    field_class = TextAreaField if area else StringField
    for language, language_label in LANGUAGE_LABELS.items():
        validators = [Optional(), Length(max=2000 if area else 300)]
        setattr(
            form_class,
            f"{name}_{language}",
            field_class(
                _l("%(field)s (%(language)s)", field=label, language=language_label),
                validators,
                render_kw={"lang": language, "dir": "rtl" if language == "ar" else "ltr"},
            ),
        )
    form_class.translated_names = (*getattr(form_class, "translated_names", ()), (name, required))


class TranslatedForm(Form):
    """A form with fields in the six languages: reads and fills them as {language: text}."""

    translated_names: tuple = ()

    def translated(self, name: str) -> dict[str, str]:
        """The non-empty texts of a translated field, by language."""
        return {
            lang: value.strip()
            for lang in LANGUAGE_LABELS
            if (value := getattr(self, f"{name}_{lang}").data) and value.strip()
        }

    def fill_translated(self, name: str, values: dict[str, str] | None) -> None:
        """Show stored texts in the form's fields."""
        for language in LANGUAGE_LABELS:
            getattr(self, f"{name}_{language}").data = (values or {}).get(language, "")

    def validate(self, extra_validators=None) -> bool:
        """Translated fields that are required need at least one language."""
        valid = super().validate(extra_validators)
        for name, required in self.translated_names:
            if required and not self.translated(name):
                getattr(self, f"{name}_en").errors.append(_l("Give it in at least one language."))
                valid = False
        return valid


class ClusterForm(TranslatedForm):
    """A thematic cluster."""

    code = StringField(
        _l("Short code"), [DataRequired(), Length(max=40)], description=_l("Short and unique, e.g. C3.")
    )
    position = IntegerField(_l("Order in the plan"), [Optional(), NumberRange(min=0, max=10000)], default=0)


translated_fields(ClusterForm, "title", _l("Title"), required=True)
translated_fields(ClusterForm, "description", _l("Description"), area=True)


class ActionForm(TranslatedForm):
    """An action (measure) of the plan."""

    code = StringField(
        _l("Short code"), [DataRequired(), Length(max=40)], description=_l("Short and unique, e.g. A3.2.")
    )
    cluster = SelectField(_l("Thematic cluster"), coerce=int)
    responsible_entity = StringField(_l("Responsible entity"), [DataRequired(), Length(max=200)])
    partners = StringField(_l("Partners"), [Optional(), Length(max=500)])
    start_on = DateField(_l("Start date"), [Optional()])
    due_on = DateField(_l("Due date"), [Optional()])
    status = SelectField(_l("Status"), choices=enum_choices(ActionStatus))
    recommendations = SelectMultipleField(
        _l("Recommendations it answers"),
        coerce=int,
        description=_l("The recommendations of the plan's clusters; hold Ctrl (or Cmd) to choose several."),
    )

    def fill(self, action: Action) -> None:
        """Show a stored action in the form."""
        self.fill_translated("title", action.title)
        self.fill_translated("description", action.description)
        self.cluster.data = action.cluster_id or 0
        self.status.data = action.status.value
        self.recommendations.data = [r.id for r in action.recommendations]

    def values(self) -> dict[str, Any]:
        """The action's columns as sent (the recommendations it answers apart)."""
        return dict(
            code=self.code.data.strip(),
            cluster_id=self.cluster.data or None,
            title=self.translated("title"),
            description=self.translated("description") or None,
            responsible_entity=self.responsible_entity.data.strip(),
            partners=self.partners.data or None,
            start_on=self.start_on.data,
            due_on=self.due_on.data,
            status=ActionStatus(self.status.data),
        )


translated_fields(ActionForm, "title", _l("Title"), required=True)
translated_fields(ActionForm, "description", _l("Description"), area=True)


class IndicatorForm(TranslatedForm):
    """A structural, process or outcome indicator."""

    action = SelectField(_l("Action it measures"), coerce=int)
    kind = SelectField(_l("Kind"), choices=enum_choices(IndicatorKind))
    unit = StringField(
        _l("Unit"), [Optional(), Length(max=60)], description=_l("For example: %, number, days.")
    )
    baseline = LocalDecimalField(_l("Baseline"), [Optional()])
    baseline_year = IntegerField(_l("Baseline year"), [Optional(), NumberRange(min=1945, max=2100)])
    target = LocalDecimalField(_l("Target"), [Optional()])
    target_year = IntegerField(_l("Target year"), [Optional(), NumberRange(min=1945, max=2100)])
    source = StringField(_l("Source of data"), [Optional(), Length(max=200)])
    disaggregation = StringField(
        _l("Disaggregation"),
        [Optional(), Length(max=200)],
        description=_l("The breakdowns reported, comma-separated; sex at least where people are counted."),
    )

    def fill(self, indicator: Indicator) -> None:
        """Show a stored indicator in the form."""
        self.fill_translated("title", indicator.title)
        self.action.data, self.kind.data = indicator.action_id, indicator.kind.value

    def values(self) -> dict[str, Any]:
        """The indicator's columns as sent (the action it measures apart)."""
        return dict(
            kind=IndicatorKind(self.kind.data),
            title=self.translated("title"),
            unit=self.unit.data or None,
            baseline=self.baseline.data,
            baseline_year=self.baseline_year.data,
            target=self.target.data,
            target_year=self.target_year.data,
            source=self.source.data or None,
            disaggregation=self.disaggregation.data or None,
        )


translated_fields(IndicatorForm, "title", _l("Title"), required=True)


class IndicatorValueForm(Form):
    """A reported value of an indicator."""

    period = DateField(_l("Date of the value"), [DataRequired()])
    breakdown = StringField(
        _l("Breakdown"),
        [Optional(), Length(max=120)],
        description=_l("Empty for the total, or for example sex=female, age=0-17."),
    )
    value = LocalDecimalField(_l("Value"), [InputRequired()])
    note = StringField(_l("Note"), [Optional(), Length(max=300)])


class RecommendationPlanForm(Form):
    """Where a recommendation stands in the plan."""

    status = SelectField(_l("Implementation status"), choices=enum_choices(ImplementationStatus))
    cluster = SelectField(_l("Thematic cluster"), coerce=int)


class RecommendationTextsForm(TranslatedForm):
    """A recommendation's text in each language: translations are added or corrected here."""


translated_fields(RecommendationTextsForm, "text", _l("Text"), area=True, required=True)


class TagForm(Form):
    """A term to tag a recommendation with."""

    vocabulary = SelectField(_l("Vocabulary"), choices=enum_choices(TagVocabulary))
    code = StringField(_l("Term"), [DataRequired(), Length(max=120)])


class FreezeForm(Form):
    """Freeze the plan as it stands."""

    label = StringField(
        _l("Name of the version"),
        [DataRequired(), Length(max=120)],
        description=_l("For example: as consulted at mid-term, June 2027."),
    )


class ImportForm(Form):
    """Upload files of recommendations."""

    kind = SelectField(
        _l("Kind of file"), choices=choices((kind, label) for kind, (_m, _f, label) in READERS.items())
    )
    files = MultipleFileField(_l("Files"), [FileRequired(message=_l("Choose at least one file."))])
    language = SelectField(
        _l("Language of the texts (UHRI files)"),
        validators=[Optional()],
        choices=choices([("", _l("From the file name, else English")), *LANGUAGE_LABELS.items()]),
    )
    dry_run = BooleanField(_l("Only check: report what would change, write nothing"), default=True)

    def validate_files(self, field) -> None:
        """Refuse files whose names could never be recommendation files."""
        for upload in field.data or []:
            name = (upload.filename or "").lower()
            if not name.endswith((".csv", ".txt", ".docx", ".xlsx", ".json")):
                raise ValidationError(_l("Only CSV, DOCX, XLSX and JSON files can be imported."))
