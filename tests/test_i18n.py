"""Six languages: every page in each, Arabic right to left, the person's choice first, complete catalogues."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from flask import render_template_string
from flask_babel import force_locale, lazy_ngettext, lazy_pgettext, ngettext, npgettext, pgettext
from sqlalchemy import select

from consult.accounts.models import StaffRoleName, User
from consult.extensions import db
from consult.i18n import parse_number
from consult.plan.models import Action, Cluster, Indicator, IndicatorValue
from tests.helpers import make_user, sign_in, submit

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")
#: A word of the home page's heading in each language, from its catalogue.


def catalogue(language: str):
    """The language's catalogue as Babel reads it."""
    with open(ROOT / f"translations/{language}/LC_MESSAGES/messages.po", "rb") as file:
        return read_po(file)


HOME_HEADING = {
    language: catalogue(language)
    .get("Consultations on the implementation of human rights recommendations")
    .string
    for language in LANGUAGES
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", ["/", "/accounts/sign-in", "/accounts/register", "/accounts/reset", "/nope"])
def test_every_public_page_speaks_each_language(client, language, path):
    response = client.get(path, headers={"Accept-Language": language})
    page = response.get_data(as_text=True)
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in page
    if path == "/":
        assert HOME_HEADING[language] in page


def test_the_switcher_beats_the_browser_and_a_saved_choice_beats_both(app, client):
    assert 'lang="fr"' in client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)[:80]
    client.get("/language/switch?language=zh&next=/accounts/sign-in")
    assert '<html lang="zh"' in client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)

    account = make_user(app)
    with app.app_context():
        db.session.get(User, account.id).locale = "ru"
        db.session.commit()
    sign_in(client, app, account)
    assert '<html lang="ru"' in client.get("/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    submit(client, "/language", {"language": "ar"})
    with app.app_context():
        assert db.session.get(User, account.id).locale == "ar"


def test_the_switcher_returns_to_the_same_page_only(app, client):
    switch = "/language/switch?language={}&next={}"
    assert client.get(switch.format("es", "/accounts/reset")).location.endswith("/accounts/reset")
    assert client.get(switch.format("es", "https://evil.example")).location.endswith("/")
    assert client.get(switch.format("xx", "/")).status_code == 302
    sign_in(client, app, make_user(app))
    for path in ("/accounts/reset", "https://evil.example"):
        answer = submit(client, "/language", {"language": "es", "next": path}, page="/accounts/settings")
        assert answer.location.endswith(path if path.startswith("/") else "/")


def test_a_reader_switches_language_without_a_cookie_until_then(client):
    """Reading sets no cookie; the switch keeps the choice in the session and writes nothing."""
    page = client.get("/plan/")
    assert "Set-Cookie" not in page.headers and 'name="csrf_token"' not in page.get_data(as_text=True)
    assert 'action="/language/switch"' in page.get_data(as_text=True)
    client.get("/language/switch?language=ar&next=/plan/")
    assert '<html lang="ar" dir="rtl">' in client.get("/plan/").get_data(as_text=True)


def test_each_language_names_itself_in_the_switcher(client):
    page = client.get("/").get_data(as_text=True)
    for code, name in (
        ("ar", "العربية"),
        ("zh", "中文"),
        ("ru", "Русский"),
        ("es", "Español"),
        ("fr", "Français"),
    ):
        assert re.search(rf'lang="{code}"[^>]*>{name}<', page), code


def test_dates_and_numbers_follow_the_locale(app):
    from datetime import UTC, datetime

    from flask_babel import force_locale, format_date, format_decimal

    with app.test_request_context(), force_locale("fr"):
        assert format_decimal(41066) == "41\u202f066"
        assert format_date(datetime(2026, 11, 24, tzinfo=UTC), "long") == "24 novembre 2026"
    with app.test_request_context(), force_locale("ar"):
        assert "نوفمبر" in format_date(datetime(2026, 11, 24, tzinfo=UTC), "long")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalogue_is_complete(language):
    """No untranslated or fuzzy message, and every placeholder is one the source has."""
    messages = catalogue(language)
    assert not messages.fuzzy, f"{language}: the header is marked fuzzy"
    assert list(messages.check()) == []
    placeholder = re.compile(r"%\(\w+\)[sd]")
    for message in messages:
        if not message.id:
            continue
        assert not message.fuzzy, f"{language}: {message.id!r} is fuzzy"
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert len(strings) == (messages.num_plurals if message.pluralizable else 1)
        allowed = set(placeholder.findall(" ".join(ids)))
        for string in strings:
            assert string, f"{language}: {ids[0]!r} is not translated"
            foreign = set(placeholder.findall(string)) - allowed
            assert not foreign, f"{language}: {ids[0]!r} has a placeholder the source lacks: {foreign}"


def test_every_message_in_the_code_is_in_the_catalogues():
    """Nothing user-facing was added without going through `make translations`, and the extraction that
    `make translations` runs (babel.cfg) reads every template that has a message."""
    with open(ROOT / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {
        **DEFAULT_KEYWORDS,
        "_l": None,
        "lazy_gettext": None,
        "lazy_ngettext": (1, 2),
        "lazy_pgettext": ((1, "c"), 2),
        "lazy_npgettext": ((1, "c"), 2, 3),
    }
    in_code, files_read = set(), set()
    for filename, _lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        in_code.add((context, message[0] if isinstance(message, tuple) else message))
        files_read.add(filename)
    templates_with_messages = {
        str(path.relative_to(ROOT)) for path in (ROOT / "templates").rglob("*.*") if "_(" in path.read_text()
    }
    assert templates_with_messages - files_read == set()
    for language in LANGUAGES:
        in_catalogue = {
            (m.context, m.id[0] if isinstance(m.id, tuple) else m.id) for m in catalogue(language) if m.id
        }
        missing = sorted(in_code - in_catalogue, key=str)
        assert not missing, f"{language} lacks: {missing[:5]}"


def test_deadlines_read_in_the_rounds_time_zone_across_a_daylight_saving_change(app):
    from datetime import UTC, datetime

    from flask_babel import force_locale

    from consult.i18n import format_moment

    with app.test_request_context(), force_locale("en"):
        # Slovenia moves from CET to CEST at 01:00 UTC on 29 March 2026.
        assert format_moment(datetime(2026, 3, 29, 0, 30, tzinfo=UTC), "Europe/Ljubljana").startswith(
            "March 29, 2026, 1:30\u202fAM"
        )
        assert format_moment(datetime(2026, 3, 29, 1, 30, tzinfo=UTC), "Europe/Ljubljana").startswith(
            "March 29, 2026, 3:30\u202fAM"
        )
    with app.test_request_context(), force_locale("zh"):
        assert format_moment(datetime(2026, 12, 15, 4, 0, tzinfo=UTC), "America/Santiago").startswith(
            "2026年12月15日 01:00"
        )


def test_a_signed_in_persons_time_zone_wins(app):
    from datetime import UTC, datetime

    from flask_login import login_user

    from consult.i18n import format_moment

    account = make_user(app)
    with app.test_request_context():
        user = db.session.get(User, account.id)
        user.timezone = "Asia/Tokyo"
        login_user(user)
        assert "1:00\u202fPM · Japan Time" in format_moment(
            datetime(2026, 12, 15, 4, 0, tzinfo=UTC), "America/Santiago"
        )


#: A plural message as the code writes it, with `%(num)d`.
RECOMMENDATIONS = ("%(num)d recommendation", "%(num)d recommendations")
#: How 12,345 recommendations read in each language: the count grouped as the language groups digits (a
#: narrow no-break space in French, a no-break space in Russian, a dot in Spanish), the right plural form.
COUNTED = {
    "en": "12,345 recommendations",
    "fr": "12\u202f345 recommandations",
    "es": "12.345 recomendaciones",
    "ru": "12\xa0345 рекомендаций",
    "ar": "12,345 توصيةً",
    "zh": "12,345 项建议",
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_count_in_a_plural_message_is_grouped_as_the_language_writes_numbers(app, language):
    template = "{{ ngettext('%(num)d recommendation', '%(num)d recommendations', n) }}"
    with app.test_request_context(), force_locale(language):
        assert ngettext(*RECOMMENDATIONS, 12345) == COUNTED[language]
        assert str(lazy_ngettext(*RECOMMENDATIONS, 12345)) == COUNTED[language]
        assert render_template_string(template, n=12345) == COUNTED[language]


def test_plural_forms_are_chosen_by_the_count_not_by_its_formatted_text(app):
    with app.test_request_context(), force_locale("ar"):
        assert ngettext("%(num)d day", "%(num)d days", 2) == "يومان"
        assert ngettext("%(num)d day", "%(num)d days", 1103) == "1,103 أيام"
        assert ngettext("%(num)d day", "%(num)d days", 1100) == "1,100 يوم"
    with app.test_request_context(), force_locale("ru"):
        assert ngettext(*RECOMMENDATIONS, 1001) == "1\xa0001 рекомендация"
        assert ngettext(*RECOMMENDATIONS, 2) == "2 рекомендации"
    with app.test_request_context(), force_locale("en"):
        assert npgettext("no such context", *RECOMMENDATIONS, 1234) == "1,234 recommendations"


def test_values_stay_escaped_and_a_count_given_formatted_is_used_as_it_is(app):
    with app.test_request_context(), force_locale("fr"):
        html = render_template_string("{{ ngettext('%(num)d day', '%(num)d days', n, x='<b>') }}", n=1500)
        assert html == "1\u202f500 jours"
        escaped = render_template_string("{{ _('Target: %(value)s (%(year)s)', value='<b>', year=n) }}", n=1)
        assert "&lt;b&gt;" in escaped
    with app.test_request_context(), force_locale("en"):
        given = "{{ ngettext('%(num)s comment', '%(num)s comments', n, num=n|number) }}"
        assert render_template_string(given, n=1500) == "1,500 comments"
        assert ngettext("%(num)s comment", "%(num)s comments", 1500, num="1,500") == "1,500 comments"


@pytest.mark.parametrize(
    ("language", "typed", "stored"),
    [
        ("fr", "12,5", "12.5"),
        ("fr", "1 234,5", "1234.5"),
        ("fr", "1\u202f234,5", "1234.5"),
        ("es", "12,5", "12.5"),
        ("es", "1.234,5", "1234.5"),
        ("ru", "12,5", "12.5"),
        ("ru", "-0,75", "-0.75"),
        ("ar", "١٢٫٥", "12.5"),
        ("ar", "١٬٢٣٤٫٥", "1234.5"),
        ("ar", "12.5", "12.5"),
        ("zh", "12.5", "12.5"),
        ("en", "1,234.5", "1234.5"),
        ("fr", "12.5", "12.5"),
        ("es", "12.5", "12.5"),
    ],
)
def test_a_number_is_read_as_the_persons_language_writes_it(app, language, typed, stored):
    from decimal import Decimal

    with app.test_request_context(), force_locale(language):
        assert parse_number(typed) == Decimal(stored)


@pytest.mark.parametrize(("language", "typed"), [("en", "12,5"), ("fr", "douze"), ("ar", "١٢٫٥٫١")])
def test_what_is_not_a_number_in_the_persons_language_is_refused(app, language, typed):
    with app.test_request_context(), force_locale(language), pytest.raises(ValueError):
        parse_number(typed)


def test_an_indicator_takes_decimal_commas_and_arabic_digits_and_shows_them_back(app):
    """A French coordinator types "12,5", an Arabic one "١٢٫٥": both are stored as 12.5, and the form shows
    the stored number back as each writes it."""
    from decimal import Decimal

    account = make_user(app, (StaffRoleName.coordinator,))
    with app.app_context():
        db.session.get(User, account.id).locale = "fr"
        cluster = Cluster(code="C1", title={"en": "Justice"})
        db.session.add(cluster)
        db.session.flush()
        db.session.add(
            Action(code="A1", cluster_id=cluster.id, title={"en": "Visits"}, responsible_entity="M")
        )
        db.session.commit()
        action_id = db.session.scalar(select(Action.id))
    client = app.test_client()
    sign_in(client, app, account)
    fields = {"action": str(action_id), "kind": "process", "title_en": "Visits"}
    sent = submit(client, "/plan/indicators/new", {**fields, "baseline": "12,5", "target": "1 000,25"})
    assert sent.status_code == 302
    with app.app_context():
        indicator = db.session.scalar(select(Indicator))
        assert (indicator.baseline, indicator.target) == (Decimal("12.5"), Decimal("1000.25"))
        indicator_id = indicator.id
    edit = client.get(f"/plan/indicators/{indicator_id}/edit").get_data(as_text=True)
    assert 'value="12,5"' in edit and 'inputmode="decimal"' in edit
    with app.app_context():
        db.session.get(User, account.id).locale = "ar"
        db.session.commit()
    prefix = f"value-{indicator_id}"
    data = {f"{prefix}-period": "2026-06-30", f"{prefix}-value": "١٢٫٥"}
    page = f"/plan/actions/{action_id}"
    assert (
        submit(client, f"/plan/indicators/{indicator_id}/values", data, page=page, prefix=prefix).status_code
        == 302
    )
    zero = {f"{prefix}-period": "2026-07-31", f"{prefix}-value": "0"}
    assert (
        submit(client, f"/plan/indicators/{indicator_id}/values", zero, page=page, prefix=prefix).status_code
        == 302
    )
    with app.app_context():
        assert sorted(db.session.scalars(select(IndicatorValue.value))) == [Decimal(0), Decimal("12.5")]


def test_the_reports_figures_are_written_for_the_reports_language(app):
    """Shares and counts in the PDF and DOCX report: "25 %" and "1 234" in French, "25%" in Arabic."""
    from consult.disclosure import Count
    from consult.reports.report import _breakdown
    from consult.summaries.figures import Shown

    rows = [Shown("ngo", "NGO", Count(1234), 0.25)]
    with app.test_request_context(), force_locale("fr"):
        assert _breakdown("By type", "Type", rows).rows == [["NGO", "1\u202f234", "25\xa0%"]]
    with app.test_request_context(), force_locale("ar"):
        assert _breakdown("By type", "Type", rows).rows[0][1:] == ["1,234", "25%"]


def test_a_shared_word_reads_by_its_context_in_python_and_in_templates(app):
    """ "Comment" the button and "Comment" the thing, "Published" the state: each context its own words."""
    template = (
        '{{ pgettext("verb", "Comment") }}/{{ pgettext("noun", "Comment") }}/'
        '{{ pgettext("state", "Published") }}'
    )
    with app.test_request_context(), force_locale("fr"):
        assert render_template_string(template) == "Contribuer/Contribution/Publiée"
        assert pgettext("filter", "All") == "Toutes"
        assert str(lazy_pgettext("feature", "Moderation")) == "Modération"
    with app.test_request_context(), force_locale("ar"):
        assert render_template_string(template) == "علِّق/تعليق/منشور"


@pytest.mark.parametrize("language", ["ar", "es", "fr", "ru", "zh"])
def test_the_validators_own_messages_are_in_every_language(app, language):
    """WTForms' catalogues leave some of its messages untranslated (Arabic has no "Field cannot be longer
    than…"): a form's messages come from ours first, so that none is shown in English."""
    from wtforms import StringField
    from wtforms.validators import Length

    from consult.forms import Form

    class Short(Form):
        class Meta:
            csrf = False

        name = StringField(validators=[Length(min=2, max=5)])

    for typed, english in (("abcdefgh", "Field cannot be longer"), ("a", "Field must be at least")):
        with app.test_request_context(
            method="POST", data={"name": typed}, headers={"Accept-Language": language}
        ):
            form = Short()
            assert not form.validate()
            (message,) = form.name.errors
            assert english not in message and "%(" not in message, message
            assert ("5" if typed == "abcdefgh" else "2") in message
