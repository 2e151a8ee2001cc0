"""The contributor's journey in a real browser: sign up, confirm, find the open round, comment on a
recommendation with an attachment and an assessment as "organisation only", get the receipt page and
e-mail, change the comment, see it listed; a second contributor's anonymous comment never shows its
author."""

import re

from PIL import Image
from sqlalchemy import select

from consult.accounts.models import User
from consult.extensions import db
from consult.organisations import services as organisations
from tests.conftest import link_in
from tests.factories import mid_term_round as open_round

PASSWORD = "a long journey passphrase"


def sign_up(page, base: str, inbox, name: str, email: str) -> None:
    page.goto(f"{base}/accounts/register")
    page.fill("#display_name", name)
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.fill("#password_repeat", PASSWORD)
    page.click("button[type=submit].button")
    assert "Check your inbox" in page.content()
    page.goto(base + link_in(inbox.last_to(email)))
    page.click("text=Confirm my address")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit].button")


def test_a_contributor_comments_and_an_anonymous_one_stays_anonymous(live_server, browser, inbox, tmp_path):
    base, app = live_server
    open_round(app)
    page = browser.new_page(locale="en-GB")
    sign_up(page, base, inbox, "Olga Petrova", "olga@example.org")
    assert "Sign out" in page.content()
    with app.app_context():  # a coordinator confirms her membership (their own journey is tested elsewhere)
        organisation = organisations.find_by_name("Women's Rights Network")
        olga = db.session.scalar(select(User).where(User.email == "olga@example.org"))
        organisations.confirm_membership(None, organisations.request_membership(olga, organisation))
        db.session.commit()

    page.click("nav.main-nav >> text=Consultations")
    page.click("text=Mid-term consultation")
    page.click("summary")
    page.click("a[href*='target=recommendation']")
    assert "UPR" in page.locator("main").inner_text()  # the form says which recommendation it is about
    page.fill("#body", "The Optional Protocol is still not ratified; the bill stalled in parliament.")
    page.select_option("#assessment", "not_started")
    page.select_option("#organisation", label="Women's Rights Network")  # before: "Myself only" has no name
    page.check("input[value=organisation]")
    photo = tmp_path / "evidence.png"
    Image.new("RGB", (20, 20), "blue").save(photo)
    page.set_input_files("#attachments", str(photo))
    page.click("button[value=submit]")
    receipt = re.search(r"R-\d{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", page.content()).group(0)
    assert "Your comment is received" in page.content() and "evidence.png" in page.content()
    assert receipt in inbox.last_to("olga@example.org")["Subject"]

    page.click("text=Change")
    page.fill("#body", "The Optional Protocol is still not ratified; the bill stalled in parliament in May.")
    page.click("button[value=submit]")
    assert "Your comment is saved." in page.content()

    second = browser.new_page(locale="en-GB")
    sign_up(second, base, inbox, "Zoran Hidden", "zoran@example.org")
    second.goto(f"{base}/comments/new/mid-term?target=round")
    second.fill("#body", "Defenders who speak up are followed.")
    second.check("input[value=anonymous]")
    second.click("button[value=submit]")
    assert "Your comment is received" in second.content()

    reader = browser.new_page()
    reader.goto(f"{base}/rounds/mid-term")
    listed = reader.content()
    assert "bill stalled in parliament in May" in listed and "Women's Rights Network" in listed
    assert "Olga Petrova" not in listed  # organisation only
    assert "Defenders who speak up are followed." in listed and "Anonymous contributor" in listed
    assert "Zoran" not in listed and "zoran@example.org" not in listed
    reader.goto(f"{base}/rounds/mid-term/feed.atom")
    assert "Zoran" not in reader.content()
