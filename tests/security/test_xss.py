"""Cross-site scripting, stored and reflected, on every route and every form.

Stored: every free-text value in the database carries a script payload (tests/security/world.py poisons every
String, Text and JSON column the schema has), and every GET route of the URL map is fetched by every role
with the world's objects: no answer may carry the payload as live markup. Reflected: every query parameter a
route reads (found by watching the route read them) is set to a payload, and so are paths and `next=`.
Forms: every text field of every form is sent a payload through the real POST and shown escaped.
"""

import dataclasses
import io
import json
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import select

from consult.extensions import db
from tests.accessibility.world import _png
from tests.helpers import csrf_token, submit
from tests.security.forms import FORMS, _ids, _send, text_fields_of_every_form
from tests.security.world import (
    DOWNLOADS,
    ROLES,
    fetch_every_get_route,
    live_payloads,
    signed_in_clients,
)

#: The escaped form of the payload, as a page that shows poisoned text safely carries it.
ESCAPED = "&lt;svg onload=alert(1)&gt;"


@pytest.fixture(scope="module")
def clients(site) -> dict[str, FlaskClient]:
    """A signed-in browser for each role of the world, and one without an account."""
    return signed_in_clients(*site, ROLES)


def unsafe_in(response) -> list[str]:
    """What is wrong with an answer that shows poisoned data: live markup, or a type a browser would run."""
    kind = response.mimetype
    if kind in DOWNLOADS:
        disposition = response.headers.get("Content-Disposition", "")
        return [] if "attachment" in disposition or kind.startswith("image/") else [f"{kind} shown inline"]
    text = response.get_data(as_text=True)
    if kind == "application/json":
        json.loads(text)  # well-formed: the payload is a string value, never markup
        return [] if response.headers.get("X-Content-Type-Options") == "nosniff" else ["JSON may be sniffed"]
    if kind not in ("text/html", "image/svg+xml", "application/atom+xml"):
        return [f"unexpected type {kind}"]
    return live_payloads(text)


@dataclass
class Sweep:
    """What fetching every GET route as every role found."""

    problems: list[str]
    #: Endpoints whose HTML showed the poison, escaped.
    escaped_on: set[str]
    #: (role, path) → the query parameters the route asked for.
    parameters: dict[tuple[str, str], set[str]]


@pytest.fixture(scope="module")
def sweep(site, clients) -> Sweep:
    """Every GET route with the world's objects, fetched by each role."""
    found = Sweep([], set(), {})
    for role, endpoint, path, response, parameters in fetch_every_get_route(*site, clients):
        found.parameters[(role, path)] = parameters
        if response.status_code >= 500:
            found.problems.append(f"{role} {path}: {response.status_code}")
            continue
        found.problems += [f"{role} {path}: {unsafe!r}" for unsafe in unsafe_in(response)]
        if response.mimetype == "text/html" and ESCAPED in response.get_data(as_text=True):
            found.escaped_on.add(endpoint)
    return found


#: Pages that must show poisoned text (escaped) for the sweep to count: people, organisations, comments and
#: their moderation, the plan, summaries, the audit trail, API tokens.
MUST_SHOW = {
    "accounts.show_user",
    "organisations.show_organisation",
    "comments.show_round",
    "moderation.show_receipt",
    "moderation.show_comment",
    "summaries.show_recommendation",
    "plan.show_action",
    "plan.show_version",
    "summaries.show_summary",
    "summaries.respond",
    "audit.list_audit_events",
    "api_tokens.list_tokens",
}


def test_stored_payloads_are_never_live_on_any_page_for_any_role(sweep):
    """Pages, feeds and charts never carry the payload as markup; JSON is JSON (and never sniffed as a
    page); files are sent as attachments. No answer is a server error."""
    assert sweep.problems == [], "\n".join(sweep.problems)
    assert sweep.escaped_on >= MUST_SHOW, MUST_SHOW - sweep.escaped_on
    assert len(sweep.escaped_on) >= 40, sorted(sweep.escaped_on)


REFLECTED = "\"'><svg onload=alert(1)><script>alert(1)</script>"
#: Short enough for a 40-character field with its tag.
REFLECTED_FIELD = "\"'><svg onload=alert(1)>"


