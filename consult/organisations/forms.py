"""Forms for joining and proposing organisations."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, URLField
from wtforms.validators import URL, DataRequired, Length, Optional

from consult.forms import Form, enum_choices, visible_or_empty
from consult.organisations.models import OrganisationType

_position = StringField(
    _l("Your role in the organisation"),
    [Optional(), Length(max=120)],
    description=_l("For example: programme officer, member of parliament, legal adviser."),
)


class JoinForm(Form):
    """Ask to be confirmed as a member of a verified organisation."""

    organisation = SelectField(_l("Organisation"), coerce=int)
    position = _position


class ProposeForm(Form):
    """Add one's organisation for a coordinator to verify."""

    name = StringField(
        _l("Name of the organisation"), [DataRequired(), Length(max=200)], filters=[visible_or_empty]
    )
    acronym = StringField(_l("Acronym"), [Optional(), Length(max=40)], filters=[visible_or_empty])
    type = SelectField(_l("Type"), choices=enum_choices(OrganisationType))
    website = URLField(
        _l("Website"),
        [Optional(), URL(message=_l("Enter a full address such as https://example.org.")), Length(max=300)],
    )
    position = _position
