"""E-mail goes out over SMTP when a server is set, and is printed and kept when not."""

import re
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from flask import render_template_string
from flask_babel import force_locale

from config import TestingConfig
from consult import create_app, mail
from consult.extensions import db
from tests.helpers import make_user


@pytest.mark.smtp
def test_a_message_reaches_the_smtp_server_in_the_recipients_language(app, inbox):
    account = make_user(app, email="ruth@example.org")
    with app.test_request_context():
        from consult.accounts.models import User

        user = db.session.get(User, account.id)
        message = mail.compose(user.email, "Subject", "reset_password", "es", user=user, link="https://x/y")
        assert mail.deliver(message)
    received = inbox.last_to("ruth@example.org")
    assert received["From"] == app.config["MAIL_DEFAULT_SENDER"]
    assert received["Auto-Submitted"] == "auto-generated" and received["Message-ID"]
    assert "Hola" in received.get_content() and "https://x/y" in received.get_content()


def test_without_a_server_mail_is_printed_and_kept(database, capsys):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=database, MAIL_SERVER="")
    with app.test_request_context():
        assert mail.deliver(mail.Mail("a@example.org", "Hello", "Body text"))
    assert app.extensions["consult_outbox"][0]["To"] == "a@example.org"
    assert "Body text" in capsys.readouterr().err


def test_an_unreachable_server_is_logged_not_raised(database, caplog):
    app = create_app(
        TestingConfig, SQLALCHEMY_DATABASE_URI=database, MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_TIMEOUT=2
    )
    with app.test_request_context():
        assert mail.deliver(mail.Mail("a@example.org", "Hello", "Body")) is False
    assert "could not be sent" in caplog.text


def test_plain_text_mail_carries_no_markup_where_a_page_would(app):
    """A title that falls back to English is marked up with its language on a page; in an e-mail, which is
    plain text, the reader sees the title alone, and a name is not wrapped in <bdi>."""
    closes = datetime(2026, 12, 24, 17, tzinfo=UTC)
    round_ = SimpleNamespace(title={"en": "Mid-term <consultation>"}, closes_at=closes, timezone="UTC")
    user = SimpleNamespace(display_name="Ana")
    with app.test_request_context():
        with force_locale("fr"):
            page = render_template_string(
                "{{ round.title|localized }} {{ name|isolated }}", round=round_, name="Ana"
            )
        message = mail.compose(
            "a@example.org", "S", "round_opened", "fr", round=round_, user=user, link="https://x/y"
        )
    assert page == '<span lang="en" dir="ltr">Mid-term &lt;consultation&gt;</span> <bdi>Ana</bdi>'
    # French sets a narrow no-break space inside its quotation marks.
    assert re.search("«[ \u202f\u00a0]Mid-term <consultation>[ \u202f\u00a0]»", message.body), message.body
    assert "<span" not in message.body and "&lt;" not in message.body
