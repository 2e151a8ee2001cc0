"""Summaries: figures from the moderated input, quotations that honour the publication choice, publication
in versions, the mechanism's answers, and what the public reads of them."""

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from consult.accounts.models import User
from consult.audit import AuditEvent
from consult.comments.models import Comment, TargetType
from consult.errors import DomainError
from consult.extensions import db
from consult.moderation import services as moderation
from consult.moderation.models import DecisionKind, Reason
from consult.rounds.models import Round, RoundState
from consult.summaries import services
from consult.summaries.figures import labelled, round_figures
from consult.summaries.models import ResponseOutcome, Summary, SummaryState
from tests.helpers import make_user, sign_in, submit
from tests.summaries.fixtures import closed_round_with_input


def _actions(subject_type: str) -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.subject_type == subject_type).order_by(AuditEvent.id)
        )
    )


def _draft(given, title="What we heard") -> Summary:
    """A draft with a point on the first recommendation, quoting the named and the anonymous comment."""
    coordinator = db.session.get(User, given.coordinator.id)
    round_ = db.session.get(Round, given.round_id)
    summary = services.create_summary(coordinator, round_, title, "en", None)
    db.session.flush()
    section = services.add_section(
        coordinator, summary, TargetType.recommendation, given.recommendation_id, "Inspections", "Slow."
    )
    db.session.flush()
    services.cite(coordinator, section, db.session.get(Comment, given.named_id), None)
    services.cite(coordinator, section, db.session.get(Comment, given.anonymous_id), "Detainees fear")
    db.session.flush()
    return summary


def test_figures_count_a_campaign_once_and_confidential_input_for_staff_only(app):
    given = closed_round_with_input(app, campaign_size=4)
    with app.test_request_context():
        found = round_figures(given.round_id, exact=True)
        # named, anonymous, organisation-only, confidential, and 4 letters: 8 comments, 5 voices.
        assert (found.comments, found.voices, found.participants) == (8, 5, 6)
        assert found.campaigns == [(found.campaigns[0][0], 4)]
        assert found.by_stakeholder == {"ngo": 2, "individual": 3}
        assert found.by_language == {"en": 4, "fr": 1}
        assert found.by_cluster == {given.cluster_id: 4, "": 1}
        assert found.assessments == {given.recommendation_id: {"not_started": 1, "partly": 1}}
        # The public's: no confidential comment, the anonymous one counted apart, no count of people.
        public = round_figures(given.round_id)
        assert (public.comments, public.voices, public.participants) == (7, 4, None)
        assert public.campaigns == found.campaigns
        assert public.by_stakeholder == {"ngo": 2, "individual": 1, "anonymous": 1}
        assert public.by_language == {"en": 3, "fr": 1}
        assert public.by_cluster == {given.cluster_id: 4}
        assert public.assessments == found.assessments
        rows = labelled(found, "fr")
        assert rows["clusters"][0].label == "C1 Prévention de la torture"
        assert rows["stakeholders"][0].share == pytest.approx(0.6)
        assert rows["assessments"][0]["label"] == "A/HRC/40/8 115.1"


def test_a_rejected_comment_leaves_the_figures(app):
    given = closed_round_with_input(app)
    with app.app_context():
        before = round_figures(given.round_id).voices
        moderator = db.session.get(User, given.coordinator.id)
        moderation.decide(
            moderator, db.session.get(Comment, given.named_id), DecisionKind.remove, Reason.abusive
        )
        db.session.commit()
        assert round_figures(given.round_id).voices == before - 1


