"""What the browser journeys share: signing in through the real form, and screenshots of a page in English,
Arabic and Chinese kept as the run's artefacts (CONSULT_ARTEFACTS, or artefacts/screenshots/ under the
project), for a person to look over: right to left in Arabic, no tofu in Chinese."""

import os
from pathlib import Path

from flask import Flask
from PIL import Image

from consult.accounts.models import User
from consult.extensions import db
from tests.helpers import Account, next_totp_code

PROJECT = Path(__file__).resolve().parents[2]
#: The languages each journey is photographed in: the default, one right to left, one in CJK characters.
JOURNEY_LANGUAGES = ("en", "ar", "zh")


def artefacts() -> Path:
    """The folder the screenshots go to, created if needed."""
    folder = Path(os.environ.get("CONSULT_ARTEFACTS") or PROJECT / "artefacts" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sign_in(page, base: str, app: Flask, account: Account) -> None:
    """Sign in through the real form, and the second factor when the account has one."""
    page.goto(f"{base}/accounts/sign-in")
    page.fill("#email", account.email)
    page.fill("#password", account.password)
    page.click("main button[type=submit]")
    if account.totp_secret and "/accounts/sign-in/code" in page.url:
        page.fill("#code", next_totp_code(app, account))
        page.click("main button[type=submit]")
    assert "/accounts/sign-in" not in page.url, f"{account.email} could not sign in: {page.url}"


def assert_not_blank(path: Path) -> None:
    """The file is a picture with something drawn on it, not one flat colour."""
    assert path.is_file() and path.stat().st_size > 0, f"{path} was not written"
    with Image.open(path) as image:
        darkest, lightest = image.convert("L").getextrema()
    assert lightest - darkest > 64, f"{path} is blank"


def screenshots(page, app: Flask, account: Account, name: str, show=None) -> list[Path]:
    """The page open in `page` (signed in as account) photographed in each journey language, by setting the
    account's language and showing the page again: show(page), or a reload (a page that answered a POST,
    which a reload would send again, is shown again by pressing its button). The account's language is put
    back afterwards. Returns the files."""
    show = show or (lambda again: again.reload())
    written = []
    with app.app_context():
        before = db.session.get(User, account.id).locale
    try:
        for language in JOURNEY_LANGUAGES:
            with app.app_context():
                db.session.get(User, account.id).locale = language
                db.session.commit()
            show(page)
            assert page.evaluate("document.documentElement.lang") == language, page.url
            target = artefacts() / f"journey-{name}-{language}.png"
            page.screenshot(path=str(target), full_page=True)
            assert_not_blank(target)
            written.append(target)
    finally:
        with app.app_context():
            db.session.get(User, account.id).locale = before
            db.session.commit()
        show(page)
    return written