def test_every_query_parameter_a_route_reads_is_never_reflected_live(clients, sweep):
    """Each route is asked again by each role with every parameter it was seen to read set to a payload;
    the answer may refuse it (400, 404) or ignore it, but never runs it or fails."""
    problems, tried = [], 0
    for (role, path), names in sorted(sweep.parameters.items()):
        if not names:
            continue
        query = {name: REFLECTED for name in names}
        with clients[role].get(path, query_string=query) as response:
            tried += 1
            if response.status_code >= 500:
                problems.append(f"{role} {path}: {response.status_code}")
            else:
                problems += [f"{role} {path}: {unsafe!r}" for unsafe in unsafe_in(response)]
    assert problems == [], "\n".join(problems)
    assert tried >= 40


def _string_arguments(app: Flask) -> list[tuple[str, str]]:
    """(endpoint, argument) of every GET route with a free string in its path: a slug, a token, a path."""
    return sorted(
        (rule.endpoint, name)
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint != "static"
        for name, converter in rule._converters.items()
        if type(converter).__name__ in ("UnicodeConverter", "AnyPathConverter", "PathConverter")
    )


def test_a_payload_in_the_path_is_never_reflected_live(site, clients):
    app, attack = site
    problems = []
    arguments = _string_arguments(app)
    assert {"comments.show_round", "accounts.reset_password", "api.unknown"} <= {e for e, _n in arguments}
    paths = ["/" + REFLECTED, "/plan/" + REFLECTED]
    for endpoint, name in arguments:
        values = {**attack.world.values, "slug": attack.world.open_slug, "token": "x", name: REFLECTED}
        with app.test_request_context():
            rule = next(r for r in app.url_map.iter_rules(endpoint) if "GET" in r.methods)
            defaults = {n: sorted(c.items)[0] for n, c in rule._converters.items() if hasattr(c, "items")}
            paths.append(url_for(endpoint, **{**values, **defaults, name: REFLECTED}))
    for path in paths:
        for role in ("anonymous", "coordinator"):
            with clients[role].get(path) as response:
                if response.status_code >= 500:
                    problems.append(f"{role} {path}: {response.status_code}")
                else:
                    problems += [f"{role} {path}: {unsafe!r}" for unsafe in unsafe_in(response)]
    assert problems == []


NEXT_TARGETS = (
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "//evil.example/",
    "https://evil.example/",
    REFLECTED,
)


def _stays_here(app: Flask, response) -> bool:
    """Whether an answer stays on this site: a page, or a redirect to one of its own paths."""
    if response.status_code != 302:
        return True
    location = urlsplit(response.location)
    return (
        location.scheme in ("", "http")
        and location.netloc in ("", app.config["SERVER_NAME"])
        and location.path.startswith("/")
        and not location.path.startswith("//")
    )


def test_next_is_shown_escaped_and_never_leads_to_a_script_or_off_site(site, clients, sweep):
    """Every route seen reading `next`, and the two forms that carry it (signing in, choosing a language)."""
    app, attack = site
    reading_next = sorted(key for key, names in sweep.parameters.items() if "next" in names)
    assert ("anonymous", "/accounts/sign-in") in reading_next
    account = attack.world.accounts["contributor"]
    wrong = []
    for number, target in enumerate(NEXT_TARGETS):
        for role, path in reading_next:
            with clients[role].get(path, query_string={"next": target}) as response:
                if not _stays_here(app, response) or live_payloads(response.get_data(as_text=True)):
                    wrong.append(f"{role} {path} next={target!r}: {response.status_code} {response.location}")
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.7.0.{number}"  # someone else, with their own limits
        credentials = {"email": account.email, "password": account.password, "next": target}
        signed_in = submit(client, "/accounts/sign-in", credentials)
        chosen = submit(client, "/language", {"language": "en", "next": target}, page="/accounts/settings")
        for response in (signed_in, chosen):
            if response.status_code != 302 or not _stays_here(app, response):
                wrong.append(f"POST {response.request.path} next={target!r}: {response.location}")
    assert wrong == []


