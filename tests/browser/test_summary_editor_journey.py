"""The NHRI's summariser in a real browser: types an introduction and two points, presses every button of
the editor (add a point, save, quote, move, remove, one that fails validation, publish without and with the
confirmation) and finds everything typed still there; the reading list filters and tags. Screenshots of the
editor and the reading list in English, Arabic and Chinese."""

from tests.browser.support import screenshots, sign_in
from tests.summaries.fixtures import closed_round_with_input, public_id_of

INTRODUCTION = "Forty-two organisations and many individuals took part."
FIRST = ("Preventive visits", "Contributors say inspections have not started.")
SECOND = ("Resources", "The national preventive mechanism lacks staff.")


def _typed(page) -> dict[str, str]:
    """Every text field and text area of the editor, by name, as the page holds them now."""
    return page.eval_on_selector_all(
        "#editor input[type=text], #editor textarea",
        "fields => Object.fromEntries(fields.map(f => [f.name, f.value]))",
    )


def _point(page, number: int):
    return page.locator("section.summary-point").nth(number)


def test_the_summariser_loses_nothing_whatever_button_is_pressed(live_server, browser):
    base, app = live_server
    given = closed_round_with_input(app)
    page = browser.new_context(locale="en-GB").new_page()
    sign_in(page, base, app, given.summariser)
    page.goto(f"{base}/rounds/{given.slug}/summaries")
    page.fill("#title", "What the NHRI heard")
    page.click("text=Start the summary")
    editor = page.url

    # The introduction typed, the first point added: the introduction is still there, and saved.
    page.fill("#introduction", INTRODUCTION)
    page.select_option("#new-target", label="A/HRC/40/8 115.1 · Ratify OPCAT.")
    page.fill("#new-heading", FIRST[0])
    page.fill("#new-body", FIRST[1])
    page.click("button:has-text('Add the point')")
    assert "The point is added." in page.content()
    assert page.input_value("#introduction") == INTRODUCTION

    # The second point is typed but not added; the first point's text changes; "Save" keeps both.
    page.select_option("#new-target", label="C1 · Prevention of torture")
    page.fill("#new-heading", SECOND[0])
    page.fill("#new-body", SECOND[1])
    _point(page, 0).locator("textarea[name$='-body']").fill(FIRST[1] + " Unannounced ones.")
    _point(page, 0).locator("button:has-text('Save the summary')").click()
    assert "The summary is saved." in page.content()
    typed = _typed(page)
    assert typed["new-heading"] == SECOND[0] and typed["new-body"] == SECOND[1]
    assert typed["introduction"] == INTRODUCTION

    # A passage typed under one comment while another is quoted: the passage stays. Comments are named by
    # their public ids, never by row ids (which would tell in what order the input was sent).
    named, anonymous = public_id_of(app, given.named_id), public_id_of(app, given.anonymous_id)
    point = _point(page, 0)
    point.locator("details > summary").first.click()
    point.locator(f"textarea[name='quote-{_section_id(point)}-{anonymous}']").fill("Detainees fear")
    point.locator(f"button:has-text('Quote comment #{named[:8]} in this point')").click()
    assert "The quotation is added." in page.content()
    assert _typed(page)[f"quote-{_section_id(_point(page, 0))}-{anonymous}"] == "Detainees fear"
    assert _typed(page)["new-body"] == SECOND[1]

    # The second point added (the cluster); the passage typed is still there.
    page.click("button:has-text('Add the point')")
    assert "The point is added." in page.content()
    assert page.locator("section.summary-point").count() == 2
    assert _typed(page)[f"quote-{_section_id(_point(page, 0))}-{anonymous}"] == "Detainees fear"

    # A button that fails validation: an empty heading. Nothing is saved, everything is still there.
    before = _typed(page)
    _point(page, 1).locator("input[name$='-heading']").fill("")
    page.fill("#introduction", INTRODUCTION + " Not saved yet.")
    page.click("button:has-text('Add the point')")
    assert "There is a problem" in page.content()
    after = _typed(page)
    assert after["introduction"] == INTRODUCTION + " Not saved yet."
    assert {k: v for k, v in after.items() if k not in ("introduction",) and not k.endswith("-heading")} == {
        k: v for k, v in before.items() if k not in ("introduction",) and not k.endswith("-heading")
    }
    _point(page, 1).locator("input[name$='-heading']").fill(SECOND[0])

    # Move the cluster's point up; removing asks first.
    _point(page, 1).locator("button:has-text('Move up')").click()
    assert _point(page, 0).locator("input[name$='-heading']").input_value() == SECOND[0]
    _point(page, 1).locator("button:has-text('Remove the point')").click()
    assert "Yes, remove the point" in page.content()
    page.click("button:has-text('Keep the point')")
    assert page.locator("section.summary-point").count() == 2

    # Publishing asks for confirmation: without it, nothing is published and the text stays.
    page.fill("#change_note", "First version.")
    page.click("button:has-text('Publish the summary')")
    assert "Tick the box to confirm" in page.content()
    assert page.input_value("#introduction") == INTRODUCTION + " Not saved yet."
    assert page.input_value("#change_note") == "First version."

    page.goto(editor)
    screenshots(page, app, given.summariser, "summariser-editor")
    page.click("a:has-text('Reading list')")
    page.select_option("#section", index=1)
    page.click("button:has-text('Filter')")
    assert "a campaign of 3 supporters" in page.content()
    page.fill(f"input[name='tags-{named}']", "police, inspections")
    page.click("button:has-text('Save the tags')")
    assert "The tags of 1 comment are saved." in page.content()
    page.select_option("#tag", "police")
    page.click("button:has-text('Filter')")
    assert page.locator("article.reading-entry").count() == 1
    screenshots(page, app, given.summariser, "summariser-reading-list")

    page.goto(editor)
    page.check("#confirm")
    page.click("button:has-text('Publish the summary')")
    assert "Version 1 is published." in page.content()
    assert INTRODUCTION in page.content()


def _section_id(point) -> str:
    """The id of a point of the editor, from its anchor."""
    return point.get_attribute("id").removeprefix("section-")
