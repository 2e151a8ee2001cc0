"""What tests/test_privacy.py does not sweep: every page as another contributor, files as a coordinator (they
leave the mechanism), the JSON API read with a staff session's cookie, searches for an author, the page
after the first of a round, the e-mails other people get, the time of day of an anonymous comment; every
public page and the files it loads for a host other than this one; and the client's address, which no row
of any table and no stored file may keep, whatever a person does.

The world is the accessibility tests' (tests/accessibility/world.py: every page has something on it), with an
anonymous and a confidential comment by Hidden Person in both rounds, enough newer comments that the closed
round's first page ends at the anonymous one, and an organisation with a website.
"""

import io
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.accounts.models import User
from consult.api import services as api_services
from consult.comments import services as comments
from consult.comments.models import Comment, CommentState, Publication, TargetType
from consult.extensions import db
from consult.moderation import services as moderation
from consult.moderation.models import DecisionKind, Reason
from consult.organisations.models import Organisation
from consult.rounds import notifications
from consult.rounds.models import Round, RoundInvitation
from tests.accessibility.test_axe import _urls
from tests.accessibility.world import World, build_world
from tests.comments.test_attachments import _pdf
from tests.comments.test_taking_part import form as comment_form
from tests.conftest import link_in
from tests.helpers import PASSWORD, make_user, sign_in, submit
from tests.reports.readable import readable
from tests.security import test_access

module_app = test_access.module_app  # the module's application, built once

HOST = "consult.test"
HIDDEN = "Hidden Person"
CONFIDENTIAL = "A guard threatened me after my visit. Secret witness account."
#: When the anonymous comment of the closed round was published: a time of day nobody else has.
ANONYMOUS_AT = datetime(2026, 3, 4, 3, 17, 29, 123456, tzinfo=UTC)


@dataclass(frozen=True)
class PrivacyWorld:
    """The accessibility world and what no public surface may show."""

    world: World
    secrets: tuple[str, ...]


def _hidden_person() -> User:
    return db.session.scalar(select(User).where(User.display_name == HIDDEN))


def _newer_comments(round_: Round, count: int, after: datetime) -> None:
    """count named comments published after a moment, each by a person of its own."""
    for number in range(count):
        author = User(
            display_name=f"Reader {number}", email=f"reader{number}@example.org", email_verified_at=after
        )
        db.session.add(author)
        db.session.flush()
        published = after + timedelta(minutes=number + 1)
        db.session.add(
            Comment(
                round_id=round_.id,
                author_id=author.id,
                idempotency_key=uuid.uuid4().hex,
                target_type=TargetType.round,
                body=f"Another voice {number}.",
                language="en",
                publication=Publication.named,
                receipt_number=f"R-N{number}",
                state=CommentState.published,
                submitted_at=published,
                published_at=published,
            )
        )


def build_privacy_world(app: Flask) -> PrivacyWorld:
    world = build_world(app)
    with app.test_request_context():
        hidden = _hidden_person()
        closed = db.session.scalar(select(Round).where(Round.slug == world.closed_slug))
        opened = db.session.scalar(select(Round).where(Round.slug == world.open_slug))
        anonymous = db.session.scalar(
            select(Comment).where(Comment.round_id == closed.id, Comment.publication == Publication.anonymous)
        )
        # Newest of the round's first input, with nineteen newer: the first page (20) ends with it.
        anonymous.submitted_at = anonymous.published_at = ANONYMOUS_AT
        older = ANONYMOUS_AT - timedelta(days=1)
        for comment in db.session.scalars(select(Comment).where(Comment.round_id == closed.id)):
            if comment.id != anonymous.id:
                comment.submitted_at = comment.published_at = older
        _newer_comments(closed, 19, ANONYMOUS_AT)
        for publication, body in (
            (Publication.anonymous, "Nobody inspects the north."),
            (Publication.confidential, CONFIDENTIAL),
        ):
            comments.submit(
                hidden,
                opened,
                uuid.uuid4().hex,
                comments.Draft(
                    TargetType.round,
                    None,
                    body,
                    "en",
                    publication,
                    at_risk=publication is Publication.confidential,
                ),
            )
        ngo = db.session.get(Organisation, world.values["organisation_id"])
        ngo.website = "https://legal-aid.example.org/"
        db.session.add(RoundInvitation(round_id=opened.id, organisation_id=ngo.id))
        db.session.commit()
        secrets = (HIDDEN, hidden.email, CONFIDENTIAL, *_moments(ANONYMOUS_AT))
    return PrivacyWorld(world, secrets)


