"""The coordinator in a real browser answers three points of a published summary while two others are half
typed, and loses nothing; "answered n of m" counts right and "unanswered only" filters."""

from consult.accounts.models import User
from consult.comments.models import TargetType
from consult.extensions import db
from consult.rounds.models import Round
from consult.summaries import services
from tests.browser.support import screenshots, sign_in
from tests.summaries.fixtures import closed_round_with_input

POINTS = ("Preventive visits", "Torture", "Resources", "Detention", "Training")


def _published(app, given) -> None:
    """A summary of five points, published."""
    with app.app_context():
        author = db.session.get(User, given.summariser.id)
        summary = services.create_summary(author, db.session.get(Round, given.round_id), "Heard", "en", None)
        db.session.flush()
        for heading in POINTS:
            services.add_section(author, summary, TargetType.cluster, given.cluster_id, heading, "")
        services.publish_summary(author, summary, None)
        db.session.commit()


def _point(page, heading: str):
    return page.locator("section.summary-point", has=page.locator(f"h3:text-is('{heading}')"))


def test_the_coordinator_answers_three_points_and_loses_the_half_typed_ones_never(live_server, browser):
    base, app = live_server
    given = closed_round_with_input(app)
    _published(app, given)
    page = browser.new_context(locale="en-GB").new_page()
    sign_in(page, base, app, given.coordinator)
    page.goto(f"{base}/rounds/{given.slug}/responses")
    assert "Answered: 0 of 7" in page.content()  # five points and two recommendations

    for heading, outcome in zip(
        POINTS[:3], ("partly", "taken_into_account", "under_consideration"), strict=True
    ):
        point = _point(page, heading)
        point.locator("select[name$='-outcome']").select_option(outcome)
        point.locator("textarea[name$='-explanation']").fill(f"What we did about {heading}.")
    _point(page, "Detention").locator("textarea[name$='-explanation']").fill("Half typed: no outcome chosen.")
    _point(page, "Training").locator("select[name$='-outcome']").select_option("partly")
    _point(page, "Training").locator("input[name$='-responsible_entity']").fill("Police academy")
    _point(page, "Resources").locator("button:has-text('Save the answers')").click()

    content = page.content()
    assert "3 answers are recorded." in content and "Answered: 3 of 7" in content
    assert _point(page, "Detention").locator("textarea").input_value() == "Half typed: no outcome chosen."
    assert (
        _point(page, "Training").locator("input[name$='-responsible_entity']").input_value()
        == "Police academy"
    )
    assert _point(page, "Torture").locator("textarea").input_value() == "What we did about Torture."
    assert "Choose what the mechanism did." in content and "Explain what the mechanism did." in content

    page.click("a:has-text('Unanswered only')")
    shown = [h.strip() for h in page.locator("section.summary-point h3").all_inner_texts()]
    assert "Detention" in shown and "Training" in shown and "Preventive visits" not in shown
    assert len(shown) == 4  # two points, two recommendations
    screenshots(page, app, given.coordinator, "coordinator-answers")
