"""Taking part: submit with a receipt, exactly once however often the form is sent, never after the close,
and shown only as the author chose."""

import re
import threading
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from consult.accounts.models import User
from consult.comments import services
from consult.comments.models import Comment, CommentState, Publication, TargetType
from consult.errors import DomainError, PermissionDenied
from consult.extensions import db
from consult.organisations import services as organisations
from consult.organisations.models import OrganisationType, confirmed_organisations
from consult.rounds.models import Eligibility, ModerationMode, Round, RoundInvitation, RoundState
from tests.factories import comment_form as form
from tests.factories import make_open_round, person
from tests.files import png_with_gps
from tests.helpers import csrf_token, sign_in, submit


def count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Comment))


@pytest.mark.smtp
def test_submit_gives_a_receipt_page_and_email(app, client, inbox):
    with app.app_context():
        make_open_round(mode=ModerationMode.pre)
    author = person(app)
    sign_in(client, app, author)
    response = submit(
        client, "/comments/new/open-round", form(), page="/comments/new/open-round?target=recommendation:1"
    )
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    number = re.search(r"R-\d{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", page).group(0)
    assert "Awaiting moderation" in page
    message = inbox.last_to(author.email)
    assert number in message["Subject"] and number in message.get_content()
    assert "Detention conditions improved." in message.get_content()
    with app.app_context():
        comment = db.session.scalar(select(Comment))
        assert comment.state is CommentState.submitted and comment.receipt_number == number
        assert len(comment.revisions) == 1


def test_the_same_form_sent_twice_makes_one_comment(app, client):
    with app.app_context():
        make_open_round()
    sign_in(client, app, person(app))
    data = form()
    page = "/comments/new/open-round?target=recommendation:1"
    first = submit(client, "/comments/new/open-round", data, page=page)
    again = submit(client, "/comments/new/open-round", data, page=page)
    assert first.location == again.location and count(app) == 1


