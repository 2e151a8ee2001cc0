"""List and detail pages make a fixed number of queries, however many rows they show."""

import pytest
from sqlalchemy import select

from consult.accounts.models import StaffRoleName, User
from consult.comments.models import Assessment, Comment, Publication, TargetType
from consult.extensions import db
from consult.organisations import services as organisations
from consult.organisations.models import Organisation, OrganisationType
from consult.plan import services
from consult.plan.importers.records import ClusterRecord, ReadResult
from consult.plan.importing import import_records
from consult.rounds.models import ModerationMode, Round
from consult.summaries.models import ResponseOutcome
from tests.factories import (
    ClusterFactory,
    CommentFactory,
    MembershipFactory,
    OrganisationFactory,
    RecommendationFactory,
    ResponseFactory,
    RoundFactory,
    SectionFactory,
    SummaryFactory,
    UserFactory,
    approved,
    close_now,
    published,
)
from tests.factories import recommendation_record as record
from tests.helpers import make_user, sign_in


def _grow(app, organisation_id: int, people: int) -> None:
    """Add people who belong to the organisation (and so leave audit events and memberships behind)."""
    for _ in range(people):
        account = make_user(app)
        with app.app_context():
            organisation = organisations.get_organisation_with_members(organisation_id)
            member = db.session.get(User, account.id)
            organisations.confirm_membership(None, organisations.request_membership(member, organisation))
            db.session.commit()


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/users",
        "/audit/",
        "/organisations/",
        "/organisations/{org}",
        "/accounts/users/{member}",
        "/organisations/mine",
        "/",
    ],
)
def test_pages_make_the_same_number_of_queries_with_2_or_20_rows(app, client, count_queries, path):
    coordinator = make_user(app, (StaffRoleName.coordinator,))
    with app.app_context():
        organisation = organisations.create_organisation(None, "Network", OrganisationType.ngo, verified=True)
        organisations.confirm_membership(
            None, organisations.request_membership(db.session.get(User, coordinator.id), organisation)
        )
        db.session.commit()
        organisation_id = organisation.id
    sign_in(client, app, coordinator)
    url = path.format(org=organisation_id, member=coordinator.id)

    _grow(app, organisation_id, 2)
    client.get(url)  # warm up: the first request loads what every request shares
    with count_queries() as few:
        assert client.get(url).status_code == 200
    _grow(app, organisation_id, 18)
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few) > 0, many


@pytest.mark.parametrize(
    "path",
    ["/plan/", "/plan/recommendations", "/plan/recommendations/1", "/plan/clusters/1", "/plan/actions/1"],
)
def test_plan_pages_make_the_same_number_of_queries_with_2_or_20_recommendations(
    app, client, count_queries, path
):
    def grow(start: int, number: int) -> None:
        with app.app_context():
            records = [
                record(f"q:{n}", sdgs=[f"16.{n}"], cluster=ClusterRecord("C1", "Justice"))
                for n in range(start, start + number)
            ]
            import_records(ReadResult(records=records))
            db.session.flush()
            ids = [r.id for r in services.get_cluster(1).recommendations]
            action = db.session.get(services.Action, 1)
            if action is None:
                action = services.save_action(
                    None, None, ids, code="A1", title={"en": "A"}, responsible_entity="MoJ", cluster_id=1
                )
            else:
                services.save_action(
                    None, action, ids, code="A1", title={"en": "A"}, responsible_entity="MoJ", cluster_id=1
                )
            db.session.commit()

    app.config["PAGE_CACHE_SECONDS"] = 0  # count the render's queries, not a kept page's none
    grow(0, 2)
    client.get(path).get_data()
    with count_queries() as few:
        assert client.get(path).status_code == 200
    grow(2, 18)
    client.get(path).get_data()  # the import cleared the cached filter lists; read them again first
    with count_queries() as many:
        assert client.get(path).status_code == 200
    assert len(many) == len(few) > 0, many


# --- Rounds, the moderation queue and the summaries: n comments (or points), then 3n ------------------------

N = 3


def _counted(client, count_queries, url: str) -> int:
    """The statements one request for url makes, once a first request loaded what every request shares."""
    client.get(url).get_data()
    with count_queries() as statements:
        response = client.get(url)
        assert response.status_code == 200, url
    return len(statements)


def _comments(round_id: int, number: int, speaking_for: int | None = None) -> None:
    """number published comments (through the factories) on the round's recommendations in turn, by people
    who never sign in: named, anonymous and for an organisation in turn, some with an assessment."""
    round_ = db.session.get(Round, round_id)
    recommendations = [r for cluster in round_.clusters for r in cluster.recommendations]
    organisation = db.session.get(Organisation, speaking_for) if speaking_for else None
    publications = (Publication.named, Publication.anonymous, Publication.organisation)
    for n in range(number):
        author = UserFactory()
        publication = publications[n % 3] if organisation else publications[n % 2]
        if publication is Publication.organisation:
            MembershipFactory(user=author, organisation=organisation)
        CommentFactory(
            round=round_,
            author=author,
            target_type=TargetType.recommendation,
            target_id=recommendations[n % len(recommendations)].id,
            publication=publication,
            organisation=organisation if publication is Publication.organisation else None,
            assessment=Assessment.partly if n % 2 else None,
        )
    db.session.commit()


