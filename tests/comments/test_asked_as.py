"""A guiding question corrected after comments answered it: each earlier comment shows the wording it
answered, to the day (a comment of the correction's own day says it may have answered either). And times a
person reads of their own comments are in the round's time zone, with its name, wherever they read them."""

from datetime import timedelta

from consult.accounts.models import User
from consult.comments.models import Publication, TargetType
from consult.extensions import db
from consult.rounds import editing, services
from consult.rounds.models import ModerationMode
from tests.factories import CommentFactory, RoundFactory, UserFactory


def test_a_comment_on_a_corrected_question_shows_what_it_answered(app, client):
    with app.app_context():
        round_ = RoundFactory(moderation_mode=ModerationMode.post)
        question = services.add_question(None, round_, {"en": "What barriers remain in schools?"})
        untouched = services.add_question(None, round_, {"en": "What else?"})
        db.session.flush()
        author = db.session.get(User, UserFactory().id)
        on_question = {"target_type": TargetType.question, "publication": Publication.named}
        older = CommentFactory(
            round=round_, author=author, target_id=question.id, body="Ramps.", **on_question
        )
        older.submitted_at -= timedelta(days=2)
        same_day = CommentFactory(
            round=round_, author=author, target_id=question.id, body="Lifts.", **on_question
        )
        other = CommentFactory(
            round=round_, author=author, target_id=untouched.id, body="Other.", **on_question
        )
        editing.correct_question(None, round_, question.id, {"en": "Are all schools accessible?"})
        db.session.commit()
        slug, ids = round_.slug, (older.public_id, same_day.public_id, other.public_id)
    page = client.get(f"/rounds/{slug}").get_data(as_text=True)
    cards = {
        public_id: page.split(f'id="comment-{public_id}"', 1)[1].split("</article>", 1)[0]
        for public_id in ids
    }
    assert "The question then read:" in cards[ids[0]] and "What barriers remain in schools?" in cards[ids[0]]
    assert "Are all schools accessible?" in cards[ids[0]]  # what it is on today, as every card says
    assert "corrected the day this comment was sent" in cards[ids[1]]
    assert "What barriers remain in schools?" in cards[ids[1]]
    assert "then read" not in cards[ids[2]] and "corrected the day" not in cards[ids[2]]


def test_my_submissions_give_times_in_the_round_s_time_zone_as_the_receipt_does(app, client):
    from tests.helpers import make_user, sign_in

    account = make_user(app)
    with app.app_context():
        round_ = RoundFactory(timezone="America/Santiago")
        CommentFactory(round=round_, author=db.session.get(User, account.id), body="Mine.")
        db.session.commit()
    sign_in(client, app, account)
    page = client.get("/comments/mine").get_data(as_text=True)
    assert "Santiago" in page
