"""The publication choice holds on every public surface: every public page, feed and export is fetched as a
visitor and searched for the name, e-mail and organisation of anonymous and confidential authors, and for
a passage a moderator redacted."""

import uuid

from flask import url_for

from consult.accounts.models import User
from consult.comments.models import Comment, CommentState, Publication, TargetType
from consult.database import utcnow
from consult.extensions import db
from consult.moderation import services as moderation
from consult.moderation.models import Reason
from consult.rounds.models import Round
from tests.factories import OrganisationFactory, UserFactory
from tests.reports.readable import readable
from tests.routes import EXPECTED, World, _argument_sets, _plan_objects, _routes

SECRETS = (
    "+386 41 555 777",  # redacted by a moderator
    "Hidden Hana",
    "hana@secret.example",
    "Secret Defenders League",
    "Quiet Quentin",
    "quentin@secret.example",
    "Confidential text about a named official",
)


def _comment(
    round_id: int, author: User, publication: Publication, body: str, organisation_id=None, at_risk=False
):
    # Published at once, in a round that only the clock has opened, and for an organisation the author is no
    # member of: what the privacy walk needs, which the services would refuse; written as a row.
    now = utcnow()
    db.session.add(
        Comment(
            round_id=round_id,
            author_id=author.id,
            organisation_id=organisation_id,
            idempotency_key=uuid.uuid4().hex,
            target_type=TargetType.round,
            body=body,
            language="en",
            publication=publication,
            at_risk=at_risk,
            receipt_number=f"R-{uuid.uuid4().hex[:8]}",
            state=CommentState.published,
            submitted_at=now,
            published_at=now,
        )
    )


def _quote_everyone_in_the_published_summary(summary_id: int, round_id: int) -> None:
    """A new version of the published summary quoting every comment of the round: the confidential one
    is forced into the working copy past the service's refusal, to show that no rendering lets it out."""
    from consult.summaries import services as summaries
    from consult.summaries.models import Citation, Summary, SummaryVersion

    summary = db.session.get(Summary, summary_id)
    section = summary.sections[0]
    for comment in db.session.scalars(db.select(Comment).where(Comment.round_id == round_id)):
        section.citations.append(Citation(comment_id=comment.id, quote=comment.body))
    db.session.flush()
    summary.versions.append(
        SummaryVersion(number=len(summary.versions) + 1, content=summaries.render(summary))
    )


def test_no_public_surface_shows_who_wrote_an_anonymous_or_confidential_comment(app):
    with app.app_context():
        plan = _plan_objects()
        round_id = db.session.scalar(db.select(Round.id).where(Round.slug == "public-round"))
        league = OrganisationFactory(name="Secret Defenders League")
        hana = UserFactory(display_name="Hidden Hana", email="hana@secret.example")
        quentin = UserFactory(display_name="Quiet Quentin", email="quentin@secret.example")
        named = UserFactory(display_name="Open Olga", email="olga@open.example")
        _comment(round_id, hana, Publication.anonymous, "An anonymous observation.", league.id)
        _comment(
            round_id,
            quentin,
            Publication.confidential,
            "Confidential text about a named official",
            at_risk=True,
        )
        _comment(
            round_id, named, Publication.named, "A named observation. Call the director on +386 41 555 777."
        )
        db.session.flush()
        redacted = db.session.scalar(db.select(Comment).where(Comment.author_id == named.id))
        moderation.redact(named, redacted, "+386 41 555 777", Reason.personal_data)
        _quote_everyone_in_the_published_summary(plan["summary_id"], round_id)
        db.session.commit()
        world = World(0, 0, 0, 0, "", "", plan)

    visitor = app.test_client()
    fetched = 0
    for rule, method in _routes(app):
        if method != "GET" or EXPECTED.get((rule.endpoint, method), {}).get("anonymous") != 200:
            continue
        for arguments in _argument_sets(rule, world, False):
            with app.test_request_context():
                url = url_for(rule.endpoint, **arguments)
            with visitor.get(url) as response:
                text = readable(response)  # a PDF's text layer, a Word file's or a workbook's text too
            fetched += 1
            for secret in SECRETS:
                assert secret not in text, f"{secret!r} leaks on {url}"
    assert fetched >= 15
    round_page = visitor.get("/rounds/public-round").get_data(as_text=True)
    assert (
        "Open Olga" in round_page and "An anonymous observation." in round_page
    )  # the test sees the comments
    summary_page = visitor.get(f"/summaries/{plan['summary_id']}").get_data(as_text=True)
    assert "An anonymous observation." in summary_page and "Anonymous contributor" in summary_page
    api_comments = visitor.get("/api/v1/rounds/public-round/comments").get_data(as_text=True)
    assert "Open Olga" in api_comments and "An anonymous observation." in api_comments  # the API was swept