def test_quotations_honour_the_publication_choice_and_confidential_input_is_never_quoted(app):
    given = closed_round_with_input(app)
    with app.test_request_context():
        summary = _draft(given)
        section = summary.sections[0]
        coordinator = db.session.get(User, given.coordinator.id)
        with pytest.raises(DomainError):
            services.cite(coordinator, section, db.session.get(Comment, given.confidential_id), None)
        assert services.citable(given.round_id, str(given.confidential_id)) is None
        with pytest.raises(DomainError):
            services.cite(
                coordinator, section, db.session.get(Comment, given.organisation_only_id), "not in it"
            )
        services.cite(coordinator, section, db.session.get(Comment, given.organisation_only_id), None)
        quoted = {c["comment_id"]: c for c in services.render(summary)["sections"][0]["citations"]}
        assert (quoted[given.named_id]["author"], quoted[given.named_id]["organisation"]) == (
            "Olga Petrova",
            "Legal Aid Network",
        )
        assert (quoted[given.anonymous_id]["author"], quoted[given.anonymous_id]["organisation"]) == (
            None,
            None,
        )
        assert quoted[given.anonymous_id]["quote"] == "Detainees fear"
        assert quoted[given.organisation_only_id]["author"] is None
        assert quoted[given.organisation_only_id]["organisation"] == "Legal Aid Network"
        assert given.confidential_id not in quoted


def test_publishing_freezes_a_version_and_a_correction_needs_a_note(app):
    given = closed_round_with_input(app)
    with app.test_request_context():
        summary = _draft(given)
        coordinator = db.session.get(User, given.coordinator.id)
        first = services.publish_summary(coordinator, summary, None)
        db.session.commit()
        assert (first.number, summary.state) == (1, SummaryState.published)
        assert db.session.get(Round, given.round_id).state is RoundState.published
        with pytest.raises(DomainError):
            services.publish_summary(coordinator, summary, "Nothing changed")
        services.update_section(
            coordinator, summary.sections[0], "Inspections", "Slow, and unannounced visits are rare."
        )
        with pytest.raises(DomainError):
            services.publish_summary(coordinator, summary, "  ")
        second = services.publish_summary(
            coordinator, summary, "Added what was said about unannounced visits."
        )
        db.session.commit()
        assert second.number == 2
        assert first.content["sections"][0]["body"] == "Slow."
        assert second.content["sections"][0]["body"].startswith("Slow, and unannounced")
        assert _actions("summaries").count("summary.publish") == 1
        assert _actions("summaries").count("summary.correct") == 1
        assert "round.publish" in _actions("rounds")


def test_a_quotation_of_a_comment_removed_later_is_withdrawn_from_every_version(app):
    given = closed_round_with_input(app)
    with app.test_request_context():
        summary = _draft(given)
        coordinator = db.session.get(User, given.coordinator.id)
        version = services.publish_summary(coordinator, summary, None)
        moderation.decide(
            coordinator, db.session.get(Comment, given.anonymous_id), DecisionKind.remove, Reason.abusive
        )
        db.session.commit()
        shown = services.public_content(version)["sections"][0]["citations"]
        assert [c["comment_id"] for c in shown] == [db.session.get(Comment, given.named_id).public_id]


def test_a_summary_waits_for_the_round_to_close(app):
    given = closed_round_with_input(app)
    with app.app_context():
        round_ = db.session.get(Round, given.round_id)
        round_.state = RoundState.open
        round_.closes_at = round_.closes_at.replace(year=round_.closes_at.year + 1)
        with pytest.raises(DomainError):
            services.create_summary(
                db.session.get(User, given.coordinator.id), round_, "Too early", "en", None
            )


