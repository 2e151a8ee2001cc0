"""Forged requests, state changes on GET and open redirects, on every route of the URL map.

tests/security/test_baseline.py sends every POST without a token. Here every state-changing request (every
POST, PUT, PATCH and DELETE the URL map knows, the JSON API's included) is sent with a wrong token, a token
signed with another key, an expired one and a valid token of another session, by each kind of session that
gets past the route's permission check; each is refused with 400 and the database does not change. Every GET
route is walked by every role and changes nothing but what is named below. And every redirect the app builds
from what a request says (next=, the language switch, the referrer, the sign-in steps) stays on the site,
whatever tricks the target uses.
"""

import re
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pyotp
import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select

from consult.accounts import guessing
from consult.accounts.models import StaffRoleName, User
from consult.accounts.tokens import fingerprint, make_token
from consult.api import services as api_services
from consult.comments.models import Comment, CommentState, Publication, TargetType
from consult.comments.services import attach
from consult.database import utcnow
from consult.extensions import db
from consult.organisations import services as organisations
from consult.organisations.models import OrganisationType
from consult.rounds.models import Round
from consult.uploads import attachments
from tests.files import png_with_gps
from tests.helpers import PASSWORD, Account, make_user, next_totp_code, recorded_sql, sign_in, submit
from tests.routes import World, _argument_sets, _plan_objects
from tests.security.support import form_token

HOST = "consult.test"
# module_app (tests/security/conftest.py): the module's application, built once

# --- The world: the route table's objects, a comment of the contributor's, a confidential one ---------------


@dataclass(frozen=True)
class CsrfWorld:
    """The route table's world (with the contributor's published comment) and a variant whose comment is
    confidential, the people who sign in, and a token for the API."""

    world: World
    confidential: World
    accounts: dict[str, Account]
    api_secret: str


def build_world(app: Flask) -> CsrfWorld:
    """The objects of tests/test_route_roles.py; the world's comment is the contributor's, published on the
    public round, so that its author and its readers reach every form."""
    accounts = {
        "contributor": make_user(app, name="Carla Contributor"),
        "moderator": make_user(app, (StaffRoleName.moderator,)),
        "coordinator": make_user(app, (StaffRoleName.coordinator,)),
    }
    other = make_user(app, verified=False, email="unverified@example.org")
    with app.test_request_context():
        plan = _plan_objects()
        public_round = db.session.scalar(select(Round).where(Round.slug == "public-round"))
        comment = db.session.scalar(select(Comment).where(Comment.public_id == plan["comment_public_id"]))
        comment.author_id, comment.round_id = accounts["contributor"].id, public_round.id
        comment.state, comment.published_at = CommentState.published, utcnow()
        secret = Comment(
            round_id=public_round.id,
            author_id=other.id,
            idempotency_key="c" * 32,
            target_type=TargetType.round,
            body="Confidential words.",
            language="en",
            publication=Publication.confidential,
            at_risk=True,
            receipt_number="R-2",
            state=CommentState.published,
        )
        db.session.add(secret)
        db.session.flush()
        folder = Path(app.config["UPLOAD_FOLDER"])
        attach(None, secret, [attachments.store(png_with_gps(), "secret.jpg", folder)])
        verified = organisations.create_organisation(
            None, "Verified NGO", OrganisationType.ngo, verified=True
        )
        pending = organisations.create_organisation(None, "Pending NGO", OrganisationType.ngo)
        contributor = db.session.get(User, accounts["contributor"].id)
        organisations.request_membership(contributor, verified)
        _token, api_secret = api_services.issue_token(None, "Tracking database", True)
        db.session.commit()
        unverified = db.session.get(User, other.id)
        # Too many failed attempts paused this account: its owner's link leads to a form too.
        unverified.sign_in_paused_until = utcnow() + timedelta(days=1)
        db.session.commit()
        world = World(
            other_user_id=other.id,
            organisation_id=verified.id,
            pending_organisation_id=pending.id,
            member_id=contributor.id,
            verify_token=make_token("verify", {"uid": other.id, "email": unverified.email}),
            reset_token=make_token("reset", {"uid": other.id, "pw": fingerprint(unverified.password_hash)}),
            plan=plan,
            resume_token=guessing.resume_token(unverified),
        )
        confidential = replace(
            world,
            plan={
                **plan,
                "comment_public_id": secret.public_id,
                "attachment_public_id": secret.attachments[0].public_id,
            },
        )
    return CsrfWorld(world, confidential, accounts, api_secret)


