"""Every route, walked by every role: the answer is the one the table in tests/routes.py says, and no route is
left out.

Outcomes: 200 (the page), "login" (sent to sign in), 403, "away" (a GET redirected elsewhere, e.g. a
signed-in person opening the sign-in page), "allowed" (a POST that got past the permission check: it acted,
or showed the form's errors, or sent the person on).
"""

import pytest
from flask import url_for

from tests.helpers import csrf_token
from tests.routes import (
    EXPECTED,
    EXPECTED_PRIVATE,
    ROLES,
    World,
    _argument_sets,
    _client_for,
    _outcome,
    _routes,
    route_world,
)


@pytest.fixture
def world(app) -> World:
    """The objects the routes are tried on."""
    return route_world(app)


def test_every_route_is_in_the_table(app):
    routes = {(rule.endpoint, method) for rule, method in _routes(app)}
    assert routes == set(EXPECTED), f"missing: {routes - set(EXPECTED)}; stale: {set(EXPECTED) - routes}"


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_each_role_as_the_table_says(app, world, role):
    # Readers' pages carry no form token: a reader has one once a form (sign-in) is shown.
    token_page = "/accounts/sign-in" if role == "anonymous" else "/"
    client = _client_for(app, role)
    token = csrf_token(client, token_page)
    wrong = []
    for table, private in ((EXPECTED, False), (EXPECTED_PRIVATE, True)):
        for rule, method in _routes(app):
            if (rule.endpoint, method) not in table:
                continue
            for arguments in _argument_sets(rule, world, private):
                with app.test_request_context():
                    url = url_for(rule.endpoint, **arguments)
                if method == "GET":
                    response = client.get(url)
                else:
                    response = client.post(url, data={"csrf_token": token})
                got = _outcome(response, method)
                response.close()
                expected = table[(rule.endpoint, method)][role]
                if got != expected:
                    wrong.append(
                        f"{method} {url} ({'private' if private else 'public'}): {expected=}, {got=}"
                    )
                if rule.endpoint in ("accounts.sign_out", "accounts.sign_out_everywhere"):
                    client = _client_for(app, role)
                    token = csrf_token(client, token_page)
    assert wrong == []
