"""The six UN languages: choosing the locale and time zone, and reading translated content."""

import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, dates, lists, numbers
from flask import Flask, current_app, has_request_context, request, session
from flask_babel import (
    Domain,
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    get_locale,
    get_translations,
)
from flask_login import current_user
from jinja2 import pass_context, pass_eval_context
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from markupsafe import Markup, escape

from consult.extensions import babel

RTL_LANGUAGES = frozenset({"ar"})


def language_names() -> list[tuple[str, str]]:
    """Each supported language with its name written in that language, for the switcher."""
    return [
        (code, Locale.parse(code).get_display_name(code).capitalize() if code != "zh" else "中文")
        for code in current_app.config["LANGUAGES"]
    ]


def select_locale() -> str:
    """The person's saved choice, then the one made with the switcher, then the browser's."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # a CLI command or a job: the deployment's language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return reader_locale()


def reader_locale() -> str:
    """For someone not signed in: the language chosen with the switcher, then the browser's."""
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str | None:
    """The person's time zone, if they chose one; otherwise the deployment's."""
    if has_request_context() and current_user and current_user.is_authenticated and current_user.timezone:
        return current_user.timezone
    return None


def is_valid_timezone(name: str) -> bool:
    """Whether name is an IANA time zone this machine knows."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def language_name(code: str) -> str:
    """A language's name in the reader's language: "fr" is "French" to an English reader."""
    try:
        return Locale.parse(code).get_display_name(get_locale() or "en") or code
    except (ValueError, TypeError):
        return code


def format_moment(moment: datetime, zone: str | None = None) -> str:
    """A date and time as people read a deadline: long date, hours and minutes, and the time zone's name,
    in the person's own time zone if they chose one, else in the zone given (a round's), else the
    deployment's."""
    locale = get_locale() or Locale.parse("en")
    chosen = select_timezone() or zone or current_app.config["BABEL_DEFAULT_TIMEZONE"]
    tzinfo = ZoneInfo(chosen) if is_valid_timezone(chosen) else ZoneInfo("UTC")
    local = moment.astimezone(tzinfo)
    pattern = dates.get_datetime_format("long", locale=locale)
    text = pattern.replace("{1}", dates.format_date(local, "long", locale=locale)).replace(
        "{0}", dates.format_time(local, "short", locale=locale)
    )
    zone_name = "UTC" if chosen in ("UTC", "Etc/UTC") else dates.get_timezone_location(tzinfo, locale=locale)
    return f"{text} · {zone_name}"  # zone names hold parentheses of their own: "Chile (Santiago) Time"


def current_language() -> str:
    """The two-letter code of the language the page is in."""
    return str(get_locale() or "en").split("_")[0]


def requested_language() -> str:
    """A document's language: ?lang= if it is one of the six, else the reader's."""
    asked = request.args.get("lang", "")
    return asked if asked in current_app.config["LANGUAGES"] else current_language()


def has_visible_text(text: str) -> bool:
    """Whether text shows anything: not only spaces, line breaks and invisible characters (zero-width
    spaces and joiners, bidi marks and overrides, byte order marks and other controls)."""
    return any(unicodedata.category(char)[0] not in "ZC" for char in text)


def isolated(value: str) -> Markup:
    """Text a person typed (a name, a file's name) set apart from the words around it, so that its direction
    (Arabic beside English, or a pasted bidi override) can never reorder them."""
    return Markup("<bdi>{0}</bdi>").format(value)


def with_isolated(message: str, **names: str) -> Markup:
    """A translated message, got without its values, with the names a person typed set into it isolated:
    for a flash message, which the page shows as it is given. `with_isolated(_("%(name)s may …"), name=x)`."""
    return escape(message) % {key: isolated(value) for key, value in names.items()}


def text_direction(language: str | None = None) -> str:
    """ "rtl" for Arabic, "ltr" otherwise."""
    return "rtl" if (language or current_language()) in RTL_LANGUAGES else "ltr"


def localized(value: Mapping[str, str] | None, language: str | None = None) -> str:
    """Content in the reader's language, else English, else whichever language it has."""
    if not value:
        return ""
    language = language or current_language()
    for candidate in (language, "en"):
        if value.get(candidate):
            return value[candidate]
    return next((text for text in value.values() if text), "")


def localized_pair(value: Mapping[str, str] | None) -> tuple[str, str]:
    """(language, text) of content in the reader's language or the one it falls back to, so that a block
    can carry its own lang and dir."""
    text = localized(value)
    language = current_language()
    if value and not value.get(language):
        language = next((code for code, candidate in value.items() if candidate == text), "en")
    return language, text


def localized_with_language(value: Mapping[str, str] | None) -> Markup:
    """Translated content wrapped with its own lang attribute when it falls back to another language."""
    text = localized(value)
    if not value or value.get(current_language()):
        return Markup.escape(text)
    language = next((code for code, candidate in value.items() if candidate == text), "en")
    return Markup('<span lang="{0}" dir="{1}">{2}</span>').format(language, text_direction(language), text)


#: The count of a plural message, whichever way its msgid writes it.
COUNT = re.compile(r"%\(num\)[ds]")
#: What a number may carry that is no part of it: bidi marks (Arabic writes one before a minus sign).
NUMBER_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u061c"), None) | {ord("\u2212"): "-"}


