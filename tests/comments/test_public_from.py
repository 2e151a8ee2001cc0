"""Anonymous and organisation-only input reaches the public the day after it is published, with the whole
day's: a reader who polls the pages, the feed or the API sees it appear at midnight, never the minute after
its author's named comment (as an outside reviewer did, polling every half second)."""

import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import update

from consult.accounts.models import User
from consult.comments import services as comments
from consult.comments.models import Attachment, Comment, CommentState, Publication, TargetType
from consult.extensions import db
from consult.filetimes import day_of
from consult.rounds.models import ModerationMode
from consult.uploads import attachments
from tests.factories import make_open_round, person
from tests.files import _pdf
from tests.helpers import sign_in

NAMED, UNNAMED, ORGANISATION_ONLY = "Signed by me.", "Nobody may know this is mine.", "Our organisation says."


def _surfaces(client, slug: str) -> str:
    """Everything a signed-out reader can poll about the round's input, as one text."""
    paths = [
        f"/rounds/{slug}",
        f"/rounds/{slug}/feed.atom",
        f"/api/v1/rounds/{slug}/comments",
        f"/rounds/{slug}/comments.csv",
        f"/rounds/{slug}/comments.json",
    ]
    found = []
    for path in paths:
        with client.get(path) as response:
            assert response.status_code == 200, path
            found.append(response.get_data(as_text=True))
    return "\n".join(found)


def _receipt(app, account, ids: dict[str, int]) -> str:
    """The author's receipt of the anonymous comment, as they see it."""
    author = app.test_client()
    sign_in(author, app, account)
    with app.app_context():
        public_id = db.session.get(Comment, ids[UNNAMED]).public_id
    return author.get(f"/comments/{public_id}").get_data(as_text=True)


def test_unnamed_input_appears_in_public_the_next_day_named_input_at_once(app, client):
    app.config["UNNAMED_PUBLIC_NEXT_DAY"] = True  # as deployments have it
    account = person(app, name="Karim Haddad", organisation="Detention Watch")
    with app.test_request_context():
        round_ = make_open_round(mode=ModerationMode.post)
        author = db.session.get(User, account.id)
        sent = {}
        for body, publication in (
            (NAMED, Publication.named),
            (UNNAMED, Publication.anonymous),
            (ORGANISATION_ONLY, Publication.organisation),
        ):
            organisation = (
                author.memberships[0].organisation_id if publication is Publication.organisation else None
            )
            draft = comments.Draft(
                TargetType.round, None, body, "en", publication, organisation_id=organisation
            )
            comment, _ = comments.submit(author, round_, uuid.uuid4().hex, draft)
            sent[body] = comment
        stored = attachments.store(_pdf(), "evidence.pdf", Path(app.config["UPLOAD_FOLDER"]))
        sent[UNNAMED].attachments.append(
            Attachment(
                storage_name=stored.storage_name,
                filename=stored.filename,
                content_type=stored.content_type,
                size_bytes=stored.size_bytes,
                sha256=stored.sha256,
            )
        )
        db.session.commit()
        assert all(c.state is CommentState.published for c in sent.values())
        unnamed_file = sent[UNNAMED].attachments[0].public_id
        slug, ids = round_.slug, {body: c.id for body, c in sent.items()}

    author_sees = _receipt(app, account, ids)
    assert "shown to the public from" in author_sees
    today = _surfaces(client, slug)
    assert NAMED in today and UNNAMED not in today and ORGANISATION_ONLY not in today
    assert client.get(f"/comments/attachments/{unnamed_file}").status_code in (302, 403, 404)

    # The next day: everything published yesterday is public, together.
    with app.app_context():
        db.session.execute(
            update(Comment)
            .where(Comment.id.in_(ids.values()))
            .values(published_at=day_of() - timedelta(hours=1))
        )
        db.session.commit()
    tomorrow = _surfaces(client, slug)
    assert NAMED in tomorrow and UNNAMED in tomorrow and ORGANISATION_ONLY in tomorrow
    with client.get(f"/comments/attachments/{unnamed_file}") as download:
        assert download.status_code == 200