@pytest.fixture(scope="module")
def csrf_world(module_app) -> CsrfWorld:
    return build_world(module_app)


@pytest.fixture(scope="module")
def sessions(module_app, csrf_world) -> dict[str, FlaskClient]:
    """A browser per kind of session: nobody signed in, a contributor, a moderator, a coordinator, and the
    same moderator in another browser, who gave the password but not yet the second factor."""
    browsers = {"anonymous": module_app.test_client()}
    for role in ("contributor", "moderator", "coordinator"):
        browsers[role] = module_app.test_client()
        sign_in(browsers[role], module_app, csrf_world.accounts[role])
    halfway = module_app.test_client()
    account = csrf_world.accounts["moderator"]
    answer = submit(halfway, "/accounts/sign-in", {"email": account.email, "password": PASSWORD})
    assert answer.headers["Location"].endswith("/accounts/sign-in/code")
    browsers["halfway"] = halfway
    for role, browser in browsers.items():
        form_token(browser, role not in ("anonymous", "halfway"))  # every session holds a token of its own
    return browsers


# --- Writes, as the database driver sees them ---------------------------------------------------------------


@dataclass
class Writes:
    """Every INSERT, UPDATE and DELETE the app sends while a block runs, with its parameters."""

    statements: list[tuple[str, object]]

    def unexpected(self) -> list[str]:
        """The writes that are not one of the named exceptions."""
        return [
            statement.split("\n")[0][:120]
            for statement, parameters in self.statements
            if not _named_exception(statement, parameters)
        ]


#: Writes a GET may make, by design: an audit event for each view of confidential material by staff
#: (consult/comments/services.record_view; DESIGN.md: "each view is audited") or through the API
#: (consult/api/services.record_confidential_read), and a token's last use, noted at most once a minute
#: (consult/api/services.touch_token), and likewise a session's last request (consult/accounts/session.py,
#: so that staff sessions can end when idle). The rounds' clock (consult/rounds/services.tick_if_due) may
#: also open or close rounds on any request: it is caught up before each walk and held still during it
#: (tests/helpers.recorded_sql).
AUDITED_READS = ("comment.view_confidential", "api.read_confidential")


def _named_exception(statement: str, parameters: object) -> bool:
    if statement.startswith("INSERT INTO audit_events"):
        return any(action in str(parameters) for action in AUDITED_READS)
    return statement.startswith(
        ("UPDATE api_tokens SET last_used_at", "UPDATE user_sessions SET last_seen_at")
    )


@pytest.fixture(scope="module")
def writes(module_app) -> Iterator:
    """A context manager that records the writes of the requests made inside it."""

    @contextmanager
    def recording() -> Iterator[Writes]:
        found = Writes([])

        def record(statement: str, parameters: object) -> None:
            if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
                found.statements.append((statement.strip(), parameters))

        with recorded_sql(module_app, record):
            yield found

    return recording


def _urls(app: Flask, rule, world: CsrfWorld) -> list[str]:
    """The addresses of a rule on the world's objects: public, private (a draft round, an organisation
    awaiting verification) and, where it names a comment or a file, the confidential one's."""
    variants = [(world.world, False), (world.world, True)]
    if {"comment_public_id", "attachment_public_id"} & set(rule.arguments):
        variants.append((world.confidential, False))
    urls = []
    for variant, private in variants:
        for arguments in _argument_sets(rule, variant, private):
            if "path" in rule.arguments:
                arguments["path"] = "nothing-here"
            with app.test_request_context():
                url = url_for(rule.endpoint, **arguments)
            if url not in urls:
                urls.append(url)
    return urls


def _rules(app: Flask, method: str) -> list:
    return [rule for rule in app.url_map.iter_rules() if method in rule.methods and rule.endpoint != "static"]


