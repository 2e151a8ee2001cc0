"""Forms for erasing an account."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from consult.forms import Form
from consult.privacy.services import MAX_REFERENCE


class EraseAccountForm(Form):
    """The person erases their own account: their password once more, and a box that says they understood."""

    understood = BooleanField(
        _l("I understand that this cannot be undone."),
        [InputRequired(message=_l("Tick the box to confirm that you understand."))],
    )
    password = PasswordField(_l("Your password"), [DataRequired()])


class EraseForUserForm(Form):
    """A coordinator carries out a written request for erasure."""

    reference = StringField(
        _l("Reference of the written request"),
        [DataRequired(), Length(max=MAX_REFERENCE)],
        description=_l(
            "Where the request is filed, such as its registry number and date. Do not write the person's "
            "name or address: this reference stays in the audit trail."
        ),
    )
    understood = BooleanField(
        _l("I understand that this cannot be undone."),
        [InputRequired(message=_l("Tick the box to confirm that you understand."))],
    )
