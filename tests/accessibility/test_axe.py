"""axe-core (WCAG 2.1 A and AA) on every page the URL map serves, signed out and signed in, in English and
Arabic: no violations. The pages are derived from the URL map, so a new page is checked without being
listed here; only answers that are not HTML (files, feeds, charts, the API) are left to other tests."""

import time

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.accessibility.conftest import sign_in_with
from tests.accessibility.world import _urls

SIGNED_IN = ("contributor", "summariser", "moderator", "coordinator")
LOCALES = {"en": "en-GB", "ar": "ar"}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
#: Fewer checked pages than this means the world lost something that pages need (each language).
MINIMUM_PAGES = 90
#: Not pages anyone reaches by typing their address: the code step of signing in, checked on the way in,
#: and the readers' language switch, which answers with the page it was used on (checked as that page).
REACHED_ON_THE_WAY = {"accounts.second_factor", "main.switch_language"}


def _violations(page, who: str, language: str) -> list[str]:
    """axe's WCAG 2.1 A/AA violations of the page open in page, one line per element."""
    assert page.evaluate("document.documentElement.lang") == language, page.url
    results = Axe().run(page, options=AXE_OPTIONS)
    return [
        f"{violation['id']} ({violation['impact']}) at {', '.join(map(str, node['target']))} "
        f"on {page.url} as {who}: {violation['help']}"
        for violation in results.response["violations"]
        for node in violation["nodes"]
    ]


@pytest.mark.parametrize("language", sorted(LOCALES))
def test_every_page_has_no_axe_violations(site, module_browser, world, language):
    base, app = site
    started = time.monotonic()
    contexts = {
        who: module_browser.new_context(locale=LOCALES[language], bypass_csp=True)
        for who in ("visitor", *SIGNED_IN)
    }
    pages = {who: context.new_page() for who, context in contexts.items()}
    found: list[str] = []
    checked: list[str] = []

    def check(page, who: str) -> None:
        found.extend(_violations(page, who, language))
        checked.append(page.url)

    for who in SIGNED_IN:
        sign_in_with(
            pages[who], base, app, world.accounts[who], on_code_page=lambda page, who=who: check(page, who)
        )

    pages_of: dict[str, set[str]] = {}
    not_html: set[str] = set()
    for endpoint, path in _urls(app, world):
        seen_by = []
        for who, context in contexts.items():
            response = context.request.get(base + path, max_redirects=0)
            kind = response.headers.get("content-type", "")
            response.dispose()
            if not 300 <= response.status < 400 and not kind.startswith("text/html"):
                not_html.add(endpoint)
                break
            if response.status == 200:
                seen_by.append(who)
            if len(seen_by) == 2 or (seen_by and seen_by[0] != "visitor"):
                break
        # A visitor, and the least entitled person signed in who sees the page.
        for who in seen_by:
            pages[who].goto(base + path)
            check(pages[who], who)
            pages_of.setdefault(endpoint, set()).add(who)

    pages["visitor"].goto(f"{base}/no-such-page")
    check(pages["visitor"], "visitor")
    for context in contexts.values():
        context.close()

    get_endpoints = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint != "static"
    }
    unseen = get_endpoints - set(pages_of) - not_html - REACHED_ON_THE_WAY
    assert found == [], f"{len(found)} axe violations on {len(checked)} pages:\n" + "\n".join(found)
    assert unseen == set(), f"no one saw a page of {sorted(unseen)}: the world needs something for them"
    assert len(checked) >= MINIMUM_PAGES, f"only {len(checked)} pages were checked"
    print(f"{language}: {len(checked)} pages checked in {time.monotonic() - started:.0f}s")
