"""Campaign detection: the same letter found whether identical or personalised; unrelated texts left alone."""

from consult.moderation.campaigns import content_hash, find_campaigns, normalise

LETTER = (
    "We ask the government to ratify the Optional Protocol to the Convention against Torture and to set up "
    "an independent national preventive mechanism with its own budget before the end of the year."
)


def test_identical_letters_match_whatever_case_and_punctuation():
    assert normalise("We ASK, the  government!") == "we ask the government"
    assert content_hash(LETTER) == content_hash(LETTER.upper().replace(",", ""))


def test_personalised_letters_are_one_campaign_and_other_texts_stay_apart():
    comments = [
        (1, LETTER),
        (2, LETTER.upper()),
        (3, "Dear coordinator, " + LETTER + " My brother was detained for six months without a lawyer."),
        (4, LETTER.replace("before the end of the year", "this year")),
        (5, "The schools in the north lack teachers and the plan's education action has not started."),
        (6, "Water supply in the camps is a matter of life; the responsible ministry does not answer."),
    ]
    assert find_campaigns(comments) == [[1, 2, 3, 4]]


def test_nothing_to_find_in_distinct_texts():
    assert find_campaigns([(1, "One text about prisons."), (2, "Another about schools and teachers.")]) == []


def test_a_campaign_is_one_voice_with_its_supporters_on_the_round_page(app, client):
    from sqlalchemy import select

    from consult.accounts.models import StaffRoleName, User
    from consult.comments.models import Comment
    from consult.extensions import db
    from consult.moderation import services as moderation
    from consult.moderation.models import DecisionKind
    from consult.rounds.models import ModerationMode
    from tests.factories import open_round, submitted
    from tests.helpers import make_user, sign_in, submit

    people = [make_user(app) for _ in range(4)]
    moderator = make_user(app, (StaffRoleName.moderator,))
    with app.app_context():
        round_ = open_round(ModerationMode.pre)
        for n, person in enumerate(people[:3]):
            submitted(
                round_, db.session.get(User, person.id), LETTER + (" Signed in my village." if n else "")
            )
        submitted(
            round_, db.session.get(User, people[3].id), "Water supply in the camps is a matter of life."
        )
        db.session.commit()
        round_id, slug = round_.id, round_.slug
    staff = app.test_client()
    sign_in(staff, app, moderator)
    submit(staff, f"/moderation/campaigns/{round_id}/detect", page=f"/moderation/campaigns/{round_id}")
    page = staff.get(f"/moderation/campaigns/{round_id}").get_data(as_text=True)
    assert "3 supporters" in page and "Signed in my village." in page
    with app.app_context():
        ids = list(db.session.scalars(select(Comment.id)))
        moderation.decide_many(db.session.get(User, moderator.id), ids, DecisionKind.approve)
        db.session.commit()
    public = client.get(f"/rounds/{slug}").get_data(as_text=True)
    assert public.count("national preventive mechanism") == 1 and "a campaign of 3 supporters" in public
    assert "Water supply in the camps" in public