def test_fifty_concurrent_double_submissions_leave_one_comment(app):
    with app.app_context():
        make_open_round()
    author = person(app)
    first = app.test_client()
    sign_in(first, app, author)
    token = csrf_token(first, "/comments/new/open-round")
    session_cookie = first.get_cookie("session", domain="consult.test").value
    clients = [first]
    for _ in range(4):  # the same browser session in five clients: one double-clicking person, many retries
        browser = app.test_client()
        browser.set_cookie("session", session_cookie, domain="consult.test")
        clients.append(browser)
    data = {**form(), "csrf_token": token}
    answers, barrier = [], threading.Barrier(50)

    def send(browser):
        barrier.wait()
        answers.append(browser.post("/comments/new/open-round", data=data).status_code)

    threads = [threading.Thread(target=send, args=(clients[n % 5],)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers.count(302) == 50, answers
    assert count(app) == 1


@pytest.mark.parametrize(("offset", "accepted"), [(-1, True), (0, False), (1, False)])
def test_the_deadline_to_the_second_under_the_request_time_check(ctx, offset, accepted):
    round_ = make_open_round()
    author = db.session.get(User, person(ctx).id)
    draft = services.Draft(TargetType.round, None, "Text", "en", Publication.named)
    at = round_.closes_at + timedelta(seconds=offset)
    if accepted:
        assert services.submit(author, round_, uuid.uuid4().hex, draft, now=at)[1]
    else:
        with pytest.raises(DomainError, match="closed"):
            services.submit(author, round_, uuid.uuid4().hex, draft, now=at)


def test_the_deadline_after_the_scheduler_closed_the_round(app, client):
    with app.app_context():
        round_ = make_open_round(closes_in=timedelta(seconds=-1))
        round_id = round_.id
    app.test_cli_runner().invoke(args=["consult", "tick"])
    with app.app_context():
        assert db.session.get(Round, round_id).state is RoundState.closed
    sign_in(client, app, person(app))
    token = csrf_token(client, "/")
    response = client.post("/comments/new/open-round", data={**form(), "csrf_token": token})
    assert "The round is closed" in response.get_data(as_text=True) and count(app) == 0


def test_anonymous_and_confidential_comments_never_show_who_wrote_them(app, client):
    with app.app_context():
        make_open_round()
    named = person(app, "Nadia Named", organisation="Named Rights Network")
    hidden = person(app, "Zoran Hidden", organisation="Hidden Defenders League")
    secret = person(app, "Sofia Secret")
    for account, choice, extra in (
        (named, "named", {}),
        (hidden, "anonymous", {}),
        (secret, "named", {"at_risk": "y"}),
    ):
        browser = app.test_client()
        sign_in(browser, app, account)
        with app.app_context():
            organisation_id = (confirmed_organisations(db.session.get(User, account.id)) or [None])[0]
        submit(
            browser,
            "/comments/new/open-round",
            form(
                body=f"Text by {choice}",
                organisation=str(organisation_id.id if organisation_id else 0),
                publication=choice,
                **extra,
            ),
            page="/comments/new/open-round?target=round",
        )
    surfaces = [
        client.get("/rounds/open-round").get_data(as_text=True),
        client.get("/rounds/open-round/feed.atom").get_data(as_text=True),
    ]
    for surface in surfaces:
        assert "Nadia Named" in surface and "Named Rights Network" in surface
        assert "Text by anonymous" in surface and "Anonymous contributor" in surface
        for leak in ("Zoran Hidden", "Hidden Defenders League", hidden.email, "Sofia Secret", secret.email):
            assert leak not in surface
    listed = re.findall(r'id="comment-([A-Za-z0-9_-]{22})"', surfaces[0])
    assert len(listed) == 2, listed  # the at-risk one is confidential
    with app.app_context():
        at_risk = db.session.scalar(select(Comment).where(Comment.at_risk))
        assert at_risk.publication is Publication.confidential


def test_a_stale_form_and_an_expired_session_keep_the_text(app, client):
    with app.app_context():
        make_open_round()
    sign_in(client, app, person(app))
    stale = client.post(
        "/comments/new/open-round", data={**form(body="My long careful text"), "csrf_token": "old"}
    )
    assert stale.status_code == 400 and "My long careful text" in stale.get_data(as_text=True)
    signed_out = app.test_client()
    token = csrf_token(signed_out, "/accounts/sign-in")
    expired = signed_out.post(
        "/comments/new/open-round", data={**form(body="Written before my session ended"), "csrf_token": token}
    )
    page = expired.get_data(as_text=True)
    assert expired.status_code == 401 and "Written before my session ended" in page and "signed out" in page
    assert count(app) == 0


def test_only_invited_organisations_take_part_in_an_invited_round(app):
    with app.app_context():
        round_ = make_open_round(eligibility=Eligibility.invited)
        invited = organisations.create_organisation(None, "Invited NGO", OrganisationType.ngo, verified=True)
        db.session.flush()
        db.session.add(RoundInvitation(round_id=round_.id, organisation_id=invited.id))
        db.session.commit()
    outsider, insider = person(app, organisation="Other NGO"), person(app, organisation="Invited NGO")
    for account, expected in ((outsider, 403), (insider, 200)):
        browser = app.test_client()
        sign_in(browser, app, account)
        assert browser.get("/comments/new/open-round?target=round").status_code == expected


def test_drafts_edits_and_withdrawal_while_open_and_nothing_after(ctx):
    round_ = make_open_round(mode=ModerationMode.post)
    author = db.session.get(User, person(ctx).id)
    other = db.session.get(User, person(ctx, "Someone Else").id)
    key = uuid.uuid4().hex
    draft = services.Draft(TargetType.recommendation, 1, "First thoughts", "en", Publication.anonymous)
    saved = services.save_draft(author, round_, key, draft)
    assert saved.state is CommentState.draft and saved.receipt_number is None
    comment, _ = services.submit(author, round_, key, draft)
    assert comment.id == saved.id and comment.state is CommentState.published
    services.edit(
        author,
        comment,
        services.Draft(TargetType.recommendation, 1, "Second thoughts", "en", Publication.anonymous),
    )
    assert [r.body for r in comment.revisions] == ["First thoughts", "Second thoughts"]
    with pytest.raises(PermissionDenied):
        services.withdraw(other, comment)
    late = round_.closes_at + timedelta(seconds=1)
    with pytest.raises(DomainError):
        services.edit(author, comment, draft, now=late)
    with pytest.raises(DomainError):
        services.withdraw(author, comment, now=late)
    services.withdraw(author, comment)
    assert comment.state is CommentState.withdrawn


def test_a_target_outside_the_scope_is_refused(ctx):
    round_ = make_open_round()
    author = db.session.get(User, person(ctx).id)
    with pytest.raises(DomainError, match="not open for comment"):
        services.submit(
            author,
            round_,
            uuid.uuid4().hex,
            services.Draft(TargetType.recommendation, 999, "Text", "en", Publication.named),
        )


def test_attachments_are_cleaned_stored_apart_and_served_only_to_those_who_may_see_them(
    app, client, tmp_path
):
    import io

    from PIL import Image

    with app.app_context():
        make_open_round(mode=ModerationMode.post)
    sign_in(client, app, person(app))
    page = "/comments/new/open-round?target=round"
    refused = submit(
        client,
        "/comments/new/open-round",
        form(body="Keep me", attachments=[(io.BytesIO(b"MZ\x90\x00" + b"\x00" * 64), "report.pdf")]),
        page=page,
        content_type="multipart/form-data",
    )
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Keep me" in text and "report.pdf" in text
    folder = Path(app.config["UPLOAD_FOLDER"])
    assert count(app) == 0 and (not folder.exists() or not any(folder.iterdir()))

    published = submit(
        client,
        "/comments/new/open-round",
        form(body="With a photo", attachments=[(io.BytesIO(png_with_gps()), "../../etc/photo.jpg")]),
        page=page,
        content_type="multipart/form-data",
    )
    assert published.status_code == 302
    with app.app_context():
        attachment = db.session.scalar(select(Comment)).attachments[0]
        attachment_id, stored = (
            attachment.public_id,
            Path(app.config["UPLOAD_FOLDER"]) / attachment.storage_name,
        )
        assert attachment.filename == "photo.jpg" and stored.exists()
    download = app.test_client().get(f"/comments/attachments/{attachment_id}")
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    cleaned = Image.open(io.BytesIO(download.get_data()))
    download.close()
    assert 0x013B not in cleaned.getexif() and 0x8825 not in cleaned.getexif()
    with app.app_context():
        db.session.scalar(select(Comment)).publication = Publication.confidential
        db.session.commit()
    with app.test_client().get(f"/comments/attachments/{attachment_id}") as response:
        assert response.status_code == 302  # sign in first
    stranger = app.test_client()
    sign_in(stranger, app, person(app, "A Stranger"))
    with stranger.get(f"/comments/attachments/{attachment_id}") as response:
        assert response.status_code == 403