def _round_in_scope(mode: ModerationMode) -> tuple[int, str, int]:
    """An open round on a cluster of three recommendations, and an NGO its contributors may speak for."""
    cluster = ClusterFactory()
    for _ in range(3):
        RecommendationFactory(cluster=cluster)
    round_ = RoundFactory(moderation_mode=mode, clusters=[cluster])
    organisation = OrganisationFactory()
    db.session.commit()
    return round_.id, round_.slug, organisation.id


@pytest.mark.parametrize("who", ["reader", "contributor"])
def test_the_round_page_makes_the_same_number_of_queries_with_n_or_3n_comments(
    app, client, count_queries, who
):
    app.config["PAGE_CACHE_SECONDS"] = 0  # count the render's queries, not a kept page's none
    if who == "contributor":
        sign_in(client, app, make_user(app))
    with app.app_context():
        round_id, slug, organisation_id = _round_in_scope(ModerationMode.post)
        _comments(round_id, N, organisation_id)
    few = _counted(client, count_queries, f"/rounds/{slug}")
    with app.app_context():
        _comments(round_id, 2 * N, organisation_id)
    many = _counted(client, count_queries, f"/rounds/{slug}")
    assert many == few > 0


def test_the_moderation_queue_makes_the_same_number_of_queries_with_n_or_3n_comments(
    app, client, count_queries
):
    sign_in(client, app, make_user(app, (StaffRoleName.moderator,)))
    with app.app_context():
        round_id, _slug, organisation_id = _round_in_scope(ModerationMode.pre)
        _comments(round_id, N, organisation_id)
    few = _counted(client, count_queries, "/moderation/")
    with app.app_context():
        _comments(round_id, 2 * N, organisation_id)
    many = _counted(client, count_queries, "/moderation/")
    assert many == few > 0


def _summarised(coordinator_id: int, points: int) -> tuple[str, int]:
    """A closed round with 3 × points approved comments and a published summary of `points` points, one per
    recommendation of its scope, each quoting three comments and answered; and an answer about each
    recommendation. Returns the round's slug and the summary's id."""
    coordinator = db.session.get(User, coordinator_id)
    cluster = ClusterFactory()
    recommendations = [RecommendationFactory(cluster=cluster) for _ in range(points)]
    round_ = RoundFactory(clusters=[cluster])
    organisation = OrganisationFactory()
    db.session.commit()
    _comments(round_.id, 3 * points, organisation.id)
    quoted = list(
        db.session.scalars(select(Comment).where(Comment.round_id == round_.id).order_by(Comment.id))
    )
    approved(coordinator, *quoted)
    close_now(round_)
    summary = SummaryFactory(actor=coordinator, round=round_, introduction="What we heard, point by point.")
    sections = [
        SectionFactory(
            actor=coordinator,
            summary=summary,
            target_type=TargetType.recommendation,
            target_id=recommendation.id,
            heading=f"About {recommendation.paragraph}",
            body="Participants agree.",
            quoting=[c for c in quoted if c.recommendation_id == recommendation.id],
        )
        for recommendation in recommendations
    ]
    published(coordinator, summary)
    for section, recommendation in zip(sections, recommendations, strict=True):
        ResponseFactory(actor=coordinator, round=round_, section=section)
        ResponseFactory(
            actor=coordinator,
            round=round_,
            outcome=ResponseOutcome.under_consideration,
            recommendation=recommendation,
        )
    db.session.commit()
    return round_.slug, summary.id


@pytest.mark.parametrize(
    "page",
    [
        "/summaries/{summary}/edit",
        "/summaries/{summary}",
        "/summaries/{summary}/versions/1",
        "/summaries/{summary}/preview",
        "/rounds/{slug}/summaries",
        "/rounds/{slug}/outcome",
        "/rounds/{slug}/responses",
    ],
)
def test_the_summaries_pages_make_the_same_number_of_queries_with_n_or_3n_points(
    app, client, count_queries, page
):
    app.config["PAGE_CACHE_SECONDS"] = 0
    coordinator = make_user(app, (StaffRoleName.coordinator,))
    with app.app_context():
        few_slug, few_summary = _summarised(coordinator.id, N)
        many_slug, many_summary = _summarised(coordinator.id, 3 * N)
    readers = {"coordinator": client, "reader": app.test_client()}
    sign_in(client, app, coordinator)
    for who, browser in readers.items():
        if who == "reader" and page.endswith(("/edit", "/preview", "/responses")):
            continue  # pages for those who summarise or answer only
        few = _counted(browser, count_queries, page.format(summary=few_summary, slug=few_slug))
        many = _counted(browser, count_queries, page.format(summary=many_summary, slug=many_slug))
        assert many == few > 0, who
