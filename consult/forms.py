"""The base of every form: a stale CSRF token is answered with the text kept and a clear message."""

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from flask import render_template
from flask_babel import get_translations, lazy_ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as wtforms_translations
from wtforms import DecimalField, PasswordField, SelectChoice, StringField

from consult.errors import DomainError
from consult.extensions import csrf
from consult.i18n import has_visible_text
from consult.text import safe_text

TOKEN_EXPIRED_MESSAGE = _l(
    "This page was open for a long time, or your session ended, so it could not be accepted. "
    "Nothing you wrote is lost: check it below and send it again."
)


def as_typed(value: str | None) -> str | None:
    """Text as the person typed it: a browser sends each line break of a text area as CR LF, which its
    counter counted as one character; and the invisible characters no text needs (a NUL, which PostgreSQL
    refuses, other controls, non-characters: `safe_text`) are removed, the rest kept."""
    return safe_text(value.replace("\r\n", "\n")) if isinstance(value, str) else value


#: The digits a decimal column (Numeric(18, 4)) keeps before the decimal point.
DECIMAL_DIGITS = 14


def storable_decimal(value: Decimal | None) -> Decimal | None:
    """A number as a decimal column can hold it; otherwise (NaN, Infinity, 10^14 or more once rounded to
    four places) a ValueError, which the field shows as its error: PostgreSQL would refuse it with a
    server error."""
    if value is None:
        return None
    if value.is_finite() and value.adjusted() < DECIMAL_DIGITS:
        rounded = value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
        if abs(rounded) < Decimal(10) ** DECIMAL_DIGITS:
            return value
    raise ValueError(
        _("Enter a number with at most %(digits)d digits before the decimal point.", digits=DECIMAL_DIGITS)
    )


def visible_or_empty(value: str | None) -> str | None:
    """A name made only of invisible characters is no name: empty, so that a required field says so."""
    return "" if isinstance(value, str) and not has_visible_text(value) else value


#: WTForms' own messages that its catalogues leave untranslated or fuzzy in some UN language (Arabic has no
#: plural of "Field cannot be longer than…"), named here so that ours carry them, in the glossary's words.
WTFORMS_MESSAGES = (
    lazy_ngettext(
        "Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters.", 2
    ),
    lazy_ngettext(
        "Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long.", 2
    ),
    lazy_ngettext(
        "Field must be exactly %(max)d character long.", "Field must be exactly %(max)d characters long.", 2
    ),
    lazy_ngettext(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
        2,
    ),
    _l("Not a valid time value."),
    _l("Not a valid week value."),
    _l("This field cannot be edited."),
    _l("This field is disabled and cannot have a value."),
)


class FormMessages:
    """The messages of WTForms' validators in the person's language: from our catalogues where they hold the
    message (every language, the glossary's words), else from WTForms' own."""

    def gettext(self, string: str) -> str:
        ours = get_translations().ugettext(string)
        return ours if ours != string else wtforms_translations.gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        ours = get_translations().ungettext(singular, plural, n)
        return ours if ours not in (singular, plural) else wtforms_translations.ngettext(singular, plural, n)


FORM_MESSAGES = FormMessages()


class Form(FlaskForm):
    """A form with a CSRF token; its page shows an error summary when it is sent back."""

    class Meta:
        def get_translations(self, form) -> FormMessages:
            """WTForms' messages from our catalogues first (`FormMessages`)."""
            return FORM_MESSAGES

        def bind_field(self, form, unbound_field, options):
            """Every text field but a password reads what was sent as typed (`as_typed`) before its own
            filters; every decimal field, a number its column can hold (`storable_decimal`) after them."""
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                options["filters"] = [as_typed, *unbound_field.kwargs.get("filters", ())]
            if issubclass(field_class, DecimalField):
                options["filters"] = [*unbound_field.kwargs.get("filters", ()), storable_decimal]
            return super().bind_field(form, unbound_field, options)

    def show(self, error: DomainError, near: str | None = None) -> None:
        """Put a refusal of the services next to the visible field it names, else next to the field `near`
        (where this form's person acts on it), else above the form. The one way a view shows a
        DomainError on a form."""
        named = getattr(self, error.field, None) if error.field else None
        if named is not None and named.type == "HiddenField":
            named = None  # a hidden field shows no message: the person would never read it
        field = named if named is not None else getattr(self, near, None) if near else None
        (field.errors if field is not None else self.form_errors).append(error.message)

    @property
    def token_expired(self) -> bool:
        """Whether the only trouble may be a missing, wrong or stale CSRF token."""
        return bool(self.meta.csrf and "csrf_token" in self.errors)


def choices(pairs) -> list[SelectChoice]:
    """Options for a SelectField from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def enum_choices(enum_class) -> list[SelectChoice]:
    """Options for a SelectField from a LabelledEnum, with translated labels."""
    return [SelectChoice(member.value, member.label) for member in enum_class]


def checks_csrf_in_form(view: Callable) -> Callable:
    """Mark a view whose form validates the CSRF token itself, so that a stale token re-renders the form
    with the person's text (the site-wide check would answer with a bare error page)."""
    return csrf.exempt(view)


def form_status(form: Form) -> int:
    """The status of a form page: 200 when fresh, 400 for a bad token, 422 for other errors."""
    if form.is_submitted() and form.errors:
        return 400 if form.token_expired else 422
    return 200


def render_form(template: str, form: Form, **context):
    """Render a form page with the status its form calls for; what was typed is kept."""
    return render_template(template, form=form, **context), form_status(form)
