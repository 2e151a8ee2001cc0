"""Numbers no id can be, wherever an address takes an id: every route of the URL map with a number in its
path (found from the map at run time, so a new route is attacked without being listed), by every method it
answers, signed out, as a contributor and as a coordinator signed in with the second factor.

What is decided: an id in a path is decimal ASCII digits from 0 to MAX_ID (a PostgreSQL integer, 2^31 - 1;
SQLite's own limit, 2^63, is further). Anything else (2^31, 2^63, 2^64, 10^30, a sign, Arabic-Indic or
superscript digits) matches no route: 404, in JSON under /api, and never a query that fails with 500. The
query parameters each route reads, and the ids forms carry, are sent the same numbers by
tests/security/test_injection.py.
"""

import re
from urllib.parse import quote

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from werkzeug.routing import IntegerConverter

from config import TestingConfig
from consult import create_app
from consult.database import MAX_ID
from tests.helpers import csrf_token
from tests.security.world import AttackWorld, signed_in_clients

#: Numbers no id can be, and digits int() reads but an address must not: each in every numeric argument.
NOT_IDS = (
    str(MAX_ID + 1),  # 2^31: past a PostgreSQL integer
    str(2**32),
    str(2**63 - 1),  # SQLite's largest integer: still no id here
    str(2**63),  # past SQLite's: an OverflowError in the driver
    str(2**64),
    str(10**30),
    "9" * 400,
    "-1",
    "+1",
    "٣",  # ARABIC-INDIC DIGIT THREE: int() reads 3
    "1٢",
    "²",
    "１",  # FULLWIDTH DIGIT ONE
    "1.0",
    "1e3",
    "0x10",
)
#: A value the path is built with before the number is put in its place: an id no row has.
PLACEHOLDER = 987654321
ROLES = ("anonymous", "contributor", "coordinator")


@pytest.fixture(scope="module")
def clients(site) -> dict[str, FlaskClient]:
    return signed_in_clients(*site, ROLES)


def _numeric(rule) -> list[str]:
    """The arguments of a rule that its converters read as whole numbers."""
    return sorted(
        name for name, converter in rule._converters.items() if isinstance(converter, IntegerConverter)
    )


def _other_value(rule, name: str, attack: AttackWorld):
    """A value for an argument that is not attacked: the world's, else one of the right shape."""
    world = attack.world
    converter = rule._converters[name]
    if name == "slug":
        return world.open_slug
    if name == "token":
        return world.reset_token if "reset" in rule.rule else world.verify_token
    if hasattr(converter, "items"):
        return sorted(converter.items)[0]
    if name in world.values:
        return world.values[name]
    return 1 if isinstance(converter, IntegerConverter) else "x" * 22


def attacked_paths(app: Flask, attack: AttackWorld) -> list[tuple[str, str, str]]:
    """(endpoint, method, path) with each of NOT_IDS in each numeric argument of every route."""
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            for name in _numeric(rule):
                values = {
                    other: _other_value(rule, other, attack)
                    for other in rule.arguments - set(rule.defaults or {})
                    if other != name
                }
                path = url_for(rule.endpoint, **values, **{name: PLACEHOLDER})
                assert path.count(str(PLACEHOLDER)) == 1, path
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    for number in NOT_IDS:
                        found.append((rule.endpoint, method, path.replace(str(PLACEHOLDER), quote(number))))
    return found


def test_the_id_pattern_takes_every_id_and_nothing_else():
    """The converter registered as `int`: ids from 0 to MAX_ID in ASCII digits, nothing more."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    pattern = re.compile(app.url_map.converters["int"].regex)
    for number in (0, 1, 9, 10, 99, 2**16, MAX_ID // 10, MAX_ID - 1, MAX_ID):
        assert pattern.fullmatch(str(number)), number
    for text in NOT_IDS:
        assert not pattern.fullmatch(text), text
    for step in range(1, 10):  # every digit position just past the limit
        assert not pattern.fullmatch(str(MAX_ID + 10 ** (step - 1)))


def test_a_number_no_id_can_be_in_any_path_is_not_found(site, clients):
    app, attack = site
    paths = attacked_paths(app, attack)
    endpoints = {endpoint for endpoint, _method, _path in paths}
    assert len(endpoints) >= 20 and any(e.startswith("api.") for e in endpoints), sorted(endpoints)
    tokens = {
        role: csrf_token(client, "/accounts/sign-in" if role == "anonymous" else "/accounts/settings")
        for role, client in clients.items()
    }
    failed = []
    for number, (endpoint, method, path) in enumerate(paths):
        # Each request from its own address: the API's allowance per address is not what is tested.
        address = {"REMOTE_ADDR": f"10.77.{number // 250 % 250}.{number % 250 + 1}"}
        for role, client in clients.items():
            data = {"csrf_token": tokens[role]} if method != "GET" else None
            try:
                with client.open(path, method=method, data=data, environ_base=address) as response:
                    status, mimetype = response.status_code, response.mimetype
            except Exception as error:  # the test app lets an error through rather than answering 500
                status, mimetype = repr(error)[:120], None
            wanted = "application/json" if path.startswith("/api/") else "text/html"
            if status != 404 or mimetype != wanted:
                failed.append(f"{role} {method} {path} ({endpoint}): {status} {mimetype}")
    assert failed == [], f"{len(failed)} answers:\n" + "\n".join(failed[:60])
