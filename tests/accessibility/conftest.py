"""Accessibility checks in Debian's Chromium: one server, one browser and one world per module, and signing
in through the real forms."""

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.accessibility.world import World, build_world
from tests.conftest import chromium, serving
from tests.helpers import Account, next_totp_code


@pytest.fixture(scope="module")
def site(database, smtp_server, tmp_path_factory) -> Iterator[tuple[str, Flask]]:
    """(base URL, app) of a real HTTP server shared by a module's tests."""
    controller, _inbox = smtp_server
    with serving(database, controller.port, str(tmp_path_factory.mktemp("uploads"))) as served:
        yield served


@pytest.fixture(scope="module")
def module_browser():
    """Debian's Chromium, headless, shared by a module's tests."""
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def world(site) -> World:
    """The world the pages are shown on, built once for the module."""
    _base, app = site
    return build_world(app)


def sign_in_with(page, base: str, app: Flask, account: Account, on_code_page=None) -> None:
    """Sign in through the real form, and the second factor when the account has one; on_code_page(page)
    is called on the code page before the code is entered."""
    page.goto(f"{base}/accounts/sign-in")
    page.fill("#email", account.email)
    page.fill("#password", account.password)
    page.click("main button[type=submit]")
    if account.totp_secret and "/accounts/sign-in/code" in page.url:
        if on_code_page:
            on_code_page(page)
        page.fill("#code", next_totp_code(app, account))
        page.click("main button[type=submit]")
    assert "/accounts/sign-in" not in page.url, f"{account.email} could not sign in: {page.url}"
