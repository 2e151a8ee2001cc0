"""The contributor's journey with the keyboard alone: from the home page to a comment's receipt using only
Tab, Shift+Tab, Enter, Space and the arrow keys, with every focused element visibly marked."""

import re

from tests.factories import mid_term_round as open_round
from tests.helpers import make_user

FOCUSED = """() => {
  const e = document.activeElement;
  const style = getComputedStyle(e);
  return {
    tag: e.tagName.toLowerCase(), id: e.id, name: e.getAttribute('name'), type: e.getAttribute('type'),
    value: e.value === undefined ? null : e.value, checked: !!e.checked, href: e.getAttribute('href'),
    text: (e.innerText || '').trim().slice(0, 120), in_main: !!e.closest('main'),
    outline: style.outlineStyle, shadow: style.boxShadow, top: e.getBoundingClientRect().top,
  };
}"""


def focused(page) -> dict:
    """What has the keyboard focus, and how it is drawn."""
    return page.evaluate(FOCUSED)


def assert_visible_focus(state: dict) -> None:
    """The focused element carries an outline or a ring that the eye can see."""
    assert state["outline"] != "none" or state["shadow"] != "none", f"no visible focus on {state}"


def press_until(page, key: str, wanted, limit: int = 80) -> dict:
    """Press key until the focused element satisfies wanted(state); each element passed shows its focus."""
    for _ in range(limit):
        page.keyboard.press(key)
        state = focused(page)
        if state["tag"] != "body":
            assert_visible_focus(state)
        if wanted(state):
            return state
    raise AssertionError(f"{key} never reached the element on {page.url}; last: {state}")


def follow(page, key: str = "Enter") -> None:
    """Press key on the focused link or button and wait for the page it opens."""
    with page.expect_navigation():
        page.keyboard.press(key)


def test_a_contributor_comments_with_the_keyboard_alone(live_server, browser):
    base, app = live_server
    open_round(app)
    make_user(app, email="keyboard@example.org", name="Karim Keys")
    page = browser.new_page(locale="en-GB")
    page.goto(base + "/")

    skip = press_until(page, "Tab", lambda s: True, limit=1)
    assert skip["href"] == "#content" and skip["top"] >= 0, "the skip link is first and shows when focused"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "content"
    assert press_until(page, "Tab", lambda s: True, limit=1)["in_main"], "the skip link passes the header"

    sign_in = press_until(page, "Shift+Tab", lambda s: s["text"] == "Sign in")
    assert "/accounts/sign-in" in sign_in["href"]
    follow(page)
    press_until(page, "Tab", lambda s: s["id"] == "email")
    page.keyboard.type("keyboard@example.org")
    press_until(page, "Tab", lambda s: s["id"] == "password")
    page.keyboard.type("correct horse battery")
    press_until(page, "Tab", lambda s: s["tag"] == "button" and s["in_main"])
    assert press_until(page, "Shift+Tab", lambda s: True, limit=1)["id"] == "password"
    press_until(page, "Tab", lambda s: s["tag"] == "button" and s["in_main"])
    follow(page)
    assert "Sign out" in page.content()

    press_until(page, "Tab", lambda s: s["text"] == "Consultations")
    follow(page)
    assert page.url.endswith("/rounds/")
    press_until(page, "Tab", lambda s: s["text"] == "Mid-term consultation")
    follow(page)
    assert page.url.endswith("/rounds/mid-term")
    press_until(page, "Tab", lambda s: s["tag"] == "summary")
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.parentElement.open"), "Space opens the cluster"
    press_until(page, "Tab", lambda s: "target=recommendation" in (s["href"] or ""))
    follow(page)
    assert "/comments/new/mid-term" in page.url and "Your comment" in page.locator("h1").inner_text()

    press_until(page, "Tab", lambda s: s["id"] == "body")
    page.keyboard.type("Nobody told us about the draft law; please publish it before the vote.")
    radio = press_until(page, "Tab", lambda s: s["name"] == "publication")
    for _ in range(6):
        if radio["value"] == "anonymous":
            break
        page.keyboard.press("ArrowDown")
        radio = focused(page)
        assert_visible_focus(radio)
    assert radio["value"] == "anonymous" and radio["checked"], "the arrow keys choose the publication"
    press_until(page, "Tab", lambda s: s["tag"] == "button" and s["value"] == "submit")
    follow(page)

    assert "Your comment is received" in page.content()
    assert re.search(r"R-\d{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", page.content())