def test_the_mechanism_answers_a_point_and_a_recommendation_once_each(app):
    given = closed_round_with_input(app)
    with app.test_request_context():
        summary = _draft(given)
        coordinator = db.session.get(User, given.coordinator.id)
        round_ = db.session.get(Round, given.round_id)
        section = summary.sections[0]
        with pytest.raises(DomainError):  # a draft's points are not answered
            services.respond(coordinator, round_, ResponseOutcome.partly, "Yes", "en", None, section=section)
        services.publish_summary(coordinator, summary, None)
        services.respond(
            coordinator,
            round_,
            ResponseOutcome.partly,
            "Two inspections planned.",
            "en",
            "Ombudsman",
            section=section,
        )
        services.respond(
            coordinator,
            round_,
            ResponseOutcome.taken_into_account,
            "Tous les postes.",
            "fr",
            None,
            section=section,
        )
        from consult.plan.models import Recommendation

        other = db.session.get(Recommendation, given.other_recommendation_id)
        services.respond(
            coordinator,
            round_,
            ResponseOutcome.under_consideration,
            "Budget in 2027.",
            "en",
            "Ministry of Finance",
            recommendation=other,
        )
        db.session.commit()
        responses = services.responses_of(round_.id)
        assert len(responses) == 2
        by_section = next(r for r in responses if r.section_id == section.id)
        assert by_section.outcome is ResponseOutcome.taken_into_account
        assert by_section.explanation == {"en": "Two inspections planned.", "fr": "Tous les postes."}
        assert services.response_row(by_section, "fr")["explanation"] == "Tous les postes."
        assert services.response_row(by_section, "zh")["explanation"] == "Two inspections planned."
        assert _actions("responses").count("response.record") == 3
        with pytest.raises(DomainError):
            services.remove_section(coordinator, section)


def test_the_public_reads_the_latest_version_and_earlier_ones_with_their_notes(app, client):
    given = closed_round_with_input(app)
    with app.test_request_context():
        summary = _draft(given)
        coordinator = db.session.get(User, given.coordinator.id)
        services.publish_summary(coordinator, summary, None)
        services.update_summary(coordinator, summary, "What we heard (corrected)", "Eight weeks of input.")
        services.publish_summary(coordinator, summary, "A wrong figure in the introduction.")
        draft = services.create_summary(
            coordinator, db.session.get(Round, given.round_id), "Unfinished", "en", None
        )
        db.session.commit()
        summary_id, draft_id = summary.id, draft.id
    latest = client.get(f"/summaries/{summary_id}").get_data(as_text=True)
    assert "What we heard (corrected)" in latest and "A wrong figure in the introduction." in latest
    assert "Anonymous contributor" in latest and "Hidden Person" not in latest
    assert "Olga Petrova" in latest
    first = client.get(f"/summaries/{summary_id}/versions/1").get_data(as_text=True)
    assert "This is an earlier version." in first and "Eight weeks of input." not in first
    assert client.get(f"/summaries/{summary_id}/versions/3").status_code == 404
    assert client.get(f"/summaries/{draft_id}").status_code == 404
    outcome = client.get(f"/rounds/{given.slug}/outcome").get_data(as_text=True)
    assert "What we heard (corrected)" in outcome and "Unfinished" not in outcome
    assert "Secret witness account" not in outcome


def test_only_the_rounds_summarisers_with_a_second_factor_may_write(app, client):
    given = closed_round_with_input(app)
    outsider = make_user(app, two_factor=True)
    sign_in(client, app, outsider)
    page = f"/rounds/{given.slug}/summaries"
    assert submit(client, page, {"title": "Mine", "language": "en"}).status_code == 403
    client.post("/accounts/sign-out", data={"csrf_token": ""})
    summariser = app.test_client()
    sign_in(summariser, app, given.summariser)
    created = submit(summariser, page, {"title": "NHRI summary", "language": "zh"})
    assert created.status_code == 302
    with app.app_context():
        summary = db.session.scalar(select(Summary).where(Summary.round_id == given.round_id))
        # The summariser belongs to the summarising NHRI: the summary speaks for it.
        assert summary.organisation_id == db.session.get(Round, given.round_id).summariser_organisation_id
        assert db.session.get(User, given.summariser.id).is_staff


