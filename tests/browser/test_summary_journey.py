"""The loop closed in a real browser: the NHRI's summariser drafts a summary quoting an anonymous and a named
comment, publishes it, corrects it; the coordinator answers two points; a visitor reads both answers and the
anonymous comment quoted without a name."""

from playwright.sync_api import expect

from tests.browser.support import sign_in
from tests.summaries.fixtures import closed_round_with_input, public_id_of


def test_a_summary_is_published_corrected_and_answered(live_server, browser, tmp_path):
    base, app = live_server
    given = closed_round_with_input(app)

    summariser = browser.new_context(locale="en-GB").new_page()
    sign_in(summariser, base, app, given.summariser)
    summariser.goto(f"{base}/rounds/{given.slug}")
    summariser.click("text=Write a summary")
    summariser.fill("#title", "What the NHRI heard")
    summariser.click("text=Start the summary")
    assert summariser.locator("h1").inner_text() == "Edit the summary"

    summariser.select_option("#new-target", label="A/HRC/40/8 115.1 · Ratify OPCAT.")
    summariser.fill("#new-heading", "Preventive visits")
    summariser.fill("#new-body", "Contributors say inspections have not started.")
    summariser.click("text=Add the point")
    for comment_id in (given.named_id, given.anonymous_id):  # named by public id, never by row id
        point = summariser.locator("section.summary-point").first
        point.locator("details > summary").first.click()
        ref = public_id_of(app, comment_id)[:8]
        point.locator(f"button:has-text('Quote comment #{ref} in this point')").click()
        expect(summariser.locator("body")).to_contain_text("The quotation is added.")

    summariser.select_option("#new-target", label="The round as a whole")
    summariser.fill("#new-heading", "Resources")
    summariser.fill("#new-body", "The national preventive mechanism lacks staff.")
    summariser.click("text=Add the point")

    summariser.check("#confirm")
    summariser.click("button:has-text('Publish the summary')")
    expect(summariser.locator("body")).to_contain_text("Version 1 is published.")
    assert summariser.locator("blockquote").count() == 2

    summariser.click("text=Edit the summary")
    first_point = summariser.locator("section.summary-point").first
    first_point.locator("textarea[name$='-body']").fill(
        "Contributors say unannounced inspections have not started."
    )
    first_point.locator("button:has-text('Save the summary')").click()
    expect(summariser.locator("body")).to_contain_text("The summary is saved.")
    summariser.fill("#change_note", "Inspections are unannounced ones.")
    summariser.check("#confirm")
    summariser.click("button:has-text('Publish the correction')")
    expect(summariser.locator("body")).to_contain_text("Version 2 is published.")
    expect(summariser.locator("body")).to_contain_text("Inspections are unannounced ones.")
    summariser.click("a:has-text('Version 1')")
    expect(summariser.locator("body")).to_contain_text("This is an earlier version.")
    assert "unannounced inspections" not in summariser.content()

    coordinator = browser.new_context(locale="en-GB").new_page()
    sign_in(coordinator, base, app, given.coordinator)
    coordinator.goto(f"{base}/rounds/{given.slug}/outcome")
    coordinator.click("text=Answer what was heard")
    answers = [
        ("Preventive visits", "partly", "Ten visits are planned for 2027.", "Ombudsman"),
        ("Resources", "taken_into_account", "Four posts were added to the budget.", "Ministry of Finance"),
    ]
    for heading, outcome, explanation, entity in answers:
        form = coordinator.locator(
            "section.summary-point", has=coordinator.locator(f"h3:text-is('{heading}')")
        )
        form.locator("select[name$='-outcome']").select_option(outcome)
        form.locator("textarea[name$='-explanation']").fill(explanation)
        form.locator("input[name$='-responsible_entity']").fill(entity)
    coordinator.locator("button:has-text('Save the answers')").first.click()
    expect(coordinator.locator("body")).to_contain_text("2 answers are recorded.")

    visitor = browser.new_context(locale="en-GB").new_page()
    visitor.goto(f"{base}/rounds/{given.slug}/outcome")
    page = visitor.content()
    assert "Ten visits are planned for 2027." in page and "Four posts were added to the budget." in page
    assert "Partly taken into account" in page and "Taken into account" in page
    quotes = visitor.locator("blockquote.quotation")
    anonymous = quotes.filter(has_text="Detainees fear speaking to inspectors.")
    assert "Anonymous contributor" in anonymous.inner_text()
    assert "Hidden Person" not in page and "Secret witness account" not in page
    assert "Olga Petrova" in quotes.filter(has_text="Inspections of police stations").inner_text()
    visitor.screenshot(path=str(tmp_path / "outcome.png"), full_page=True)
