"""A world to attack: the accessibility tests' full world, one of each remaining kind of row, and then every
free-text value in the database poisoned with script and spreadsheet-formula payloads.

Poisoning is derived from the schema, not from a list of fields: every String, Text and JSON column of every
table is poisoned unless `NOT_FREE_TEXT` says why the app makes or checks its values itself. A column added
later is therefore attacked without anyone remembering to list it, and `poison_every_text` fails if a table
that holds free text has no row in the world to carry the payload.
"""

import dataclasses
import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import JSON, Enum, String, Text, select, update
from werkzeug.datastructures import ImmutableMultiDict

from consult.accounts.models import PendingNotice, User
from consult.comments import pending as pending_files
from consult.comments import services as comments
from consult.comments.models import Comment, Publication, TargetType
from consult.extensions import db
from consult.moderation import services as moderation
from consult.moderation.models import DecisionKind, Reason
from consult.plan import services as plan
from consult.plan.models import Indicator, Recommendation, RecommendingState, TagVocabulary
from consult.rounds.models import Round
from consult.summaries import services as summaries
from consult.summaries.models import Summary
from consult.uploads import attachments
from tests.accessibility.world import OPEN_SLUG, World, _png, _urls, build_world
from tests.conftest import serving
from tests.factories import CommentFactory, ModerationDecisionFactory, made_final
from tests.helpers import sign_in

#: Columns whose values the app makes or checks itself: never free text that a person types.
NOT_FREE_TEXT = {
    "users": {"email", "password_hash", "totp_secret", "locale", "timezone"},  # checked or made by the app
    "api_tokens": {"token_hash", "prefix"},  # a secret's digest, and its first characters
    "recovery_codes": {"code_hash"},
    "user_sessions": {"token_hash"},  # a random token's digest, made at sign-in
    "audit_events": {"action", "subject_type", "subject_id"},  # the app's own codes and ids
    "recommendations": {"import_digest"},  # the digest of an imported file
    "rounds": {"slug", "timezone"},  # a checked pattern; a zone name from a list
    "comments": {"public_id", "receipt_number", "idempotency_key", "content_hash"},
    "attachments": {"public_id", "storage_name", "sha256", "content_type"},  # made when the file is stored
    "pending_uploads": {"public_id", "storage_name", "sha256", "content_type", "idempotency_key"},
}
#: In every table: a language code chosen from the form's list of the six languages.
CODES = {"language"}
#: JSON made from other rows (a frozen plan, a published summary): made again from the poisoned rows.
DERIVED = {("plan_versions", "snapshot"), ("summary_versions", "content")}
#: Columns a page may turn into a link: they get a javascript: address instead.
LINKS = {("organisations", "website")}

#: Markup, and a link as Markdown would write it: no page may turn either into something that runs.
XSS_LONG = (
    "\"'><svg onload=alert(1)><img src=x onerror=alert(1)><script>alert(1)</script>[a](javascript:alert(1))"
)
XSS_MEDIUM = "\"'><svg onload=alert(1)>"
XSS_SHORT = "<svg/onload=x>"
JAVASCRIPT_LINK = "javascript:alert(1)"
#: A spreadsheet runs a cell that starts with one of these as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh")

#: Markup a payload becomes if a page lets it through unescaped.
LIVE = re.compile(
    r"<svg[\s/][^>]*onload|<img[\s/][^>]*onerror|<script>alert"
    r"|(?:href|src|action|formaction)\s*=\s*[\"']?\s*javascript:",
    re.IGNORECASE,
)


def live_payloads(text: str) -> list[str]:
    """The payloads that text carries as live markup, with a little context each."""
    return [text[max(m.start() - 60, 0) : m.end() + 20] for m in LIVE.finditer(text)]