@dataclass(frozen=True)
class Visit:
    """One GET of the walk, and what it left behind."""

    who: str
    url: str
    status: int
    location: str | None
    token_fields: frozenset[str]
    #: Writes other than the named exceptions, and how many of those were made.
    unexpected: tuple[str, ...]
    audited: int


@pytest.fixture(scope="module")
def walk(module_app, csrf_world, sessions, writes) -> list[Visit]:
    """Every GET route on every object, as every role (and the API's with a token too)."""
    readers = {role: sessions[role] for role in ("anonymous", "contributor", "moderator", "coordinator")}
    bearer = {"Authorization": f"Bearer {csrf_world.api_secret}"}
    visits = []
    for rule in _rules(module_app, "GET"):
        for url in _urls(module_app, rule, csrf_world):
            asking = [(role, client, {}) for role, client in readers.items()]
            if rule.endpoint.startswith("api."):
                asking.append(("api token", readers["anonymous"], bearer))
            for who, client, headers in asking:
                with writes() as written:
                    response = client.get(url, headers=headers)
                page = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
                response.close()
                visits.append(
                    Visit(
                        who,
                        url,
                        response.status_code,
                        response.headers.get("Location"),
                        frozenset(re.findall(r'name="([^"]*csrf_token)"', page)),
                        tuple(written.unexpected()),
                        len(written.statements) - len(written.unexpected()),
                    )
                )
    return visits


def test_no_get_request_changes_anything_but_the_named_audited_reads(walk):
    assert len(walk) > 400
    assert [(visit.who, visit.url, visit.unexpected) for visit in walk if visit.unexpected] == []
    # The exceptions are real, so the recording is too: staff reading the confidential comment are audited,
    # and so is a token reading confidential input; nobody else's reading writes anything.
    audited = {visit.who for visit in walk if visit.audited}
    assert audited == {"moderator", "coordinator", "api token"}


# --- Forged tokens ------------------------------------------------------------------------------------------

#: Pages that send a session elsewhere before reading any form: a signed-in person opening the registration
#: or sign-in form (or a paused account's link to sign in anyway), the second factor or its enrolment without
#: a sign-in under way (as test_baseline.py says).
MOVED_ON = (
    "accounts.register",
    "accounts.sign_in",
    "accounts.second_factor",
    "accounts.enrol_second_factor",
    "accounts.resume_sign_in",
)
#: The JSON API's catch-all answers any method on any unknown address with JSON (404, or 405 where the
#: address exists for GET); it is exempt from CSRF because it changes nothing, which the writes show.
API_CATCH_ALL = "api.unknown"


class _SignedTwoDaysAgo(TimestampSigner):
    """A signer whose tokens were made two days ago: valid once, expired now."""

    def get_timestamp(self) -> int:
        return int(time.time() - timedelta(days=2).total_seconds())


def _own_raw_token(client: FlaskClient) -> str:
    with client.session_transaction() as session:
        return session["csrf_token"]


def _forgeries(app: Flask, client: FlaskClient, foreign: str) -> dict[str, tuple[str, dict]]:
    """Kind → (token in the form, headers): every way a token can be wrong for this session."""
    raw = _own_raw_token(client)
    expired = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token", signer=_SignedTwoDaysAgo)
    return {
        "a valid token of another session": (foreign, {}),
        "another session's token in the header": ("", {"X-CSRFToken": foreign}),
        "a made-up token": ("forged-token", {}),
        "the session's token signed with another key": (
            URLSafeTimedSerializer("another key", salt="wtf-csrf-token").dumps(raw),
            {},
        ),
        "the session's token, expired": (expired.dumps(raw), {}),
    }


def _refused_before_the_form(endpoint: str, response) -> bool:
    """A refusal that comes before any form is read: not signed in, not allowed, not there."""
    if response.status_code in (401, 403, 404):
        return True
    location = response.headers.get("Location", "")
    return response.status_code == 302 and ("/accounts/sign-in?next=" in location or endpoint in MOVED_ON)


