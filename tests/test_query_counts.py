"""List and detail pages make a fixed number of queries, however many rows they show."""

import pytest

from consult.accounts.models import StaffRoleName, User
from consult.extensions import db
from consult.organisations import services as organisations
from consult.organisations.models import OrganisationType
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
    from consult.plan import services
    from consult.plan.importers.records import ClusterRecord, ReadResult
    from consult.plan.importing import import_records
    from tests.plan.test_importing import record

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
