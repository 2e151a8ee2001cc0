"""Every form of the product, as the security suites send it: which fields are free text, the values each
needs to be accepted, and how to send it; and the text that must never be stored as such."""

import dataclasses
import inspect
from dataclasses import dataclass

from flask import Flask
from sqlalchemy import func, select
from wtforms import StringField
from wtforms.fields.core import UnboundField

from consult.extensions import db
from tests.helpers import PASSWORD, csrf_token
from tests.security.world import (
    LANGUAGES,
    AttackWorld,
)

#: Every character no text may hold, in code point order.
NOT_TEXT = (
    [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))]  # C0 but tab, LF, CR
    + [chr(c) for c in range(0x7F, 0xA0)]  # DEL and C1
    + [chr(c) for c in range(0xFDD0, 0xFDF0)]  # the non-characters of Arabic Presentation Forms-A
    + [chr(plane << 16 | last) for plane in range(17) for last in (0xFFFE, 0xFFFF)]  # each plane's last two
)


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
    "RoundTextsForm": Post(
        "coordinator",
        "/rounds/{open_slug}/edit",
        {"title_en": "Consultation on the next report"},
        shows=("anonymous", "/rounds/{open_slug}"),
    ),
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
    "EditorForm": Post(
        "coordinator",
        "/summaries/{summary_id}/edit",
        {"title": "What we heard", "introduction": "Intro.", "change_note": "Corrected."},
        extra={"action": "save"},
    ),
    "PointForm": Post(
        "coordinator",
        "/summaries/{summary_id}/edit",
        {"heading": "Point", "body": "Heard."},
        "section-{section_id}",
        extra={"action": "save"},
        shows=("coordinator", "/summaries/{summary_id}/edit"),
    ),
    "NewPointForm": Post(
        "coordinator",
        "/summaries/{summary_id}/edit",
        {"target": "round:", "heading": "Point", "body": "Heard."},
        "new",
        extra={"action": "add"},
        shows=("coordinator", "/summaries/{summary_id}/edit"),
    ),
    "ReadingForm": Post("coordinator", "/summaries/{summary_id}/reading", {"q": "heard"}, method="GET"),
    "ResponseForm": Post(
        "coordinator",
        "/rounds/{closed_slug}/responses",
        {"outcome": "partly", "explanation": "Done.", "responsible_entity": "Ministry"},
        "recommendation-{recommendation_id}",
    ),
    "SummariserForm": Post("coordinator", "/rounds/{open_slug}/summarisers", {"email": "no@example.org"}),
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
    data.setdefault("csrf_token", token)  # a page's one form whose parts have prefixes (the summary editor)
    return client.post(path, data=data), client