def _moments(moment: datetime) -> tuple[str, ...]:
    """The ways a page could write a moment's time of day: clock time, epoch seconds and microseconds."""
    return (
        moment.strftime("%H:%M:%S"),
        moment.strftime("%H%M%S"),
        str(int(moment.timestamp())),
        str(int(moment.timestamp() * 1_000_000)),
    )


@pytest.fixture(scope="module")
def privacy_world(module_app) -> PrivacyWorld:
    return build_privacy_world(module_app)


@pytest.fixture(scope="module")
def readers(module_app, privacy_world) -> dict[str, FlaskClient]:
    """A visitor, a contributor who wrote none of it, and a coordinator."""
    browsers = {"visitor": module_app.test_client()}
    for who, roles in (("stranger", ()), ("coordinator", None)):
        browsers[who] = module_app.test_client()
        account = (
            privacy_world.world.accounts["coordinator"] if roles is None else make_user(module_app, roles)
        )
        sign_in(browsers[who], module_app, account)
    return browsers


def _leaks(text_read: str, secrets: tuple[str, ...]) -> list[str]:
    return [secret for secret in secrets if secret in text_read]


def _round_pages(client: FlaskClient, world: World) -> list[str]:
    """The rounds' pages after the first, by the links their first pages give."""
    found = []
    for slug in world.slugs:
        page = client.get(f"/rounds/{slug}").get_data(as_text=True)
        found += [
            link.replace("&amp;", "&") for link in re.findall(r'href="(/rounds/[^"]*before=[^"]*)"', page)
        ]
    return found


def test_no_page_or_file_shows_an_anonymous_authors_name_or_when_they_wrote(
    module_app, privacy_world, readers
):
    """Every GET route of the URL map on the world's objects, and the rounds' next pages: as a visitor and as
    a contributor who wrote none of it, nothing of Hidden Person's; as a coordinator, nothing in any file,
    feed, chart or JSON answer, which leave the mechanism."""
    world = privacy_world.world
    urls = [path for _endpoint, path in _urls(module_app, world)] + _round_pages(readers["visitor"], world)
    assert any("before=" in url for url in urls)  # the closed round has a second page
    found, read = [], 0
    for url in urls:
        for who, client in readers.items():
            with client.get(url) as response:
                if response.status_code != 200 or (who == "coordinator" and response.mimetype == "text/html"):
                    continue
                leaked = _leaks(readable(response), privacy_world.secrets)
            read += 1
            if leaked:
                found.append(f"{url} as {who}: {leaked}")
    assert read > 150
    assert not found, "\n".join(found)


def test_the_api_reads_as_the_public_whatever_session_asks(module_app, privacy_world, readers):
    """A signed-in coordinator's cookie opens nothing more in the API than no cookie: every endpoint answers
    the same, and confidential input needs a token, never a session."""
    api = [path for endpoint, path in _urls(module_app, privacy_world.world) if endpoint.startswith("api.")]
    assert len(api) > 10
    for path in api:
        with readers["visitor"].get(path) as public, readers["coordinator"].get(path) as staff:
            assert (staff.status_code, staff.get_json()) == (public.status_code, public.get_json()), path
    for slug in privacy_world.world.slugs:
        for who in ("stranger", "coordinator"):
            response = readers[who].get(f"/api/v1/rounds/{slug}/comments?include=confidential")
            assert response.status_code == 403


def _found(response) -> list[int]:
    """The recommendations a list answer shows: the page's links to them, or the API's ids."""
    with response:
        if response.is_json:
            return [row["id"] for row in response.get_json()["data"]]
        return [
            int(i) for i in re.findall(r'href="/plan/recommendations/(\d+)"', response.get_data(as_text=True))
        ]


