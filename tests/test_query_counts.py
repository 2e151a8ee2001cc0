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
    assert len(many) == len(few), many
