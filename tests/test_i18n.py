"""Six languages: every page in each, Arabic right to left, the person's choice first, complete catalogues."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from consult.accounts.models import User
from consult.extensions import db
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
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_ngettext": (1, 2)}
    in_code, files_read = set(), set()
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        in_code.add(message[0] if isinstance(message, tuple) else message)
        files_read.add(filename)
    templates_with_messages = {
        str(path.relative_to(ROOT)) for path in (ROOT / "templates").rglob("*.*") if "_(" in path.read_text()
    }
    assert templates_with_messages - files_read == set()
    for language in LANGUAGES:
        in_catalogue = {m.id[0] if isinstance(m.id, tuple) else m.id for m in catalogue(language) if m.id}
        assert in_code - in_catalogue == set(), f"{language} lacks: {sorted(in_code - in_catalogue)[:5]}"


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
