"""The coordinators' forms for the API's tokens."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from consult.forms import Form


class TokenForm(Form):
    """Issue a token to one of the mechanism's systems."""

    name = StringField(
        _l("Name of the system"),
        [DataRequired(), Length(max=120)],
        description=_l("Who will use the token, for example: the recommendation tracking database."),
    )
    may_read_confidential = BooleanField(
        _l("May read confidential input"),
        description=_l(
            "The system may then receive confidential and hidden comments with their authors' names. "
            "Each such read is recorded in the audit trail."
        ),
    )
