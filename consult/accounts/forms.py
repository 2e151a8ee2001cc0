"""Forms for signing up, signing in and managing one's account."""

from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from consult.accounts.models import StaffRoleName
from consult.accounts.passwords import MAX_LENGTH, MIN_LENGTH
from consult.forms import Form, choices, enum_choices, visible_or_empty
from consult.i18n import language_names

_email = [
    DataRequired(),
    Email(message=_l("Enter an e-mail address such as name@example.org.")),
    Length(max=254),
]


def _strip(value: str | None) -> str | None:
    """Spaces around a pasted address or name are never meant."""
    return value.strip() if isinstance(value, str) else value


_new_password = [
    DataRequired(),
    Length(
        min=MIN_LENGTH,
        max=MAX_LENGTH,
        message=_l("Use between %(min)d and %(max)d characters.", min=MIN_LENGTH, max=MAX_LENGTH),
    ),
]
_repeat = [DataRequired(), EqualTo("password", message=_l("The two passwords are not the same."))]


class ConfirmForm(Form):
    """A button that changes something: only its CSRF token is checked."""


class RegistrationForm(Form):
    """Create an account."""

    display_name = StringField(
        _l("Your name"),
        [DataRequired(), Length(max=120)],
        filters=[_strip, visible_or_empty],
        description=_l("Shown with your comments only if you choose so for each comment."),
    )
    email = EmailField(_l("E-mail address"), _email, filters=[_strip])
    password = PasswordField(
        _l("Password"), _new_password, description=_l("At least %(n)d characters.", n=MIN_LENGTH)
    )
    password_repeat = PasswordField(_l("Repeat the password"), _repeat)


class SignInForm(Form):
    """E-mail and password."""

    email = EmailField(_l("E-mail address"), _email, filters=[_strip])
    password = PasswordField(_l("Password"), [DataRequired()])
    next = HiddenField()


class CodeForm(Form):
    """A code from the authenticator app, or a recovery code."""

    code = StringField(
        _l("Code"),
        [DataRequired(), Length(max=40)],
        description=_l("The 6-digit code from your app, or one of your recovery codes."),
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True},
    )


class ResetRequestForm(Form):
    """Ask for a password reset link."""

    email = EmailField(_l("E-mail address"), _email, filters=[_strip])


class ResetForm(Form):
    """Choose a new password from a reset link."""

    password = PasswordField(_l("New password"), _new_password)
    password_repeat = PasswordField(_l("Repeat the new password"), _repeat)


class ChangePasswordForm(Form):
    """Change the password while signed in."""

    current_password = PasswordField(_l("Current password"), [DataRequired()])
    password = PasswordField(_l("New password"), _new_password)
    password_repeat = PasswordField(_l("Repeat the new password"), _repeat)


class PasswordConfirmForm(Form):
    """Prove it is you before a sensitive change."""

    password = PasswordField(_l("Password"), [DataRequired()])


class ResendForm(Form):
    """Ask for a new verification link."""

    email = EmailField(_l("E-mail address"), _email, filters=[_strip])


def _timezone_choices() -> list:
    return choices(
        [("", _l("The deployment's time zone"))] + [(name, name) for name in sorted(available_timezones())]
    )


class SettingsForm(Form):
    """Name, interface language and time zone."""

    display_name = StringField(
        _l("Your name"), [DataRequired(), Length(max=120)], filters=[_strip, visible_or_empty]
    )
    locale = SelectField(_l("Interface language"), validators=[Optional()])
    timezone = SelectField(
        _l("Time zone"),
        validators=[Optional()],
        description=_l("Deadlines and dates are shown in this time zone."),
    )
    notification_digest = BooleanField(
        _l("Send me one e-mail a day instead of one per event"),
        description=_l("Receipts of your own comments always come at once."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.locale.choices = choices([("", _l("As my browser asks")), *language_names()])
        self.timezone.choices = _timezone_choices()


class RoleForm(Form):
    """Grant or revoke a deployment-wide role."""

    role = SelectField(_l("Role"), choices=enum_choices(StaffRoleName))