def test_a_forged_token_is_refused_with_400_on_every_state_changing_request(
    module_app, csrf_world, sessions, writes, walk
):
    """Every POST, by each kind of session; where a session reaches the token check (400), every other
    forgery is tried there too. Nothing is written, but for the audited view of a confidential comment that
    a refused moderation form shows again; every route is reached by some session."""
    fields = set().union(*(visit.token_fields for visit in walk)) | {"csrf_token"}
    assert any(field != "csrf_token" for field in fields)  # prefixed forms were found
    foreign = form_token(module_app.test_client(), False)
    forgeries = {role: _forgeries(module_app, client, foreign) for role, client in sessions.items()}
    addresses = (f"10.7.{n // 250}.{n % 250 + 1}" for n in range(100_000))
    wrong, reached, routes, reached_rules = [], {}, set(), set()

    def send(role: str, url: str, kind: str):
        token, headers = forgeries[role][kind]
        form = {field: token for field in fields} if token else {}
        with writes() as written:
            # Each request from its own address, so that the sign-in limits answer none of them with 429.
            response = sessions[role].post(
                url,
                data={**form, "language": "fr"},
                headers=headers,
                environ_base={"REMOTE_ADDR": next(addresses)},
            )
        response.close()
        if written.unexpected():
            wrong.append(f"{role} POST {url} with {kind} wrote {written.unexpected()}")
        return response

    for rule in _rules(module_app, "POST"):
        if rule.endpoint == "accounts.sign_out":
            continue  # last, so that a failure there cannot sign the other checks out
        routes.add(rule.rule)
        for url in _urls(module_app, rule, csrf_world):
            for role in sessions:
                response = send(role, url, "a valid token of another session")
                location = response.headers.get("Location")
                if response.status_code == 400:
                    reached.setdefault(url, role)
                    reached_rules.add(rule.rule)
                elif rule.endpoint == API_CATCH_ALL:
                    if response.status_code not in (404, 405) or not response.is_json:
                        wrong.append(f"{role} POST {url}: {response.status_code}")
                elif not _refused_before_the_form(rule.endpoint, response):
                    wrong.append(f"{role} POST {url}: {response.status_code} {location}")
    unreached = routes - reached_rules - {"/api/", "/api/<anypath:path>"}
    wrong += [f"POST {rule}: no session reached the token check" for rule in sorted(unreached)]
    for url, role in reached.items():
        for kind in list(forgeries[role])[1:]:
            if (status := send(role, url, kind).status_code) != 400:
                wrong.append(f"{role} POST {url} with {kind}: {status}")
    for role in ("contributor", "coordinator"):
        for kind in forgeries[role]:
            if (status := send(role, "/accounts/sign-out", kind).status_code) != 400:
                wrong.append(f"{role} signed out with {kind}: {status}")
        assert sessions[role].get("/accounts/settings").status_code == 200  # still signed in
    assert len(routes) > 60 and len(reached) > 60
    assert not wrong, "\n".join(wrong)


def test_other_methods_are_refused_everywhere_and_a_session_changes_nothing_through_the_api(
    module_app, csrf_world, sessions, writes
):
    """PUT, PATCH and DELETE on every address (405, or the API's JSON 404/405), sent by a coordinator with a
    valid token; the JSON API has no state-changing endpoint, so a signed-in browser's POST there changes
    nothing either, nor does a token's."""
    coordinator = sessions["coordinator"]
    headers = {"X-CSRFToken": form_token(coordinator, True)}
    bearer = {"Authorization": f"Bearer {csrf_world.api_secret}"}
    wrong, tried = [], 0
    for rule in _rules(module_app, "GET") + _rules(module_app, "POST"):
        for url in _urls(module_app, rule, csrf_world)[:1]:
            is_api = rule.endpoint.startswith("api.")
            methods = ["PUT", "PATCH", "DELETE", *(["POST"] if is_api else [])]
            askers = [(coordinator, headers), *([(sessions["anonymous"], bearer)] if is_api else [])]
            for method in methods:
                for client, extra in askers:
                    with writes() as written:
                        response = client.open(url, method=method, headers=extra)
                    tried += 1
                    # Under /api, the API's catch-all answers what no route takes: JSON 404, or 405.
                    in_api = url.startswith("/api/")
                    allowed = (404, 405) if in_api else (405,)
                    if response.status_code not in allowed or (in_api and not response.is_json):
                        wrong.append(f"{method} {url}: {response.status_code}")
                    if written.statements:
                        wrong.append(f"{method} {url} wrote {written.statements}")
                    response.close()
    assert tried > 300
    assert not wrong, "\n".join(wrong)


