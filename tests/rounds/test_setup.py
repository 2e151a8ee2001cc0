"""A round set-up that checks itself: a new round starts from sensible defaults, a check page lists what is
set and what is missing before it is scheduled (and is the only way to schedule it), its texts, questions
and documents stay editable after it opens with a public change log, summarisers are chosen by name, and
cancelling asks for confirmation."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from consult.accounts.models import StaffRoleName, User
from consult.comments.models import Comment, TargetType
from consult.errors import DomainError
from consult.extensions import db
from consult.organisations.models import MembershipState, OrganisationType
from consult.plan import services as plan
from consult.rounds import editing, services, setup
from consult.rounds.models import (
    Eligibility,
    GuidingQuestion,
    Round,
    RoundChange,
    RoundDocument,
    RoundState,
    Stage,
)
from tests.factories import (
    CommentFactory,
    MembershipFactory,
    OrganisationFactory,
    RecommendationFactory,
    RoundFactory,
    now,
)
from tests.helpers import make_user, sign_in, submit

LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")


def coordinator(app):
    client = app.test_client()
    sign_in(client, app, make_user(app, (StaffRoleName.coordinator,)))
    return client


def page(response) -> str:
    return response.get_data(as_text=True)


def new_round_form(**values) -> dict:
    start = datetime.now(UTC) + timedelta(days=3)
    return {
        "title_en": "Mid-term consultation",
        "slug": "",
        "stage": "mid_term",
        "cycle": "4",
        "plan_version": "0",
        "eligibility": "public",
        "moderation_mode": "pre",
        "summariser_organisation": "0",
        "timezone": "Europe/Ljubljana",
        "opens_at": start.strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (start + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M"),
        **values,
    }


# Defaults


def test_a_new_round_starts_from_the_current_cycle_the_latest_plan_and_the_deployments_time_zone(app):
    app.config["BABEL_DEFAULT_TIMEZONE"] = "America/Santiago"
    with app.app_context():
        RecommendationFactory(cycle=4)
        RoundFactory(cycle=3)
        plan.freeze_version(None, "First")
        latest = plan.freeze_version(None, "Second")
        db.session.commit()
        latest_id = latest.id
    html = page(coordinator(app).get("/rounds/new"))
    assert re.search(r'<option selected value="4">4</option>|<option value="4" selected>', html)
    assert re.search(r'<option selected value="pre_review">|<option value="pre_review" selected>', html)
    assert re.search(rf'<option (selected )?value="{latest_id}"( selected)?>2 · Second</option>', html)
    assert '<option selected value="America/Santiago">' in html or 'value="America/Santiago" selected' in html
    opens = re.search(r'name="opens_at"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="opens_at"', html)
    assert opens and opens.group(opens.lastindex).endswith("T09:00")


def test_a_new_round_defaults_to_the_stage_after_the_latest_round_of_the_cycle(ctx):
    assert setup.next_stage_and_cycle() == (Stage.pre_review, 1)
    RoundFactory(cycle=4, stage=Stage.pre_review, opens_at=now() - timedelta(days=400))
    assert setup.next_stage_and_cycle() == (Stage.mid_term, 4)
    RoundFactory(
        cycle=4, stage=Stage.mid_term, opens_at=now() - timedelta(days=100), state=RoundState.cancelled
    )
    assert setup.next_stage_and_cycle() == (Stage.mid_term, 4)  # a cancelled round does not count
    RoundFactory(cycle=4, stage=Stage.pre_report, opens_at=now() - timedelta(days=10))
    assert setup.next_stage_and_cycle() == (Stage.pre_review, 5)


def test_an_empty_address_is_made_from_the_title_in_latin_letters_or_at_random(app):
    client = coordinator(app)
    for title in ("Mid-term consultation 2027", "Mid-term consultation 2027"):
        assert submit(client, "/rounds/new", new_round_form(title_en=title)).status_code == 302
    chinese = new_round_form(title_en="", title_zh="中期协商")
    assert submit(client, "/rounds/new", chinese).status_code == 302
    with app.app_context():
        slugs = list(db.session.scalars(select(Round.slug).order_by(Round.id)))
        assert slugs[:2] == ["mid-term-consultation-2027", "mid-term-consultation-2027-2"]
        assert re.fullmatch(r"round-[0-9a-f]{6}", slugs[2])
        assert setup.suggest_slug({"ru": "Среднесрочная консультация"}) == "srednesrochnaia-konsultatsiia"
        assert (
            setup.suggest_slug({"fr": "Consultation à mi-parcours", "ar": "مشاورة"})
            == "consultation-a-mi-parcours"
        )
        assert re.fullmatch(r"round-[0-9a-f]{6}", setup.suggest_slug({"ar": "مشاورة منتصف المدة"}))


def test_everything_typed_comes_back_when_the_set_up_is_refused(app):
    client = coordinator(app)
    data = new_round_form(
        title_zh="中期协商", description_fr="Dites-nous ce qui a changé.", slug="Not A Slug", cycle="5"
    )
    response = submit(client, "/rounds/new", data)
    assert response.status_code == 422
    html = page(response)
    assert "中期协商" in html and "Dites-nous ce qui a changé." in html and 'value="Not A Slug"' in html
    assert data["opens_at"] in html and data["closes_at"] in html


# The check page


def draft_round(app, **values) -> str:
    client = coordinator(app)
    submit(client, "/rounds/new", new_round_form(slug="cycle4-mid-term", **values))
    return client


def fingerprint_on(html: str) -> str:
    return re.search(r'name="checked"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="checked"', html).group(1)


def test_the_check_page_lists_whats_missing_and_essentials_block_scheduling(app):
    client = draft_round(app)
    check = client.get("/rounds/cycle4-mid-term/check")
    html = page(check)
    assert check.status_code == 200
    assert "Not yet translated into French, Spanish, Russian, Arabic, and Chinese." in html
    assert "No introduction: participants read only the title." in html
    assert "No guiding question: participants are asked nothing." in html
    assert "Nobody summarises the input: choose an organisation or name a person." in html
    assert "1 essential is missing" in html
    token = fingerprint_on(html)
    refused = submit(
        client, "/rounds/cycle4-mid-term/check", {"checked": token}, page="/rounds/cycle4-mid-term/check"
    )
    assert refused.status_code == 422 and "Something essential is missing" in page(refused)
    with app.app_context():
        assert db.session.scalar(select(Round.state)) is RoundState.draft
        nhri = OrganisationFactory(name="Ombudsman", type=OrganisationType.nhri)
        db.session.scalar(select(Round)).summariser_organisation_id = nhri.id
        db.session.commit()
    # The page showed the round without its summariser: what it sends back no longer matches.
    stale = submit(
        client, "/rounds/cycle4-mid-term/check", {"checked": token}, page="/rounds/cycle4-mid-term/check"
    )
    assert stale.status_code == 422 and "The round was changed since this page was shown" in page(stale)
    html = page(client.get("/rounds/cycle4-mid-term/check"))
    assert "Nobody summarises" not in html and "No person is named yet to write the summary." in html
    scheduled = submit(
        client,
        "/rounds/cycle4-mid-term/check",
        {"checked": fingerprint_on(html)},
        page="/rounds/cycle4-mid-term/check",
    )
    assert scheduled.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Round.state)) is RoundState.scheduled


def test_a_round_is_scheduled_from_its_check_page_only(app):
    client = draft_round(app)
    manage = page(client.get("/rounds/cycle4-mid-term/manage"))
    assert (
        'href="/rounds/cycle4-mid-term/check"' in manage and "/rounds/cycle4-mid-term/schedule" not in manage
    )
    assert (
        submit(client, "/rounds/cycle4-mid-term/schedule", page="/rounds/cycle4-mid-term/manage").status_code
        == 404
    )
    assert (
        submit(client, "/rounds/cycle4-mid-term/check", {}, page="/rounds/cycle4-mid-term/check").status_code
        == 422
    )


def test_the_check_names_every_missing_translation_and_blocks_an_invitation_round_without_guests(ctx):
    round_ = RoundFactory(
        state=RoundState.draft,
        title={"en": "Mid-term", "fr": "Mi-parcours"},
        description={"en": "Tell us."},
        eligibility=Eligibility.invited,
        opens_at=now() + timedelta(days=1),
        closes_at=now() + timedelta(days=20),
    )
    services.add_question(None, round_, {"en": "What changed?", "zh": "有何变化?"})
    with ctx.test_request_context():
        problems = setup.check_round(round_, LANGUAGES)
    by_part = {(p.part, p.blocks): p.message for p in problems}
    assert by_part[("title", False)] == "Not yet translated into Spanish, Russian, Arabic, and Chinese."
    assert by_part[("introduction", False)].endswith("French, Spanish, Russian, Arabic, and Chinese.")
    assert "Question 1 is not yet translated into French, Spanish, Russian, and Arabic." in {
        p.message for p in problems
    }
    assert ("eligibility", True) in by_part and ("summarisers", True) in by_part
    assert ("documents", False) in by_part and ("scope", False) in by_part


# Editable after opening, with a public change log


def test_a_french_title_corrected_after_opening_is_in_the_public_change_log(app):
    with app.app_context():
        RoundFactory(slug="open", title={"en": "Mid-term", "fr": "Mi-parcour"})
        draft = RoundFactory(slug="draft", state=RoundState.draft, opens_at=now() + timedelta(days=2))
        editing.correct_texts(None, draft, {"en": "Draft corrected"}, None)  # before opening: not news
        db.session.commit()
    client = coordinator(app)
    form = page(client.get("/rounds/open/edit"))
    assert 'name="slug"' not in form and 'value="Mi-parcour"' in form  # only the texts once open
    response = submit(
        client, "/rounds/open/edit", {"title_en": "Mid-term", "title_fr": "Mi-parcours", "title_zh": "中期"}
    )
    assert response.status_code == 302
    visitor = app.test_client()
    log = page(visitor.get("/rounds/open/changes"))
    assert "Title corrected: French" in log and "Title added: Chinese" in log
    assert re.search(r"\d{1,2}:\d{2}", log) is None  # the day only
    assert "Mi-parcours" in page(visitor.get("/rounds/open", headers={"Accept-Language": "fr"}))
    with app.app_context():
        assert db.session.scalar(select(Round).where(Round.slug == "draft")).title == {
            "en": "Draft corrected"
        }
        assert {c.round_id for c in db.session.scalars(select(RoundChange))} == {
            db.session.scalar(select(Round.id).where(Round.slug == "open"))
        }


def test_questions_are_corrected_and_reordered_with_buttons_after_opening(app):
    with app.app_context():
        round_ = RoundFactory(slug="open")
        for text in ("One?", "Two?", "Three?"):
            services.add_question(None, round_, {"en": text})
        db.session.flush()
        ids = [question.id for question in round_.questions]
        db.session.query(RoundChange).delete()  # added before this test's moves
        db.session.commit()
    client = coordinator(app)
    manage = "/rounds/open/manage"
    move = lambda question, direction: submit(  # noqa: E731
        client, "/rounds/open/questions/move", {"question": question, "direction": direction}, page=manage
    )
    assert move(ids[2], "up").status_code == 302
    move(ids[0], "up")  # the first cannot go higher
    move(ids[0], "down")
    edit = page(client.get(f"/rounds/open/questions/edit?question={ids[1]}"))
    assert "Correct guiding question 3" in edit and 'value="Two?"' not in edit and "Two?</textarea>" in edit
    corrected = submit(
        client,
        "/rounds/open/questions",
        {"question": ids[1], "text_en": "Two, corrected?", "text_fr": "Deux ?"},
        page=manage,
    )
    assert corrected.status_code == 302
    with app.app_context():
        order = db.session.scalars(select(GuidingQuestion.text).order_by(GuidingQuestion.position)).all()
        assert order == [{"en": "Three?"}, {"en": "One?"}, {"en": "Two, corrected?", "fr": "Deux ?"}]
    log = page(app.test_client().get("/rounds/open/changes"))
    assert log.count("Guiding questions put in a new order") == 1  # one reordering a day
    assert "Guiding question 3 corrected: English and French" in log


def test_replacing_a_document_after_opening_keeps_the_paragraphs_comments_point_to(app):
    contributor = make_user(app)
    with app.app_context():
        round_ = RoundFactory(slug="open")
        document = services.add_document(None, round_, {"en": "Draft report"}, "en", ["Intro.", "Torture."])
        db.session.flush()
        author = db.session.get(User, contributor.id)
        comment = CommentFactory(
            round=round_, author=author, target_type=TargetType.paragraph, target_id=document.paragraphs[1].id
        )
        db.session.commit()
        old_id, comment_id = document.id, comment.id
    client = coordinator(app)
    form = page(client.get(f"/rounds/open/documents/{old_id}/replace"))
    assert 'value="Draft report"' in form and "the present text is kept" in form.lower()
    response = submit(
        client,
        f"/rounds/open/documents/{old_id}/replace",
        {
            "title_en": "Draft report, revised",
            "language": "en",
            "text": "Intro.\n\nTorture, revised.\n\nAnnex.",
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    with app.app_context():
        round_ = db.session.scalar(select(Round).where(Round.slug == "open"))
        old = db.session.get(RoundDocument, old_id)
        assert [d.title for d in round_.documents] == [{"en": "Draft report, revised"}]
        assert old.replaced_by_id == round_.documents[0].id and [p.text for p in old.paragraphs] == [
            "Intro.",
            "Torture.",
        ]
        assert db.session.get(Comment, comment_id).paragraph_id == old.paragraphs[1].id
    old_page = page(app.test_client().get(f"/rounds/open/documents/{old_id}"))
    assert "Torture." in old_page
    with app.app_context():
        round_ = db.session.scalar(select(Round).where(Round.slug == "open"))
        old = db.session.get(RoundDocument, old_id)
        with pytest.raises(DomainError, match="not open for comment"):
            CommentFactory(
                round=round_,
                author=db.session.get(User, contributor.id),
                target_type=TargetType.paragraph,
                target_id=old.paragraphs[0].id,
            )
    assert "Document replaced with a new text: Draft report" in page(
        app.test_client().get("/rounds/open/changes")
    )


def test_replacing_a_document_before_opening_leaves_no_earlier_text(ctx):
    round_ = RoundFactory(state=RoundState.draft, opens_at=now() + timedelta(days=2))
    document = services.add_document(None, round_, {"en": "Draft"}, "en", ["One."])
    db.session.flush()
    editing.replace_document(None, round_, document, {"en": "Draft 2"}, "en", ["Two."])
    assert db.session.scalars(select(RoundDocument.title)).all() == [{"en": "Draft 2"}]
    assert db.session.scalars(select(RoundChange)).all() == []
    with pytest.raises(DomainError):
        editing.replace_document(None, round_, document, {"en": "Again"}, "en", ["Three."])


# Summarisers by name


def test_summarisers_are_chosen_by_name_among_the_organisations_members_and_staff(app):
    ana, pending = make_user(app, name="Ana Ruiz"), make_user(app, name="Pending Person")
    with app.app_context():
        nhri = OrganisationFactory(name="Ombudsman", type=OrganisationType.nhri)
        member = db.session.get(User, ana.id)
        waiting = db.session.get(User, pending.id)
        MembershipFactory(user=member, organisation=nhri)
        MembershipFactory(user=waiting, organisation=nhri, state=MembershipState.pending)
        RoundFactory(slug="open", summariser_organisation_id=nhri.id)
        db.session.commit()
        member_id = member.id
    staff = make_user(app, (StaffRoleName.moderator,), name="Rafael Ortiz")
    outsider = make_user(app, name="Someone Else")
    client = coordinator(app)
    manage = page(client.get("/rounds/open/manage"))
    assert f'<option value="{member_id}">Ana Ruiz · Ombudsman</option>' in manage
    assert f'<option value="{staff.id}">Rafael Ortiz · Staff of the mechanism</option>' in manage
    assert "Pending Person" not in manage and "Someone Else" not in manage
    not_eligible = submit(
        client, "/rounds/open/summarisers", {"person": outsider.id}, page="/rounds/open/manage"
    )
    assert not_eligible.status_code == 422
    nothing = submit(
        client, "/rounds/open/summarisers", {"person": "0", "email": ""}, page="/rounds/open/manage"
    )
    assert nothing.status_code == 422 and "Choose a person, or give their e-mail address." in page(nothing)
    named = submit(client, "/rounds/open/summarisers", {"person": member_id}, page="/rounds/open/manage")
    assert named.status_code == 302
    with app.app_context():
        assert [u.display_name for u in db.session.scalar(select(Round)).summarisers] == ["Ana Ruiz"]


# Cancelling


def test_cancelling_a_round_asks_for_confirmation(app):
    with app.app_context():
        RoundFactory(slug="open")
        db.session.commit()
    client = coordinator(app)
    assert 'href="/rounds/open/cancel"' in page(client.get("/rounds/open/manage"))
    confirm = page(client.get("/rounds/open/cancel"))
    assert "Are you sure?" in confirm and 'type="checkbox"' in confirm
    unticked = submit(client, "/rounds/open/cancel", {}, page="/rounds/open/cancel")
    assert unticked.status_code == 422 and "Tick the box" in page(unticked)
    with app.app_context():
        assert db.session.scalar(select(Round.state)) is RoundState.open
    assert (
        submit(client, "/rounds/open/cancel", {"confirm": "y"}, page="/rounds/open/cancel").status_code == 302
    )
    with app.app_context():
        assert db.session.scalar(select(Round.state)) is RoundState.cancelled