def poisoned(text: str, length: int | None, number: int, unique: bool = False) -> str:
    """text with a formula start before it and the longest script payload that fits after it; a unique
    column gets the row's number too, so that two values never become the same."""
    lead = FORMULA_STARTS[number % len(FORMULA_STARTS)]
    suffix = f" #{number}" if unique else ""
    for payload in (XSS_LONG, XSS_MEDIUM, XSS_SHORT):
        room = None if length is None else length - len(lead) - len(payload) - len(suffix)
        if room is None or room >= 0:
            return lead + text[:room] + payload + suffix
    raise AssertionError(f"a column of {length} characters cannot carry a payload")


def _poison_json(value, number: int):
    """Every text of a JSON value poisoned: translations by language, or a record's strings."""
    if isinstance(value, str):
        return poisoned(value, None, number)
    if isinstance(value, list):
        return [_poison_json(item, number) for item in value]
    if isinstance(value, dict):
        return {key: _poison_json(item, number) for key, item in value.items()}
    return value


def free_text_columns(table) -> list:
    """The columns of a table that hold text a person may have typed."""
    found = []
    for column in table.columns:
        kind = column.type
        if isinstance(kind, Enum) or not isinstance(kind, String | Text | JSON):
            continue
        if column.name in CODES or column.name in NOT_FREE_TEXT.get(table.name, ()):
            continue
        if (table.name, column.name) in DERIVED:
            continue
        found.append(column)
    return found


def _unique_columns(table) -> set[str]:
    names = {c.name for c in table.columns if c.unique}
    for constraint in table.constraints:
        if constraint.__class__.__name__ in ("UniqueConstraint", "PrimaryKeyConstraint"):
            names |= {c.name for c in constraint.columns}
    for index in table.indexes:
        if index.unique:
            names |= {c.name for c in index.columns}
    return names


def poison_every_text() -> dict[str, int]:
    """Poison every free-text value of every row, NULLs included; returns how many rows each table had."""
    numbers = itertools.count(1)
    rows_per_table = {}
    for table in db.metadata.sorted_tables:
        columns = free_text_columns(table)
        if not columns:
            continue
        unique = _unique_columns(table)
        keys = list(table.primary_key.columns)
        rows = db.session.execute(select(*keys, *columns)).all()
        rows_per_table[table.name] = len(rows)
        for row in rows:
            values = {}
            for column in columns:
                current, number = getattr(row, column.name), next(numbers)
                if (table.name, column.name) in LINKS:
                    values[column.name] = JAVASCRIPT_LINK
                elif isinstance(column.type, JSON):
                    values[column.name] = _poison_json(current or {"en": "Text"}, number)
                else:
                    length = getattr(column.type, "length", None)
                    values[column.name] = poisoned(current or "", length, number, column.name in unique)
            condition = [key == getattr(row, key.name) for key in keys]
            db.session.execute(update(table).where(*condition).values(**values))
    empty = sorted(name for name, count in rows_per_table.items() if count == 0)
    assert not empty, f"the world has no row to poison in {empty}: add one to tests/security/world.py"
    return rows_per_table


@dataclass(frozen=True)
class AttackWorld:
    """The accessibility world, and the input that the public must never see."""

    world: World
    #: Text of comments the public must never see: removed, rejected, sent back, waiting, withdrawn, a draft,
    #: confidential.
    hidden_texts: tuple[str, ...]
    #: A comment removed after publication and its appeal; one rejected and not appealed; one waiting for a
    #: moderator; and a published one that a reader flagged and a moderator redacted. Comments by their
    #: public ids, as URLs name them.
    removed_id: str
    appeal_id: int
    rejected_id: str
    pending_id: str
    published_id: str