def test_a_payload_carried_through_signing_in_is_never_live(site):
    """Asking a signed-out person to sign in keeps where they were going, payload and all, escaped."""
    app, _attack = site
    response = app.test_client().get(
        "/accounts/settings", query_string={"from": REFLECTED}, follow_redirects=True
    )
    page = response.get_data(as_text=True)
    assert response.request.path == "/accounts/sign-in"
    assert live_payloads(page) == [] and "&lt;svg" in page


# Every text field of every form, sent a payload through the real POST


#: Fields whose value no page shows again, whatever was typed: a password; a reader's note on a flag (kept
#: for the record; the moderator sees the reason).
NOT_SHOWN_AGAIN = {
    "password",
    "password_repeat",
    "current_password",
    ("FlagForm", "note"),
}


def test_every_text_field_of_every_form_takes_a_payload_and_shows_it_escaped(site, clients):
    app, attack = site
    forms = text_fields_of_every_form()
    assert set(forms) == set(FORMS), f"missing: {set(forms) - set(FORMS)}; stale: {set(FORMS) - set(forms)}"
    problems, number = [], 0
    for form_name, groups in sorted(forms.items()):
        post = FORMS[form_name]
        for group in groups:
            number += 1
            values = {**_ids(app, attack), "n": number, "key": uuid.uuid4().hex}
            payloads = {name: f"{REFLECTED_FIELD}F{number}{name[-2:]}" for name in group}
            sent = dataclasses.replace(
                post, data={**{k: v.format(**values) for k, v in post.data.items()}, **payloads}
            )
            response, client = _send(app, clients, sent, values, number)
            where = f"{form_name}.{group[0]}"
            if response.status_code not in (200, 302, 422):
                problems.append(f"{where}: answered {response.status_code}")
                continue
            # A translated field is read in its own language; the rest in the reader's.
            languages = [name.rpartition("_")[2] for name in group] if len(group) > 1 else ["en"]
            pages = [response.get_data(as_text=True)]
            for language in languages:
                headers = {"Accept-Language": language}
                if response.status_code == 302:
                    pages.append(client.get(response.location, headers=headers).get_data(as_text=True))
                if post.shows:
                    role, path = post.shows
                    shown_on = path.format(**_ids(app, attack), n=number)
                    pages.append(clients[role].get(shown_on, headers=headers).get_data(as_text=True))
            problems += [f"{where}: {live!r}" for page in pages for live in live_payloads(page)]
            shown = group[0] in NOT_SHOWN_AGAIN or (form_name, group[0]) in NOT_SHOWN_AGAIN
            for name, payload in payloads.items():
                if not shown and not any(str(escape(payload)) in page for page in pages):
                    problems.append(f"{form_name}.{name}: not shown back ({response.status_code})")
    assert problems == [], "\n".join(problems)


def test_a_file_name_carrying_a_payload_is_shown_escaped_and_sent_safely(site, clients):
    """The name of an uploaded file is the person's text too: on the receipt and the round's page, and in
    the download's header."""
    app, attack = site
    contributor = clients["contributor"]
    data = {
        "csrf_token": csrf_token(contributor, "/accounts/settings"),
        "target": "round",
        "idempotency_key": uuid.uuid4().hex,
        "body": "With a file.",
        "language": "en",
        "publication": "named",
        "organisation": "0",
        "attachments": [(io.BytesIO(_png()), REFLECTED_FIELD + "\r\nX-Injected: 1.png")],
    }
    response = contributor.post(f"/comments/new/{attack.world.open_slug}", data=data)
    assert response.status_code == 302
    for path in (response.location, f"/rounds/{attack.world.open_slug}"):
        page = contributor.get(path).get_data(as_text=True)
        assert live_payloads(page) == [] and str(escape(REFLECTED_FIELD)) in page, path
    with app.app_context():
        from consult.comments.models import Attachment

        newest = db.session.scalar(select(Attachment.public_id).order_by(Attachment.id.desc()).limit(1))
    with contributor.get(f"/comments/attachments/{newest}") as download:
        assert download.status_code == 200 and "X-Injected" not in download.headers
        assert download.headers["Content-Disposition"].startswith("attachment")
