"""People propose and join organisations; coordinators verify them and confirm members."""

import pytest

from consult.accounts.models import StaffRoleName, User
from consult.audit import AuditEvent
from consult.errors import InvalidTransition
from consult.extensions import db
from consult.organisations import services
from consult.organisations.models import (
    Membership,
    MembershipState,
    Organisation,
    OrganisationState,
    OrganisationType,
    confirmed_organisations,
)
from tests.helpers import make_user, sign_in, submit


def test_propose_verify_and_confirm(app, client):
    person = make_user(app)
    sign_in(client, app, person)
    response = submit(
        client,
        "/organisations/propose",
        {
            "propose-name": "Women's Rights Network",
            "propose-acronym": "WRN",
            "propose-type": "ngo",
            "propose-website": "https://wrn.example.org",
            "propose-position": "Legal adviser",
        },
        page="/organisations/mine",
        prefix="propose",
    )
    assert response.status_code == 302
    with app.app_context():
        organisation = db.session.scalar(db.select(Organisation))
        assert organisation.state is OrganisationState.pending
        organisation_id = organisation.id

    # Not verified yet: the public does not see it, nor that it exists (as an unused number); its member does.
    assert app.test_client().get(f"/organisations/{organisation_id}").status_code == 404
    assert app.test_client().get(f"/organisations/{organisation_id + 1000}").status_code == 404
    assert client.get(f"/organisations/{organisation_id}").status_code == 200

    coordinator = make_user(app, (StaffRoleName.coordinator,))
    staff = app.test_client()
    sign_in(staff, app, coordinator)
    page = f"/organisations/{organisation_id}"
    submit(staff, f"{page}/verify", page=page)
    submit(staff, f"{page}/members/{person.id}/confirm", page=page)
    with app.app_context():
        organisation = db.session.get(Organisation, organisation_id)
        assert (
            organisation.state is OrganisationState.verified and organisation.verified_by_id == coordinator.id
        )
        assert confirmed_organisations(db.session.get(User, person.id)) == [organisation]
        actions = set(db.session.scalars(db.select(AuditEvent.action)))
        assert {
            "organisation.create",
            "organisation.verify",
            "membership.request",
            "membership.confirm",
        } <= actions
    assert app.test_client().get(f"/organisations/{organisation_id}").status_code == 200


def test_a_contributor_cannot_verify(app, client):
    person = make_user(app)
    with app.app_context():
        organisation = services.create_organisation(None, "Centre", OrganisationType.academia)
        db.session.commit()
        organisation_id = organisation.id
    sign_in(client, app, person)
    page = "/organisations/mine"
    assert submit(client, f"/organisations/{organisation_id}/verify", page=page).status_code == 403


def test_joining_twice_is_refused_and_leaving_is_allowed(app, client):
    person = make_user(app)
    with app.app_context():
        organisation = services.create_organisation(
            None, "Bar Association", OrganisationType.other, verified=True
        )
        db.session.commit()
        organisation_id = organisation.id
    sign_in(client, app, person)
    data = {"join-organisation": str(organisation_id), "join-position": "Member"}
    assert (
        submit(client, "/organisations/join", data, page="/organisations/mine", prefix="join").status_code
        == 302
    )
    again = submit(client, "/organisations/join", data, page="/organisations/mine", prefix="join")
    assert again.status_code == 422 and "asked to join this organisation already" in again.get_data(
        as_text=True
    )
    submit(client, f"/organisations/{organisation_id}/members/{person.id}/end", page="/organisations/mine")
    with app.app_context():
        assert db.session.get(Membership, (person.id, organisation_id)).state is MembershipState.ended


def test_a_duplicate_name_is_refused_whatever_the_case(ctx):
    services.create_organisation(None, "Legal Aid Centre", OrganisationType.ngo)
    with pytest.raises(Exception, match="exists already"):
        services.create_organisation(None, "  legal aid centre ", OrganisationType.ngo)


def test_transitions_outside_the_table_are_refused_and_leave_no_trace(ctx):
    organisation = services.create_organisation(None, "Centre", OrganisationType.ngo, verified=True)
    db.session.flush()
    count = db.session.scalar(db.select(db.func.count()).select_from(AuditEvent))
    membership = Membership(
        user=User(display_name="X"), organisation=organisation, state=MembershipState.confirmed
    )
    db.session.add(membership)
    with pytest.raises(InvalidTransition):
        services.confirm_membership(None, membership)
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)) == count
