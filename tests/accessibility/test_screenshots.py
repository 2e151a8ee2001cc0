"""Screenshots of the main pages in the six languages, kept as the test run's artefacts (CONSULT_ARTEFACTS, or
artefacts/screenshots/ under the project) for a person to look over: right to left in Arabic, no tofu in
Chinese, nothing cut off in Russian."""

import os
from pathlib import Path

from PIL import Image

from tests.accessibility.conftest import sign_in_with
from tests.accessibility.world import World

LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")
PROJECT = Path(__file__).resolve().parents[2]


def artefacts() -> Path:
    """The folder the screenshots go to, created if needed."""
    folder = Path(os.environ.get("CONSULT_ARTEFACTS") or PROJECT / "artefacts" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def public_pages(world: World) -> dict[str, str]:
    """The main pages a visitor reads, by the name their screenshot takes."""
    return {
        "home": "/",
        "rounds": "/rounds/",
        "round": f"/rounds/{world.open_slug}",
        "recommendation": f"/plan/recommendations/{world.values['recommendation_id']}",
        "outcome": f"/rounds/{world.closed_slug}/outcome",
        "sign-in": "/accounts/sign-in",
    }


def assert_not_blank(path: Path) -> None:
    """The file is a picture with something drawn on it, not one flat colour."""
    assert path.is_file() and path.stat().st_size > 0, f"{path} was not written"
    with Image.open(path) as image:
        darkest, lightest = image.convert("L").getextrema()
    assert lightest - darkest > 64, f"{path} is blank"


def test_screenshots_of_the_main_pages_in_six_languages(site, module_browser, world):
    base, app = site
    folder = artefacts()
    written = []
    contributor = module_browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    writer = contributor.new_page()
    sign_in_with(writer, base, app, world.accounts["contributor"])
    for language in LANGUAGES:
        visitor = module_browser.new_context(locale=language, viewport={"width": 1280, "height": 900})
        page = visitor.new_page()
        for name, path in public_pages(world).items():
            response = page.goto(base + path)
            assert response.status == 200, f"{path} answered {response.status}"
            assert page.evaluate("document.documentElement.lang") == language
            target = folder / f"{name}-{language}.png"
            page.screenshot(path=str(target), full_page=True)
            written.append(target)
        visitor.close()
        writer.goto(f"{base}/rounds/{world.open_slug}")
        with writer.expect_navigation():
            writer.click(f".language-switcher button[value={language}]")
        response = writer.goto(f"{base}/comments/new/{world.open_slug}?target=round")
        assert response.status == 200 and writer.evaluate("document.documentElement.lang") == language
        target = folder / f"comment-form-{language}.png"
        writer.screenshot(path=str(target), full_page=True)
        written.append(target)
    contributor.close()
    assert len(written) == 7 * len(LANGUAGES)
    for path in written:
        assert_not_blank(path)