# --- Open redirects -----------------------------------------------------------------------------------------

#: Off-site targets, with the tricks browsers are known to fall for.
EVIL = (
    "https://evil.example/",
    "http://evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\\/evil.example",
    "%2F%2Fevil.example",
    "%5C%5Cevil.example",
    "javascript:alert(1)",
    "JavaScript:alert(document.domain)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/\t/evil.example",
    "/\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "https:evil.example",
    "https:/evil.example",
    "http:\\\\evil.example",
    "／／evil.example",
    "/／evil.example",
    "⁄⁄evil.example",
    "//evil。example",
    "https://consult.test@evil.example/",
    "https://evil.example\\@consult.test/",
    "https://evil.example#@consult.test",
    "//consult.test.evil.example/",
    "/\r\nLocation: https://evil.example",
)
#: What browsers read as a dot in a host name (UTS 46 maps them all to ".").
_DOTS = str.maketrans({"。": ".", "．": ".", "｡": "."})


def lands_on(location: str, base: str = f"http://{HOST}/") -> tuple[str, str]:
    """(scheme, host) that a browser following this Location header goes to, parsed as the WHATWG URL
    standard does for http(s): surrounding controls and spaces dropped, tabs and newlines removed anywhere,
    backslashes taken for slashes, any number of slashes before a host, and a host folded as UTS 46 does."""
    cleaned = location.strip("".join(map(chr, range(0x21))))
    cleaned = re.sub(r"[\t\n\r]", "", cleaned).replace("\\", "/")
    base_scheme = urlsplit(base).scheme
    scheme_match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):(.*)", cleaned, re.S)
    if scheme_match:
        scheme, rest = scheme_match.group(1).lower(), scheme_match.group(2)
        if scheme not in ("http", "https"):
            return scheme, ""
        # Another scheme than the page's, or two slashes: what follows the slashes is a host.
        authority = scheme != base_scheme or rest.startswith("//")
        cleaned = f"{scheme}://{rest.lstrip('/')}" if authority else rest
    elif cleaned.startswith("//"):
        cleaned = f"{base_scheme}://{cleaned.lstrip('/')}"
    resolved = urlsplit(urljoin(base, cleaned))
    host = resolved.netloc.rpartition("@")[2].partition(":")[0]
    return resolved.scheme, unicodedata.normalize("NFKC", host).translate(_DOTS).lower()


@pytest.mark.parametrize(
    ("location", "stays"),
    [
        ("/rounds/x", True),
        ("http://consult.test/x", True),
        ("//evil.example", False),
        ("/\\evil.example", False),
        ("https:evil.example", False),
        ("\t//evil.example", False),
        ("javascript:alert(1)", False),
        ("//evil。example", False),
        ("https://consult.test@evil.example/", False),
    ],
)
def test_lands_on_reads_a_location_as_a_browser_does(location, stays):
    assert (lands_on(location) == ("http", HOST)) is stays


def _stays(response) -> bool:
    """Whether a response keeps the browser on the site: no Location, or one that lands here."""
    locations = response.headers.getlist("Location")
    return len(locations) <= 1 and all(lands_on(location) == ("http", HOST) for location in locations)


def test_no_get_of_the_walk_redirects_off_site(walk):
    redirects = [visit for visit in walk if visit.location]
    assert len(redirects) > 30
    assert [(v.who, v.url, v.location) for v in redirects if lands_on(v.location) != ("http", HOST)] == []


