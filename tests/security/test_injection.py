"""Injection through the query string, and formulas through exports.

The parameters are not listed here: every GET route is fetched and watched (tests/security/world.py), and
each parameter a route reads is then sent SQL fragments, column names, numbers too large, too small or not
numbers at all, NUL and repeated values. The answer is a page, a default or a refusal (400, 404, 422), never a
server error; the database is unchanged; and a visitor's answer never holds input the public may not see.

The values of forms that the app reads as ids itself are sent digits int() refuses and numbers no id can be.

Every export the URL map serves as CSV or XLSX (found by the type of what each route answers) is read cell
by cell: with every free-text value in the database starting with a formula character, no cell may start
with one.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.extensions import db
from tests.helpers import csrf_token
from tests.reports.readable import readable, xlsx_cells
from tests.security.world import (
    FORMULA_STARTS,
    fetch_every_get_route,
    signed_in_clients,
)

#: What an attacker sends in a sort, order, state, filter, search, page or size parameter.
INJECTIONS = (
    "' OR '1'='1",
    "1;DROP TABLE comments--",
    "1) UNION SELECT body FROM comments--",
    "id desc",
    "no_such_column",
    "99999999999999999999",
    "2147483648",  # 2^31: past a PostgreSQL integer
    "9223372036854775808",  # 2^63: past SQLite's
    "18446744073709551616",
    "1000000000000000000000000000000",
    "-1",
    "0",
    "1.5",
    "²",  # a digit to str.isdigit(), not to int()
    "٣",  # an Arabic-Indic three: a digit to int() too
    "1-99999999999999999999",  # two numbers, as a page position may be written: the second too large
    "9999999999999999-1",  # and the first a time past the year 9999
    "abc",
    "",
    "\x00",
    "%",
    "_",
)
#: States and choices that must not widen what a visitor sees.
WIDENERS = ("draft", "submitted", "rejected", "withdrawn", "changes_requested", "confidential", "all", "*")
#: The same few values for documents that take a second to make: a quote, an overflow, a NUL.
DOCUMENT_INJECTIONS = ("' OR '1'='1", "99999999999999999999", "\x00")
SPREADSHEETS = ("text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PDF, DOCX = "application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def clients(site) -> dict[str, FlaskClient]:
    """A visitor, the contributor and a coordinator (who sees every staff page)."""
    return signed_in_clients(*site, ("anonymous", "contributor", "coordinator"))


@dataclass(frozen=True)
class Route:
    """A route seen reading query parameters."""

    role: str
    path: str
    names: tuple[str, ...]
    #: A document that takes a second to make (PDF, DOCX): sent fewer values.
    slow: bool


@pytest.fixture(scope="module")
def routes(site, clients) -> dict[str, dict]:
    """For each role: {endpoint: Route}, and "spreadsheets": {path: (type, bytes)} of every one answered."""
    found: dict[str, dict] = {role: {} for role in clients}
    found["spreadsheets"] = {}
    for role, endpoint, path, response, parameters in fetch_every_get_route(*site, clients):
        if parameters and response.status_code == 200 and endpoint not in found[role]:
            slow = response.mimetype in (PDF, DOCX)
            found[role][endpoint] = Route(role, path, tuple(sorted(parameters)), slow)
        if response.mimetype in SPREADSHEETS and response.status_code == 200:
            found["spreadsheets"][path] = (response.mimetype, response.get_data())
    return found


def _counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def _answer(client: FlaskClient, path: str, query: list[tuple[str, str]]) -> tuple[int | str, object]:
    """(status, response) of a GET streamed to its end; the error instead of a status where the test app
    lets one through rather than answering 500."""
    try:
        with client.get(path, query_string=query) as response:
            response.get_data()  # a streamed export fails while it streams
            return response.status_code, response
    except Exception as error:
        return repr(error)[:120], None


def _attacks(
    client: FlaskClient, route: Route, values: tuple[str, ...]
) -> Iterator[tuple[list, object, object]]:
    """(query, status, response) of the route with each value in all its parameters at once; where that is
    refused (the API answers 400 at the first bad parameter), in each parameter alone; and every parameter
    given twice."""
    for value in values:
        together = [(name, value) for name in route.names]
        status, response = _answer(client, route.path, together)
        yield together, status, response
        if status in (400, 404, 422) and len(route.names) > 1:
            for name in route.names:
                yield [(name, value)], *_answer(client, route.path, [(name, value)])
    twice = [(name, number) for name in route.names for number in ("1", "2")]
    yield twice, *_answer(client, route.path, twice)


def test_injected_parameters_never_fail_and_never_change_the_database(site, clients, routes):
    """Each route, by the most entitled role that reads parameters there."""
    app, _attack = site
    with app.app_context():
        before = _counts()
    failed, tried, attacked = [], 0, set()
    for role in ("coordinator", "anonymous", "contributor"):
        for endpoint, route in sorted(routes[role].items()):
            if endpoint in attacked:
                continue
            attacked.add(endpoint)
            values = DOCUMENT_INJECTIONS if route.slow else INJECTIONS
            for query, status, _response in _attacks(clients[role], route, values):
                tried += 1
                if not isinstance(status, int) or status >= 500:
                    failed.append(f"{role} {route.path} {query}: {status}")
    with app.app_context():
        after = _counts()
    assert failed == [], "\n".join(failed)
    assert after == before
    assert len(attacked) >= 15 and tried > 200, (sorted(attacked), tried)


def test_no_filter_value_shows_a_visitor_input_that_is_not_public(site, clients, routes):
    """State-like and injected values in every parameter of every route a visitor or a contributor reads:
    never a comment that is confidential, rejected, removed, sent back, waiting, withdrawn or a draft."""
    _app, attack = site
    leaks, read = [], 0
    for role in ("anonymous", "contributor"):
        for _endpoint, route in sorted(routes[role].items()):
            values = DOCUMENT_INJECTIONS if route.slow else (*WIDENERS, "' OR '1'='1", "%")
            for query, _status, response in _attacks(clients[role], route, values):
                text = readable(response) if response is not None else ""
                read += bool(text)
                leaks += [f"{role} {route.path} {query}: {h[:30]}" for h in attack.hidden_texts if h in text]
    assert leaks == []
    assert read > 100


def _cells(kind: str, data: bytes) -> list[str]:
    if kind == "text/csv":
        return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row]
    return [str(cell) for row in xlsx_cells(data) for cell in row if cell is not None]


def test_no_cell_of_any_spreadsheet_export_can_run_as_a_formula(routes):
    """Every free-text value starts with =, +, -, @, a tab or a carriage return (world.py): each cell that
    carries one is made inert (a leading apostrophe), so no cell starts with one."""
    spreadsheets = routes["spreadsheets"]
    kinds = {path.rsplit(".", 1)[-1].split("?")[0] for path in spreadsheets}
    assert {"csv", "xlsx"} <= kinds
    endpoints_seen = {path.split("/")[1] for path in spreadsheets}
    assert {"plan", "rounds", "moderation"} <= endpoints_seen, sorted(spreadsheets)
    running, inert = [], 0
    for path, (kind, data) in sorted(spreadsheets.items()):
        for cell in _cells(kind, data):
            if cell.startswith(FORMULA_STARTS):
                running.append(f"{path}: {cell[:60]!r}")
            inert += cell.startswith("'") and cell[1:2] in FORMULA_STARTS
    assert running == []
    assert inert >= 50  # the exports did carry the poisoned values


#: Values of a form that the app reads as ids itself, beside WTForms' fields: (path, field, value pattern,
#: the form's other values). Paths and values are formatted with the world's ids.
ID_FIELDS = (
    ("/moderation/decide", "comment_ids", "{}", {"decision": "approve"}),
    ("/summaries/{summary_id}/edit", "action", "uncite:{}", {}),
    (
        "/summaries/{summary_id}/edit",
        "new-target",
        "recommendation:{}",
        {"action": "add", "new-heading": "A point"},
    ),
    ("/summaries/{summary_id}/tags", "back", "section={}&tag=x", {"tags-1": "A tag"}),
    ("/rounds/{closed_slug}/responses", "target", "recommendation-{}", {"outcome": "partly"}),
)
#: Digits that str.isdigit accepts and int refuses, numbers no id can be (past PostgreSQL's integer, past
#: SQLite's), a negative one, mixed digits, digits int() reads that are not ASCII.
NOT_IDS = ("²", "99999999999999999999", "2147483648", "9223372036854775808", "-1", "1٢", "٣", "")


def test_ids_in_forms_never_fail_whatever_digits_they_carry(site, clients):
    app, attack = site
    from consult.summaries.models import SummarySection

    with app.app_context():
        section_id = db.session.scalar(
            select(func.min(SummarySection.id)).where(
                SummarySection.summary_id == attack.world.values["summary_id"]
            )
        )
    ids = {**attack.world.values, "section_id": section_id, "closed_slug": attack.world.closed_slug}
    coordinator = clients["coordinator"]
    token = csrf_token(coordinator, "/accounts/settings")
    failed = []
    for path, field, pattern, others in ID_FIELDS:
        for value in NOT_IDS:
            data = {"csrf_token": token, **others, field.format(**ids): pattern.format(value)}
            data |= {f"{data['target']}-csrf_token": token} if "target" in data else {}
            status, _response = _answer_post(coordinator, path.format(**ids), data)
            if not isinstance(status, int) or status >= 500:
                failed.append(f"{path} {field}={pattern.format(value)!r}: {status}")
    assert failed == []


def _answer_post(client: FlaskClient, path: str, data: dict) -> tuple[int | str, object]:
    try:
        with client.post(path, data=data) as response:
            return response.status_code, response
    except Exception as error:  # the test app lets errors through instead of answering 500
        return repr(error)[:120], None