def test_searching_for_an_author_finds_nothing(module_app, privacy_world, readers):
    """A search by an anonymous author's name or address, or by confidential words, finds what a search for
    nonsense finds: nothing says what they wrote about (while a search for a recommendation's words does)."""
    visitor = readers["visitor"]
    for path in ("/plan/recommendations", "/api/v1/recommendations"):
        assert _found(visitor.get(path, query_string={"q": "OPCAT"}))
        assert _found(visitor.get(path, query_string={"q": uuid.uuid4().hex})) == []
        for secret in privacy_world.secrets[:3]:
            assert _found(visitor.get(path, query_string={"q": secret})) == [], (path, secret)


def test_no_email_to_someone_else_tells_of_an_anonymous_or_confidential_comment(
    module_app, privacy_world, smtp_server
):
    """Everything the mechanism tells people about a round (opened, closing, extended) reaches invited members
    and every author; only Hidden Person's own e-mails may speak of their comments."""
    inbox = smtp_server[1]
    inbox.clear()
    world = privacy_world.world
    coordinator = module_app.test_client()
    sign_in(coordinator, module_app, world.accounts["coordinator"])
    with module_app.app_context():
        opened = db.session.scalar(select(Round).where(Round.slug == world.open_slug))
        round_id, closes_at = opened.id, opened.closes_at
        hidden_email = _hidden_person().email
    later = (closes_at + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = submit(
        coordinator,
        f"/rounds/{world.open_slug}/extend",
        {"closes_at": later},
        page=f"/rounds/{world.open_slug}/manage",
    )
    assert response.status_code == 302
    with module_app.test_request_context():
        notifications.send_round_opened(round_id)
        notifications.send_round_closing(round_id)
    messages = [m for m in inbox.messages if m["To"] != hidden_email]
    assert len(messages) >= 3  # a member of the invited organisation, who also wrote in the round
    for message in messages:
        assert _leaks(message.get_content(), privacy_world.secrets) == [], message["To"]


# --- Nothing from elsewhere ---------------------------------------------------------------------------------

#: Attributes that load, send or follow to an address.
URL_ATTRIBUTES = {"src", "href", "action", "formaction", "poster", "data", "background", "xlink:href", "cite"}


class _References(HTMLParser):
    """Every address an HTML page names, with the tag and attribute that names it."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str, dict]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRIBUTES:
                self.found.append((tag, name, value, attributes))
            elif name in ("srcset", "imagesrcset"):
                self.found += [
                    (tag, name, part.split()[0], attributes) for part in value.split(",") if part.strip()
                ]
            elif name == "style":
                self.found += [(tag, name, url, attributes) for url in _css_urls(value)]
            elif name == "content" and attributes.get("http-equiv", "").lower() == "refresh":
                self.found.append((tag, name, value.partition("=")[2].strip(" '\""), attributes))

    handle_startendtag = handle_starttag


def _css_urls(css: str) -> list[str]:
    return [u.strip(" '\"") for u in re.findall(r"url\(([^)]*)\)", css)] + re.findall(
        r"@import\s+['\"]([^'\"]+)", css
    )


def _off_site(address: str) -> bool:
    """Whether an address reaches another host (a scheme other than this site's, or another host)."""
    parts = urlsplit(address.strip())
    if parts.scheme in ("", "http", "https"):
        return parts.netloc not in ("", HOST)
    return parts.scheme not in ("data", "mailto")


def _allowed_link(tag: str, name: str, attributes: dict) -> bool:
    """The one address of another host a page may name: an organisation's website, a link a reader chooses
    to follow, which loads nothing and carries no referrer (templates/organisations/show.html)."""
    return tag == "a" and name == "href" and "noreferrer" in attributes.get("rel", "").split()


def test_no_page_loads_anything_from_another_host(module_app, privacy_world, readers):
    """Every page a visitor can open, the stylesheets, scripts and icons they load: only this site."""
    visitor = readers["visitor"]
    urls = [path for _e, path in _urls(module_app, privacy_world.world)] + ["/no-such-page"]
    found, pages, assets, links = [], 0, set(), 0
    for url in urls:
        with visitor.get(url) as response:
            if response.mimetype != "text/html":
                continue
            parser = _References()
            parser.feed(response.get_data(as_text=True))
        pages += 1
        for tag, name, address, attributes in parser.found:
            if not _off_site(address):
                if tag in ("link", "script", "img") and address.startswith("/static/"):
                    assets.add(address.split("?")[0])
            elif _allowed_link(tag, name, attributes):
                links += 1
            else:
                found.append(f"{url}: <{tag} {name}={address!r}>")
    assert pages > 40 and links >= 1  # the organisation's website was seen, as the one allowed link
    assert {a for a in assets if a.endswith(".css")}
    static = Path(module_app.static_folder)
    for path in sorted(set(static.rglob("*.css")) | set(static.rglob("*.js")) | set(static.rglob("*.svg"))):
        content = path.read_text(encoding="utf-8")
        addresses = _css_urls(content) + re.findall(r"""(?:https?:)?//[^\s'"()<>]+""", content)
        found += [f"{path.name}: {a}" for a in addresses if _off_site(a) and "www.w3.org" not in a]
    assert not found, "\n".join(found)


# --- No address is kept -------------------------------------------------------------------------------------

CLIENT_ADDRESS = "203.0.113.77"
FORWARDED_FOR = "198.51.100.23"


def test_no_client_address_is_stored_with_anything_a_person_does(module_app, privacy_world, smtp_server):
    """Register, confirm, sign in, comment with a file, report a comment, contest a rejection, ask for a new
    password, read the API with a token: all from one address behind a proxy that names another. Then no
    column of any table and no stored file holds either address. (The rate limiter counts requests per
    address in its own store, memory or Redis, apart from the database and from any comment.)"""
    inbox = smtp_server[1]
    inbox.clear()
    # Every request from one address, through a proxy that names another in each header proxies use.
    environ = {
        "REMOTE_ADDR": CLIENT_ADDRESS,
        "HTTP_X_FORWARDED_FOR": FORWARDED_FOR,
        "HTTP_X_REAL_IP": FORWARDED_FOR,
        "HTTP_FORWARDED": f"for={FORWARDED_FOR}",
    }
    person = module_app.test_client()
    person.environ_base.update(environ)
    email = "address@example.org"
    registration = {
        "display_name": "Ada Address",
        "email": email,
        "password": PASSWORD,
        "password_repeat": PASSWORD,
    }
    assert submit(person, "/accounts/register", registration).status_code == 302
    confirm = link_in(inbox.last_to(email))
    assert submit(person, confirm).status_code == 302
    assert submit(person, "/accounts/sign-in", {"email": email, "password": PASSWORD}).status_code == 302
    world = privacy_world.world
    answer = submit(
        person,
        f"/comments/new/{world.open_slug}",
        comment_form(
            target="round", body="Written from a cafe.", attachments=[(io.BytesIO(_pdf()), "notes.pdf")]
        ),
        page=f"/comments/new/{world.open_slug}?target=round",
        content_type="multipart/form-data",
    )
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    answer.request.input_stream.close()
    flagged = submit(person, f"/moderation/flag/{world.values['comment_id']}", {"reason": "personal_data"})
    assert flagged.status_code == 302
    with module_app.test_request_context():
        mine = db.session.scalar(select(Comment).join(User).where(User.email == email))
        moderation.decide(
            db.session.get(User, world.accounts["coordinator"].id),
            mine,
            DecisionKind.remove,
            Reason.off_topic,
        )
        db.session.commit()
        comment_id = mine.id
    appealed = submit(
        person,
        f"/comments/{comment_id}/appeal",
        {"statement": "Please look again."},
        page=f"/comments/{comment_id}",
    )
    assert appealed.status_code == 302
    assert submit(person, "/accounts/sign-out", page="/accounts/settings").status_code == 302
    assert submit(person, "/accounts/reset", {"email": email}).status_code == 302
    with module_app.app_context():
        _token, secret = api_services.issue_token(None, "Address test", False)
        db.session.commit()
    api = module_app.test_client()
    api.environ_base.update(environ)
    assert api.get("/api/v1/rounds", headers={"Authorization": f"Bearer {secret}"}).status_code == 200

    with module_app.app_context():
        holding = []
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(table.select()):
                for column, value in row._mapping.items():
                    if any(address in repr(value) for address in (CLIENT_ADDRESS, FORWARDED_FOR)):
                        holding.append(f"{table.name}.{column}")
    stored = [
        path.name
        for path in Path(module_app.config["UPLOAD_FOLDER"]).iterdir()
        if any(address.encode() in path.read_bytes() for address in (CLIENT_ADDRESS, FORWARDED_FOR))
    ]
    assert holding == [] and stored == []
