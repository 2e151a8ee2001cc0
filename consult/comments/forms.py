"""The comment form."""

import uuid

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, HiddenField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from consult.comments.models import Assessment, Publication
from consult.comments.services import MAX_LENGTH, NO_ORGANISATION_TO_SHOW
from consult.forms import Form, choices, enum_choices
from consult.plan.forms import LANGUAGE_LABELS


class UnchosenRadioField(RadioField):
    """Radio buttons of which none is checked beforehand: sending none is not refused here (the form says
    when a choice is needed); sending a value not among the choices is."""

    def pre_validate(self, form) -> None:
        if self.data in (None, ""):
            return
        super().pre_validate(form)


class CommentForm(Form):
    """A comment on a round or on one part of its scope."""

    target = HiddenField(
        validators=[
            DataRequired(),
            Regexp(
                r"^(round|question|cluster|recommendation|action|"
                r"paragraph)(:\d{1,9})?$"
            ),
        ]
    )
    idempotency_key = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{32}$")])
    body = TextAreaField(
        _l("Your comment"),
        [Length(max=MAX_LENGTH * 2)],  # the service says how much is over; the form keeps the text
        description=_l("At most %(n)d characters.", n=MAX_LENGTH),
        render_kw={"rows": 12, "data-limit": MAX_LENGTH},
    )
    language = SelectField(_l("Language of your comment"), choices=choices(LANGUAGE_LABELS.items()))
    assessment = SelectField(
        _l("How far is it implemented, in your view?"),
        validators=[Optional()],
        choices=choices([("", _l("No assessment")), *((a.value, a.label) for a in Assessment)]),
    )
    #: Nothing chosen beforehand: a person who may be at risk must not find their name chosen for them.
    publication = UnchosenRadioField(_l("How may it be published?"), choices=enum_choices(Publication))
    at_risk = BooleanField(
        _l("Publishing this could put me at risk"),
        description=_l(
            "The comment is then kept confidential to the mechanism and handled with particular care, "
            "whatever you chose above."
        ),
    )
    organisation = SelectField(_l("Speaking for"), coerce=int)
    attachments = MultipleFileField(
        _l("Attachments"),
        description=_l(
            "Up to 5 files (PDF, DOCX, ODT, XLSX, PNG, JPEG), 10 MB each. Their metadata is removed."
        ),
    )

    def validate_publication(self, field) -> None:
        """A choice is needed, unless the person is at risk (then it is confidential); and showing only an
        organisation's name needs an organisation to speak for."""
        if self.at_risk.data:
            return
        if not field.data:
            raise ValidationError(_("Choose how your comment may be published."))
        if field.data == Publication.organisation.value and not self.organisation.data:
            raise ValidationError(NO_ORGANISATION_TO_SHOW)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.idempotency_key.data:
            self.idempotency_key.data = uuid.uuid4().hex
