"""The coordinator's journey in a real browser: a round set up from its defaults, with nothing typed lost on
an error; a check page that lists what is missing (the Chinese title, a summariser) and schedules the round
once it is fixed; the summariser chosen by name; dates off the calendar answered in their field; the French
title and a guiding question corrected after the round opens, told in the public change log (the question's
wording before and after) and read by a visitor; and cancelling, which asks for confirmation first."""

from datetime import timedelta

from sqlalchemy import select

from consult.accounts.models import StaffRoleName, User
from consult.extensions import db
from consult.organisations.models import OrganisationType
from consult.plan import services as plan
from consult.rounds.models import Round, RoundState
from tests.browser.support import screenshots, sign_in
from tests.factories import MembershipFactory, OrganisationFactory, now
from tests.helpers import make_user

SLUG = "mid-term-consultation-2027"


def _world(app):
    """A coordinator, the NHRI with a confirmed member who may summarise, and a frozen plan version."""
    coordinator = make_user(app, (StaffRoleName.coordinator,), name="Coordinator")
    ana = make_user(app, name="Ana Ruiz")
    with app.app_context():
        nhri = OrganisationFactory(name="Human Rights Commission", type=OrganisationType.nhri)
        MembershipFactory(user=db.session.get(User, ana.id), organisation=nhri)
        plan.freeze_version(None, "Plan 2026")
        db.session.commit()
    return coordinator


def _the_clock_opens(app) -> None:
    """Time passes: the round's opening time comes (the clock, not a person, opens a round)."""
    with app.app_context():
        round_ = db.session.scalar(select(Round).where(Round.slug == SLUG))
        round_.opens_at = now() - timedelta(seconds=1)
        db.session.commit()


def test_a_coordinator_sets_up_checks_schedules_corrects_and_cancels_a_round(live_server, browser):
    base, app = live_server
    coordinator = _world(app)
    page = browser.new_context(locale="en-GB").new_page()
    sign_in(page, base, app, coordinator)

    # Set up from the defaults: the newest plan version is already chosen, the dates filled in.
    page.goto(f"{base}/rounds/")
    page.click("text=New round")
    screenshots(page, app, coordinator, "coordinator-set-up")
    assert page.locator("#plan_version option:checked").inner_text() == "1 · Plan 2026"
    assert page.input_value("#opens_at").endswith("T09:00")
    page.fill("#title_en", "Mid-term consultation 2027")
    assert page.get_attribute("#slug", "placeholder") == SLUG  # the address the server will make
    page.fill("#title_fr", "Consultation à mi-parcour")
    page.fill("#description_en", "Tell us what changed since the review.")
    page.fill("#slug", "Mid Term!")
    opens_at, closes_at = page.input_value("#opens_at"), page.input_value("#closes_at")
    page.select_option("#timezone", "America/Santiago")
    page.fill("#closes_at", "9999-12-31T23:59")  # off the calendar in UTC: answered, never a crash
    page.click("text=Save and check")
    # Refused for the address and the date: everything typed is still there.
    assert page.locator(".error-summary").is_visible()
    assert "Give a date and time between the years 2000 and 2100." in page.locator("main").inner_text()
    assert page.input_value("#closes_at") == "9999-12-31T23:59"
    assert page.input_value("#title_fr") == "Consultation à mi-parcour"
    assert page.input_value("#description_en") == "Tell us what changed since the review."
    page.fill("#slug", "")  # made from the title
    page.fill("#opens_at", opens_at)
    page.fill("#closes_at", closes_at)
    page.click("text=Save and check")

    # The check page lists what is missing; the essential (a summariser) blocks scheduling.
    assert page.url.endswith(f"/rounds/{SLUG}/check")
    check = page.locator("main").inner_text()
    assert "Not yet translated into Spanish, Russian, Arabic, and Chinese." in check
    assert "Nobody summarises the input: choose an organisation or name a person." in check
    assert page.locator("button:has-text('Schedule the round')").count() == 0
    screenshots(page, app, coordinator, "coordinator-check")

    # Fix it: the Chinese title, then a summariser chosen by name.
    page.click("#check-title + dd a:has-text('Change')")
    page.fill("#title_zh", "2027年中期协商")
    page.click("text=Save and check")
    assert (
        "Not yet translated into Spanish, Russian, and Arabic."
        in page.locator("#check-title + dd").inner_text()
    )
    page.click("#check-summarisers + dd a:has-text('Change')")
    page.select_option("#person", label="Ana Ruiz · Human Rights Commission")
    page.click("text=Name the summariser")
    assert "Ana Ruiz may now summarise this round." in page.locator("main").inner_text()
    page.click("text=Check and schedule the round")
    assert "Nobody summarises" not in page.locator("main").inner_text()
    page.click("button:has-text('Schedule the round')")
    assert "The round is scheduled" in page.locator("main").inner_text()

    # Once open, the French title is corrected, and the public change log says so.
    _the_clock_opens(app)
    page.goto(f"{base}/rounds/{SLUG}/manage")
    page.click("text=Correct the title and introduction")
    page.fill("#title_fr", "Consultation à mi-parcours")
    page.click("text=Save the texts")
    assert "The round's texts are saved." in page.locator("main").inner_text()
    # An extension to a date off the calendar is answered in its field.
    page.fill("#closes_at", "9999-12-31T23:00")
    page.click("button:has-text('Extend')")
    assert "Give a date and time between the years 2000 and 2100." in page.locator("main").inner_text()
    # A guiding question reworded after opening: the change log keeps what it asked before.
    page.goto(f"{base}/rounds/{SLUG}/manage")
    page.fill("#text_en", "What barriers remain in schools?")
    page.click("text=Add the question")
    page.click("a:has-text('Change'):has(span:has-text('Question 1'))")
    page.fill("#text_en", "Which barriers remain in schools and on the way to them?")
    page.click("text=Save the question")
    assert "The question is saved." in page.locator("main").inner_text()

    visitor = browser.new_context(locale="en-GB").new_page()
    visitor.goto(f"{base}/rounds/{SLUG}")
    visitor.click("text=Change log")
    log = visitor.locator("main").inner_text()
    assert "Title corrected: French" in log and "Guiding question 1 corrected: English" in log
    assert "What barriers remain in schools?" in log
    assert "Which barriers remain in schools and on the way to them?" in log
    reader = browser.new_context(locale="fr-FR").new_page()
    reader.goto(f"{base}/rounds/{SLUG}")
    assert reader.locator("h1").inner_text() == "Consultation à mi-parcours"
    page.goto(f"{base}/rounds/{SLUG}/changes")
    screenshots(page, app, coordinator, "coordinator-change-log")

    # Cancelling asks first: without the box ticked nothing happens.
    page.goto(f"{base}/rounds/{SLUG}/manage")
    page.click("a:has-text('Cancel the round')")
    assert "Are you sure?" in page.locator("main").inner_text()
    page.click("button:has-text('Cancel the round')")
    assert "Tick the box to confirm" in page.locator("main").inner_text()
    with app.app_context():
        assert db.session.scalar(select(Round.state).where(Round.slug == SLUG)) is not RoundState.cancelled
    page.check("#confirm")
    page.click("button:has-text('Cancel the round')")
    assert "The round is cancelled." in page.locator("main").inner_text()
    with app.app_context():
        assert db.session.scalar(select(Round.state).where(Round.slug == SLUG)) is RoundState.cancelled
