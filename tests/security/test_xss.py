"""Cross-site scripting, stored and reflected, on every route and every form.

Stored: every free-text value in the database carries a script payload (tests/security/world.py poisons every
String, Text and JSON column the schema has), and every GET route of the URL map is fetched by every role
with the world's objects: no answer may carry the payload as live markup. Reflected: every query parameter a
route reads (found by watching the route read them) is set to a payload, and so are paths and `next=`.
Forms: every text field of every form is sent a payload through the real POST and shown escaped.
"""

import dataclasses
import inspect
import io
import json
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from markupsafe import escape
from sqlalchemy import func, select
from wtforms import StringField
from wtforms.fields.core import UnboundField

from consult.extensions import db
from tests.accessibility.world import _png
from tests.helpers import PASSWORD, csrf_token, submit
from tests.security.world import (
    DOWNLOADS,
    LANGUAGES,
    ROLES,
    AttackWorld,
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
    "rounds.show_round",
    "comments.show_comment",
    "moderation.show_comment",
    "plan.show_recommendation",
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
    assert {"rounds.show_round", "accounts.reset_password", "api.unknown"} <= {e for e, _n in arguments}
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


@dataclass(frozen=True)
class Post:
    """How a form is sent with valid values, and where what it saved is shown. Paths and values are
    formatted with the world's ids, `n` (a number of this post) and `key` (a fresh 32-hex key)."""

    role: str
    path: str
    data: dict[str, str]
    prefix: str = ""
    #: Values the view reads outside the form, sent as they are.
    extra: dict[str, str] = dataclasses.field(default_factory=dict)
    #: (role, path) of a page that shows what was saved, beside the answer and where it redirects.
    shows: tuple[str, str] | None = None
    method: str = "POST"


_PASSWORDS = {"password": PASSWORD, "password_repeat": PASSWORD}
_ROUND = {
    "slug": "new-round-{n}",
    "stage": "mid_term",
    "cycle": "4",
    "plan_version": "0",
    "eligibility": "public",
    "moderation_mode": "pre",
    "summariser_organisation": "0",
    "timezone": "UTC",
    "opens_at": "2031-01-01T10:00",
    "closes_at": "2031-02-01T10:00",
    "title_en": "A new round",
}

#: Each form with a text field → how it is sent. A form missing here fails the test.
FORMS = {
    "RegistrationForm": Post(
        "anonymous",
        "/accounts/register",
        {"display_name": "New person", "email": "new{n}@example.org", **_PASSWORDS},
        shows=("coordinator", "/accounts/users?q=new{n}%40"),
    ),
    "SignInForm": Post(
        "anonymous", "/accounts/sign-in", {"email": "no@example.org", "password": "x", "next": "/"}
    ),
    "CodeForm": Post("contributor", "/accounts/two-factor/enrol", {"code": "000000"}),
    "ResetRequestForm": Post("anonymous", "/accounts/reset", {"email": "no@example.org"}),
    "ResetForm": Post(
        "anonymous", "/accounts/reset/{reset_token}", {"password": PASSWORD, "password_repeat": "x"}
    ),
    "ChangePasswordForm": Post(
        "contributor", "/accounts/password", {"current_password": "wrong", **_PASSWORDS}
    ),
    "PasswordConfirmForm": Post("contributor", "/accounts/two-factor/disable", {"password": "x"}, "disable"),
    "ResendForm": Post("anonymous", "/accounts/verify", {"email": "no@example.org"}),
    "SettingsForm": Post(
        "contributor", "/accounts/settings", {"display_name": "Olga", "locale": "", "timezone": ""}
    ),
    "TokenForm": Post("coordinator", "/api/tokens", {"name": "Tracker"}),
    # Neither box ticked: the forms come back with what was typed, and nobody is erased.
    "EraseAccountForm": Post("contributor", "/privacy/erase", {"password": "x"}),
    "EraseForUserForm": Post("coordinator", "/privacy/users/{user_id}/erase", {"reference": "Letter 1"}),
    "CommentForm": Post(
        "contributor",
        "/comments/new/{open_slug}",
        {
            "target": "round",
            "idempotency_key": "{key}",
            "body": "A comment.",
            "language": "en",
            "publication": "named",
            "organisation": "0",
        },
    ),
    "DecisionForm": Post(
        "moderator",
        "/moderation/comments/{pending_id}/decide",
        {"decision": "request_changes", "reason": "other", "note": "Shorter, please."},
        shows=("moderator", "/moderation/comments/{pending_id}"),
    ),
    "RedactForm": Post(
        "moderator", "/moderation/comments/{published_id}/redact", {"passage": "ombudsman", "reason": "spam"}
    ),
    "QueueFilterForm": Post("moderator", "/moderation/", {"language": "en"}, method="GET"),
    "FlagForm": Post("coordinator", "/moderation/flag/{published_id}", {"reason": "spam", "note": "Spam."}),
    "AppealForm": Post(
        "contributor",
        "/comments/{rejected_id}/appeal",
        {"statement": "Please look again."},
        shows=("moderator", "/moderation/comments/{rejected_id}"),
    ),
    "AppealDecisionForm": Post(
        "coordinator",
        "/moderation/appeals/{appeal_id}",
        {"outcome": "grant", "note": "Granted."},
        shows=("moderator", "/moderation/comments/{removed_id}"),
    ),
    "JoinForm": Post(
        "contributor",
        "/organisations/join",
        {"organisation": "{other_organisation_id}", "position": "Lawyer"},
        "join",
        shows=("coordinator", "/organisations/{other_organisation_id}"),
    ),
    "ProposeForm": Post(
        "contributor",
        "/organisations/propose",
        {
            "name": "Proposed {n}",
            "acronym": "PN",
            "type": "ngo",
            "website": "https://ngo.example",
            "position": "Chair",
        },
        "propose",
        shows=("coordinator", "/organisations/{newest_organisation}"),
    ),
    "ClusterForm": Post(
        "coordinator", "/plan/clusters/new", {"code": "X{n}", "position": "0", "title_en": "Cluster"}
    ),
    "ActionForm": Post(
        "coordinator",
        "/plan/actions/new",
        {
            "code": "XA{n}",
            "cluster": "0",
            "responsible_entity": "Ministry",
            "status": "planned",
            "title_en": "Act",
        },
    ),
    "IndicatorForm": Post(
        "coordinator",
        "/plan/indicators/new",
        {"action": "{action_id}", "kind": "process", "title_en": "Visits"},
    ),
    "IndicatorValueForm": Post(
        "coordinator",
        "/plan/indicators/{indicator_id}/values",
        {"period": "2026-03-01", "value": "4", "breakdown": "b{n}", "note": "A note."},
        "value-{indicator_id}",
    ),
    "RecommendationTextsForm": Post(
        "coordinator",
        "/plan/recommendations/{recommendation_id}/texts",
        {"text_en": "Ratify OPCAT."},
        shows=("anonymous", "/plan/recommendations/{recommendation_id}"),
    ),
    "TagForm": Post(
        "coordinator",
        "/plan/recommendations/{recommendation_id}/tags",
        {"vocabulary": "theme", "code": "Tag"},
        shows=("anonymous", "/plan/recommendations/{recommendation_id}"),
    ),
    "FreezeForm": Post("coordinator", "/plan/versions", {"label": "Version"}),
    "RoundForm": Post("coordinator", "/rounds/new", _ROUND),
    "QuestionForm": Post(
        "coordinator",
        "/rounds/{open_slug}/questions",
        {"text_en": "What changed?"},
        shows=("anonymous", "/rounds/{open_slug}"),
    ),
    "DocumentForm": Post(
        "coordinator",
        "/rounds/{open_slug}/documents",
        {"language": "en", "title_en": "Draft", "text": "One.\n\nTwo."},
        shows=("anonymous", "/rounds/{open_slug}/documents/{newest_document}"),
    ),
    "SummaryForm": Post(
        "coordinator", "/rounds/{closed_slug}/summaries", {"title": "Summary", "language": "en"}
    ),
    "IntroductionForm": Post(
        "coordinator", "/summaries/{summary_id}/edit", {"title": "What we heard", "introduction": "Intro."}
    ),
    "SectionForm": Post(
        "coordinator",
        "/summaries/{summary_id}/sections",
        {"target": "round", "heading": "Point", "body": "Heard."},
    ),
    "SectionEditForm": Post(
        "coordinator",
        "/summaries/sections/{section_id}",
        {"heading": "Point", "body": "Heard."},
        "section-{section_id}",
        shows=("coordinator", "/summaries/{summary_id}/edit"),
    ),
    "CitationForm": Post(
        "coordinator",
        "/summaries/sections/{section_id}/citations",
        {"comment": "{closed_comment_id}", "quote": ""},
        "cite-{section_id}",
        shows=("coordinator", "/summaries/{summary_id}/edit"),
    ),
    "PublishForm": Post(
        "coordinator",
        "/summaries/{summary_id}/publish",
        {"change_note": "Corrected."},
        shows=("anonymous", "/summaries/{summary_id}"),
    ),
    "ResponseForm": Post(
        "coordinator",
        "/rounds/{closed_slug}/responses",
        {"outcome": "partly", "explanation": "Done.", "responsible_entity": "Ministry"},
        "recommendation-{recommendation_id}",
        extra={"target": "recommendation-{recommendation_id}"},
    ),
    "SummariserForm": Post("coordinator", "/rounds/{open_slug}/summarisers", {"email": "no@example.org"}),
}

#: Fields whose value no page shows again, whatever was typed: a password; a reader's note on a flag (kept
#: for the record; the moderator sees the reason); the comment a quotation is of, which the editor offers
#: from the round's published comments only.
NOT_SHOWN_AGAIN = {
    "password",
    "password_repeat",
    "current_password",
    ("FlagForm", "note"),
    ("CitationForm", "comment"),
}


def text_fields_of_every_form() -> dict[str, list[list[str]]]:
    """Each form class of the app with text fields → its text fields, a translated field's six languages
    together in one group."""
    import importlib
    import pkgutil

    import consult
    from consult.forms import Form

    for module in pkgutil.walk_packages(consult.__path__, "consult."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    found, classes = {}, [Form]
    while classes:
        form_class = classes.pop()
        classes += form_class.__subclasses__()
        names = sorted(
            name
            for name, value in inspect.getmembers(form_class, lambda v: isinstance(v, UnboundField))
            if issubclass(value.field_class, StringField)
        )
        groups: dict[str, list[str]] = {}
        for name in names:
            stem, _sep, language = name.rpartition("_")
            groups.setdefault(stem if language in LANGUAGES else name, []).append(name)
        if groups:
            found[form_class.__name__] = list(groups.values())
    return found


def _ids(app: Flask, attack: AttackWorld) -> dict[str, object]:
    """The values the posts' paths and data are formatted with."""
    from consult.comments.models import Comment, CommentState
    from consult.organisations.models import Organisation, OrganisationState
    from consult.rounds.models import RoundDocument
    from consult.summaries.models import SummarySection

    world = attack.world
    with app.app_context():
        newest = {
            "newest_organisation": db.session.scalar(select(func.max(Organisation.id))),
            "newest_document": db.session.scalar(select(func.max(RoundDocument.id))),
        }
        other_organisation = db.session.scalar(
            select(Organisation.id).where(
                Organisation.state == OrganisationState.verified,
                Organisation.id != world.values["organisation_id"],
            )
        )
        closed_comment = db.session.scalar(
            select(func.min(Comment.id)).where(
                Comment.round_id == world.values["round_id"], Comment.state == CommentState.published
            )
        )
        section = db.session.scalar(
            select(func.min(SummarySection.id)).where(SummarySection.summary_id == world.values["summary_id"])
        )
    return {
        **world.values,
        **newest,
        "open_slug": world.open_slug,
        "closed_slug": world.closed_slug,
        "reset_token": world.reset_token,
        "removed_id": attack.removed_id,
        "appeal_id": attack.appeal_id,
        "rejected_id": attack.rejected_id,
        "pending_id": attack.pending_id,
        "published_id": attack.published_id,
        "other_organisation_id": other_organisation,
        "closed_comment_id": closed_comment,
        "section_id": section,
    }


def _send(app, clients, post: Post, values: dict, number: int):
    """Send the form as its role would, and return (the answer, the pages to look at afterwards)."""
    client = clients[post.role]
    if post.role == "anonymous":
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.8.{number // 250}.{number % 250}"
    prefix = post.prefix.format(**values)
    data = {(f"{prefix}-{name}" if prefix else name): value for name, value in post.data.items()}
    data |= {name: value.format(**values) for name, value in post.extra.items()}
    path = post.path.format(**values)
    if post.method == "GET":
        return client.get(path, query_string=data), client
    token = csrf_token(client, "/accounts/sign-in" if post.role == "anonymous" else "/accounts/settings")
    data[f"{prefix}-csrf_token" if prefix else "csrf_token"] = token
    return client.post(path, data=data), client


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
