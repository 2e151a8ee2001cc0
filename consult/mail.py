"""E-mail: over SMTP when a server is configured, else printed to the console and kept for the demo."""

import smtplib
import sys
from collections import deque
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import Flask, current_app, has_request_context, render_template, url_for
from flask_babel import force_locale

from consult.text import safe_text


@dataclass(frozen=True)
class Mail:
    """A message ready to send: one recipient, a subject and a plain-text body."""

    to: str
    subject: str
    body: str


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an e-mail: from the request when there is one, else from PUBLIC_URL (jobs and
    commands run outside any request)."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        return url_for(endpoint, _external=True, **values)


def compose(to: str, subject: str, template: str, language: str | None, **context) -> Mail:
    """Render an e-mail from templates/mail/<template>.txt in the recipient's language."""
    with force_locale(language or current_app.config["BABEL_DEFAULT_LOCALE"]):
        body = render_template(f"mail/{template}.txt", **context)
        # A header holds one line (a line break in it fails the message) of what any text may hold.
        return Mail(to=to, subject=" ".join(safe_text(str(subject)).split()), body=body)


def _message(mail: Mail) -> EmailMessage:
    """The RFC 5322 message for a Mail."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="consult.local")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(mail.body)
    return message


def send(mail: Mail) -> None:
    """Send now: over SMTP if MAIL_SERVER is set, else to the console and the outbox."""
    config = current_app.config
    message = _message(mail)
    if not config["MAIL_SERVER"]:
        current_app.extensions["consult_outbox"].append(message)
        print(f"--- e-mail (no MAIL_SERVER set) ---\n{message}\n---", file=sys.stderr, flush=True)
        return
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT"]) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


#: Messages kept when no SMTP server is set: the latest ones only, so a long-running server does not grow.
OUTBOX_SIZE = 200


def init_app(app: Flask) -> None:
    """Keep messages sent without an SMTP server, so that the demo and development can read them."""
    app.extensions["consult_outbox"] = deque(maxlen=OUTBOX_SIZE)


def deliver(mail: Mail) -> bool:
    """Send, logging a failure instead of raising: what the person did is saved either way."""
    try:
        send(mail)
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("an e-mail could not be sent")
        return False
    return True