def test_the_language_switches_return_only_to_a_page_of_the_site(module_app, sessions):
    """Each way to switch the language (a form for a signed-in person, a GET for a reader), with every
    trick in its return address."""
    switches = [rule for rule in module_app.url_map.iter_rules() if "language" in rule.endpoint]
    assert switches
    coordinator = sessions["coordinator"]
    token = form_token(coordinator, True)
    wrong = []
    for rule in switches:
        for target in EVIL:
            if "POST" in rule.methods:
                data = {"csrf_token": token, "language": "en", "next": target}
                response = coordinator.post(rule.rule, data=data)
            else:
                response = sessions["anonymous"].get(
                    rule.rule, query_string={"language": "en", "next": target}
                )
            if response.status_code != 302 or not _stays(response):
                wrong.append(f"{rule.endpoint} next={target!r}: {response.status_code} {response.location}")
    assert not wrong, "\n".join(wrong)


def test_signing_in_returns_only_to_a_page_of_the_site(module_app, csrf_world):
    """Through the password form, the second factor and the enrolment of a second factor, the address a
    person asked for before signing in is followed only if it is on the site."""
    contributor = csrf_world.accounts["contributor"]
    targets = ("//evil.example", "/\\evil.example", "https:evil.example", "javascript:alert(1)", "\t//evil")
    for number, target in enumerate((*targets, "/comments/mine")):
        client = module_app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.8.0.{number + 1}"  # the sign-in limit counts per address
        response = submit(
            client,
            "/accounts/sign-in",
            {"email": contributor.email, "password": PASSWORD, "next": target},
            page=f"/accounts/sign-in?next={target}",
        )
        assert response.status_code == 302 and _stays(response), (target, response.location)
    assert response.location == "/comments/mine"  # a page of the site is followed

    moderator = csrf_world.accounts["moderator"]
    client = module_app.test_client()
    submit(client, "/accounts/sign-in", {"email": moderator.email, "password": PASSWORD, "next": "//evil"})
    response = submit(client, "/accounts/sign-in/code", {"code": next_totp_code(module_app, moderator)})
    assert response.status_code == 302 and _stays(response)

    newcomer = make_user(module_app, (StaffRoleName.moderator,), two_factor=False)
    client = module_app.test_client()
    response = submit(
        client, "/accounts/sign-in", {"email": newcomer.email, "password": PASSWORD, "next": "//evil"}
    )
    assert response.location.endswith("/accounts/two-factor/enrol")
    client.get("/accounts/two-factor/enrol").close()  # the page puts the secret to enrol in the session
    with client.session_transaction() as session:
        code = pyotp.TOTP(session["enrol_secret"]).now()
    page = submit(client, "/accounts/two-factor/enrol", {"code": code}).get_data(as_text=True)
    continue_link = re.search(r'<a class="button" href="([^"]*)"', page).group(1)
    assert lands_on(continue_link) == ("http", HOST) and "evil" not in continue_link


def test_no_state_change_sends_the_browser_off_site(module_app, csrf_world, sessions):
    """Every POST as a moderator and as a coordinator, with a valid token, an off-site next= and an off-site
    Referer (the moderation queue returns to the page it was sent from): every answer stays on the site. It
    acts, so it runs last; the round's lifecycle and signing out come at the very end."""
    evil = {"next": "//evil.example", "return_to": "//evil.example", "back": "//evil.example"}
    wrong, tried = [], 0
    rules = sorted(
        _rules(module_app, "POST"),
        key=lambda rule: (
            rule.endpoint == "rounds.change_state",
            rule.endpoint in ("accounts.sign_out", "accounts.sign_out_everywhere"),
        ),
    )
    for role in ("moderator", "coordinator"):
        client = sessions[role]
        token = form_token(client, True)
        for rule in rules:
            for url in _urls(module_app, rule, csrf_world)[:1]:
                for referrer in ("https://evil.example/moderation/", f"http://{HOST}.evil.example/"):
                    response = client.post(
                        url, data={"csrf_token": token, **evil}, headers={"Referer": referrer}
                    )
                    tried += 1
                    if not _stays(response):
                        wrong.append(f"{role} POST {url} (Referer {referrer}): {response.location}")
                    response.close()
    assert tried > 200
    assert not wrong, "\n".join(wrong)