def test_a_summariser_without_a_second_factor_must_enrol_first(app):
    given = closed_round_with_input(app)
    with app.app_context():
        user = db.session.get(User, given.summariser.id)
        user.totp_secret = None
        db.session.commit()
    client = app.test_client()
    response = submit(
        client, "/accounts/sign-in", {"email": given.summariser.email, "password": given.summariser.password}
    )
    assert response.status_code == 302 and "/enrol" in response.location
    refused = submit(
        client,
        f"/rounds/{given.slug}/summaries",
        {"title": "x", "language": "en"},
        page="/accounts/two-factor/enrol",
    )
    assert refused.status_code == 302 and "/accounts/sign-in" in refused.location
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Summary)) == 0


def test_the_editor_lists_only_public_input_to_quote(app, client):
    given = closed_round_with_input(app)
    with app.test_request_context():
        summary = services.create_summary(
            db.session.get(User, given.coordinator.id), db.session.get(Round, given.round_id), "S", "en", None
        )
        db.session.flush()
        services.add_section(
            db.session.get(User, given.coordinator.id), summary, TargetType.round, None, "All", ""
        )
        db.session.commit()
        summary_id = summary.id
    sign_in(client, app, given.summariser)
    page = client.get(f"/summaries/{summary_id}/edit").get_data(as_text=True)
    assert "Secret witness account" not in page
    assert "Participation by stakeholder type" in page and "<table>" in page


def test_charts_are_titled_svg_with_no_script_and_nothing_from_elsewhere(app, client):
    given = closed_round_with_input(app)
    for name in ("stakeholders", "clusters", "languages", "assessments"):
        response = client.get(f"/rounds/{given.slug}/charts/{name}.svg?lang=zh")
        svg = response.get_data(as_text=True)
        assert response.mimetype == "image/svg+xml"
        assert "<title>" in svg and "<script" not in svg
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        assert not [ref for ref in ('href="http', 'src="http', "url(http") if ref in svg]
    with app.test_request_context(), force_locale("zh"):
        title = gettext("Participation by stakeholder type")
    assert title != "Participation by stakeholder type"
    chinese = client.get(f"/rounds/{given.slug}/charts/stakeholders.svg?lang=zh").get_data(as_text=True)
    assert f"<title>{title}</title>" in chinese


def test_a_recommendation_shows_what_the_cycle_heard_and_the_follow_up_lists_it(app, client):
    given = closed_round_with_input(app)
    with app.test_request_context():
        summary = _draft(given)
        coordinator = db.session.get(User, given.coordinator.id)
        services.publish_summary(coordinator, summary, None)
        round_ = db.session.get(Round, given.round_id)
        services.respond(
            coordinator,
            round_,
            ResponseOutcome.partly,
            "Two inspections are planned.",
            "en",
            "Ombudsman",
            section=summary.sections[0],
        )
        db.session.commit()
    page = client.get(f"/plan/recommendations/{given.recommendation_id}").get_data(as_text=True)
    assert "Inspections of police stations have not started." in page
    assert "Two inspections are planned." in page and "Ombudsman" in page
    assert "Hidden Person" not in page
    sign_in(client, app, given.coordinator)
    follow = client.get("/follow-up?since=2000-01-01").get_data(as_text=True)
    assert "115.1" in follow and "115.2" in follow
    assert "115.1" not in client.get("/follow-up?since=2999-01-01").get_data(as_text=True)


def test_a_passage_redacted_after_it_was_quoted_never_reaches_the_public(app, client):
    given = closed_round_with_input(app)
    with app.test_request_context():
        summary = _draft(given)
        coordinator = db.session.get(User, given.coordinator.id)
        version = services.publish_summary(coordinator, summary, None)
        named = db.session.get(Comment, given.named_id)
        moderation.redact(coordinator, named, "police stations", Reason.personal_data)
        db.session.commit()
        quoted = services.public_content(version)["sections"][0]["citations"][0]
        assert quoted["comment_id"] == named.public_id  # the public one, never the row id
        assert "police stations" not in quoted["quote"] and quoted["quote"] == named.public_text
    assert "police stations" not in client.get(f"/rounds/{given.slug}/outcome").get_data(as_text=True)