def _input_in_every_state(app: Flask, world: World) -> dict:
    """In the open round (post-moderated): a comment removed and appealed, one rejected, one sent back, one
    changed and waiting, one withdrawn, a draft, and a published one flagged, redacted and with a file."""
    accounts = world.accounts
    with app.test_request_context():
        author = db.session.get(User, accounts["contributor"].id)
        moderator = db.session.get(User, accounts["moderator"].id)
        reader = db.session.get(User, accounts["summariser"].id)
        round_ = db.session.scalar(select(Round).where(Round.slug == OPEN_SLUG))

        def comment(body: str) -> Comment:
            return CommentFactory(round=round_, author=author, body=body)

        def decision(comment: Comment, kind: DecisionKind, reason: Reason, note: str | None = None) -> None:
            ModerationDecisionFactory(
                moderator=moderator, comment=comment, decision=kind, reason=reason, note=note
            )

        hidden = {
            "removed": "HIDDEN-removed: the governor's phone number is 555 0101.",
            "rejected": "HIDDEN-rejected: a second try with the same number.",
            "sent back": "HIDDEN-sent-back: please remove the name of the guard.",
            "pending": "HIDDEN-pending: changed and waiting for a moderator again.",
            "withdrawn": "HIDDEN-withdrawn: I take this back.",
            "draft": "HIDDEN-draft: not finished yet.",
        }
        removed = comment(hidden["removed"])
        decision(removed, DecisionKind.remove, Reason.personal_data, "Names a person.")
        appeal = moderation.appeal(author, made_final(removed), "The number is the office's public line.")
        rejected = comment(hidden["rejected"])
        decision(rejected, DecisionKind.request_changes, Reason.other, "Remove it.")
        decision(rejected, DecisionKind.reject, Reason.personal_data)
        made_final(rejected)  # its author may contest it
        sent_back = comment(hidden["sent back"])
        decision(sent_back, DecisionKind.request_changes, Reason.other, "Remove the name.")
        pending = comment("This text is changed below.")
        decision(pending, DecisionKind.request_changes, Reason.off_topic)
        edited = comments.Draft(TargetType.round, None, hidden["pending"], "en", Publication.named)
        comments.edit(author, pending, edited)
        comments.withdraw(author, comment(hidden["withdrawn"]))
        CommentFactory(round=round_, author=author, body=hidden["draft"], draft=True)
        published = comment("Call the ombudsman at +1 555 0199 for details.")
        moderation.flag(
            reader,
            published,
            Reason.personal_data,
            "It names a telephone.",
            hide_at=99,
            counting_age=timedelta(0),
        )
        moderation.redact(moderator, published, "+1 555 0199", Reason.personal_data)
        folder = Path(app.config["UPLOAD_FOLDER"])
        comments.attach(author, published, [attachments.store(_png(), "map.png", folder)])
        # A file kept for a comment form that came back unsaved (consult.comments.pending).
        pending_files.keep_pending(author, "f" * 32, [attachments.store(_png(), "waiting.png", folder)], True)
        db.session.commit()
        return {
            "hidden_texts": tuple(hidden.values()),
            "removed_id": removed.public_id,
            "rejected_id": rejected.public_id,
            "pending_id": pending.public_id,
            "appeal_id": appeal.id,
            "published_id": published.public_id,
        }


def _plan_details(app: Flask, world: World) -> None:
    """Tags, recommending States, a reported value with a note, a notice kept for a digest, and a
    summariser's tag on a quoted comment."""
    with app.test_request_context():
        recommendation = db.session.get(Recommendation, world.values["recommendation_id"])
        for vocabulary, code in (
            (TagVocabulary.theme, "Torture"),
            (TagVocabulary.affected_group, "Detainees"),
            (TagVocabulary.sdg, "16.3"),
        ):
            plan.add_tag(None, recommendation, vocabulary, code)
        db.session.add(RecommendingState(recommendation_id=recommendation.id, state="Norway"))
        indicator = db.session.get(Indicator, world.values["indicator_id"])
        plan.report_indicator_value(None, indicator, date(2026, 1, 1), Decimal(3), "sex=female", "Census.")
        person = db.session.get(User, world.accounts["contributor"].id)
        db.session.add(PendingNotice(user_id=person.id, subject="A notice", body="Something happened."))
        summary = db.session.get(Summary, world.values["summary_id"])
        quoted = summary.sections[0].citations[0].comment_id
        summaries.set_tags(None, summary, {quoted: ["A working note"]})  # a summariser's tag
        db.session.commit()