def counted(message: str, variables: dict) -> tuple[str, dict]:
    """A plural message and its values with the count (`num`) written as the reader's language writes
    numbers: "1,234 comments", "1 234 contributions" (a narrow no-break space in French). A msgid's
    `%(num)d` becomes `%(num)s`, so that the formatted count fits it."""
    num = variables.get("num")
    if isinstance(num, int | float | Decimal) and not isinstance(num, bool):
        return COUNT.sub("%(num)s", message), {**variables, "num": format_decimal(num)}
    return message, variables


class CountingDomain(Domain):
    """Flask-Babel's message domain, whose plural messages write their count for the reader's locale: what
    `ngettext`, `npgettext` and their lazy forms, imported from flask_babel anywhere, go through."""

    def ngettext(self, singular: str, plural: str, num: int, /, **variables) -> str:
        """A plural message with its count formatted for the locale."""
        variables.setdefault("num", num)
        message, variables = counted(self.get_translations().ungettext(singular, plural, num), variables)
        return message % variables

    def npgettext(self, context: str, singular: str, plural: str, num: int, /, **variables) -> str:
        """A plural message in a context, with its count formatted for the locale."""
        variables.setdefault("num", num)
        message, variables = counted(
            self.get_translations().unpgettext(context, singular, plural, num), variables
        )
        return message % variables


def _jinja_plural(context: Context, message: str, variables: dict) -> str:
    message, variables = counted(message, variables)
    # a catalogue is trusted as Jinja's own ngettext trusts it; the values are escaped by Markup's %
    return (Markup(message) if context.eval_ctx.autoescape else message) % variables  # noqa: S704


@pass_context
def jinja_ngettext(context: Context, singular: str, plural: str, num: int, /, **variables) -> str:
    """Templates' `ngettext`, with its count formatted for the locale (Jinja's own does not). A `num=`
    given explicitly (already formatted) is used as it is."""
    variables.setdefault("num", num)
    return _jinja_plural(context, get_translations().ungettext(singular, plural, num), variables)


@pass_context
def jinja_npgettext(
    context: Context, msgctxt: str, singular: str, plural: str, num: int, /, **variables
) -> str:
    """Templates' `npgettext`, with its count formatted for the locale."""
    variables.setdefault("num", num)
    return _jinja_plural(context, get_translations().unpgettext(msgctxt, singular, plural, num), variables)


def parse_number(text: str, locale: Locale | str | None = None) -> Decimal:
    """A number as a person types it in their language: "12,5" in French, Spanish or Russian, "١٢٫٥" in
    Arabic digits, "1 234,5" with any space between thousands; and "12.5" everywhere. A ValueError if it
    is not a number."""
    locale = Locale.parse(locale or get_locale() or "en")
    decimal, group = numbers.get_decimal_symbol(locale), numbers.get_group_symbol(locale)
    typed = "".join(
        str(unicodedata.decimal(char)) if char.isdecimal() else char for char in text.strip()
    ).translate(NUMBER_MARKS)
    typed = typed.replace("\u066b", decimal).replace("\u066c", group)  # the Arabic separators
    if group.isspace():
        typed = re.sub(r"\s", group, typed)
    try:
        return numbers.parse_decimal(typed, locale, strict=True)
    except numbers.NumberFormatError:
        pass
    try:
        return Decimal(typed)  # the dot every language also reads, and what a column refuses (1e400)
    except InvalidOperation:
        raise ValueError(text) from None


def number_text(value: Decimal) -> str:
    """A stored number as the person would type it back: their decimal sign, every decimal kept, no
    thousands separator (so it reads back the same)."""
    locale = get_locale() or Locale.parse("en")
    return numbers.format_decimal(
        value.normalize(), locale=locale, decimal_quantization=False, group_separator=False
    )


def listed(items: Sequence[str]) -> str:
    """Words joined as the reader's language lists them: "French, Spanish and Arabic" in English, with "、"
    and "和" in Chinese, with the Arabic comma and "و" in Arabic."""
    return lists.format_list([str(item) for item in items], locale=get_locale() or "en") if items else ""


def _markup_or_text(markup_filter, text_filter):
    """A filter that marks up in HTML templates and gives the text alone in plain-text ones (e-mails), where
    markup would be read as characters."""

    @pass_eval_context
    def chosen(context: EvalContext, value):
        return markup_filter(value) if context.autoescape else text_filter(value)

    return chosen


def init_app(app: Flask) -> None:
    """Bind Flask-Babel and give templates the language helpers."""
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    babel.domain_instance = CountingDomain()
    app.jinja_env.globals.update(ngettext=jinja_ngettext, npgettext=jinja_npgettext)

    @app.context_processor
    def language_context() -> dict:
        language = current_language()
        return {
            "current_language": language,
            "text_direction": text_direction(language),
            "language_names": language_names,
            "localized_pair": localized_pair,
        }

    app.jinja_env.filters.update(
        localized=_markup_or_text(localized_with_language, localized),
        date=format_date,
        datetime=format_datetime,
        number=format_decimal,
        percent=format_percent,
        moment=format_moment,
        language_name=language_name,
        isolated=_markup_or_text(isolated, str),
    )