def _derive_again(app: Flask, world: World) -> None:
    """A plan version frozen and a summary version published from the poisoned rows, as the app would."""
    with app.test_request_context():
        coordinator = db.session.get(User, world.accounts["coordinator"].id)
        plan.freeze_version(coordinator, poisoned("Poisoned plan", 120, 0))
        summary = db.session.get(Summary, world.values["summary_id"])
        summaries.publish_summary(coordinator, summary, poisoned("Poisoned correction", None, 1))
        db.session.commit()


def build_attack_world(app: Flask) -> AttackWorld:
    """The full world, input in every state, every free-text value poisoned, and derived records remade."""
    world = build_world(app)
    found = _input_in_every_state(app, world)
    _plan_details(app, world)
    with app.app_context():
        confidential = db.session.scalar(
            select(Comment.body).where(Comment.publication == Publication.confidential)
        )
        poison_every_text()
        db.session.commit()
    _derive_again(app, world)
    hidden = (*found.pop("hidden_texts"), confidential)
    return AttackWorld(world=world, hidden_texts=hidden, **found)


class _WatchedArguments(ImmutableMultiDict):
    """A query string that notes the name of every parameter a view asks it for."""

    asked: set[str] = set()

    def get(self, key, default=None, type=None):
        self.asked.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):
        self.asked.add(key)
        return super().getlist(key, type)

    def __getitem__(self, key):
        self.asked.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.asked.add(key)
        return super().__contains__(key)


@contextmanager
def watching_parameters(app: Flask) -> Iterator[set[str]]:
    """Inside the block, the set it gives holds the names of the query parameters requests asked for (empty
    it between requests): a new parameter a view reads is found, and attacked, without being listed."""

    class Watched(app.request_class):
        parameter_storage_class = _WatchedArguments

    original, app.request_class = app.request_class, Watched
    _WatchedArguments.asked = set()
    try:
        yield _WatchedArguments.asked
    finally:
        app.request_class = original


ROLES = ("anonymous", "contributor", "summariser", "moderator", "coordinator")
#: Files that are downloaded, never shown by the browser as a page: each is fetched by the first role
#: that receives it, and checked for how it is sent.
DOWNLOADS = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "text/csv",
    "image/png",
    "image/jpeg",
)


@contextmanager
def attack_site(database: str, smtp_server, tmp_path_factory) -> Iterator[tuple[Flask, AttackWorld]]:
    """(app, world) on the test database, for a module's tests; every table is emptied afterwards."""
    controller, _inbox = smtp_server
    with serving(database, controller.port, str(tmp_path_factory.mktemp("uploads"))) as (_base, app):
        yield app, build_attack_world(app)


def signed_in_clients(app: Flask, attack: AttackWorld, roles: tuple[str, ...]) -> dict[str, FlaskClient]:
    """A browser for each role, signed in as the world's person of that role (none for "anonymous")."""
    found = {}
    for role in roles:
        found[role] = app.test_client()
        if role != "anonymous":
            sign_in(found[role], app, attack.world.accounts[role])
    return found


def every_get_url(app: Flask, attack: AttackWorld) -> list[tuple[str, str]]:
    """(endpoint, path) of every GET route, with each of the world's comments where a route takes one."""
    world = attack.world
    found = set(_urls(app, world))
    for public_id in (attack.removed_id, attack.pending_id, attack.published_id):
        values = {**world.values, "comment_public_id": public_id}
        found |= set(_urls(app, dataclasses.replace(world, values=values)))
    return sorted(found)


def fetch_every_get_route(app: Flask, attack: AttackWorld, clients: dict[str, FlaskClient]) -> Iterator:
    """(role, endpoint, path, response, parameters it read) for every GET route fetched by each client; a
    downloaded file only by the first client that receives it."""
    with watching_parameters(app) as asked:
        for endpoint, path in every_get_url(app, attack):
            for role, client in clients.items():
                asked.clear()
                with client.get(path) as response:
                    yield role, endpoint, path, response, set(asked)
                    if response.mimetype in DOWNLOADS:
                        break
