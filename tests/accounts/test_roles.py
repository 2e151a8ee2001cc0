"""Coordinators grant and revoke staff roles and suspend accounts; every change is audited."""

import pytest

from consult.accounts import services
from consult.accounts.models import StaffRoleName, User
from consult.audit import AuditEvent
from consult.errors import DomainError
from consult.extensions import db
from tests.helpers import make_user, sign_in, submit

COORDINATOR = (StaffRoleName.coordinator,)


def test_a_coordinator_grants_and_revokes_a_role(app, client):
    coordinator = make_user(app, COORDINATOR)
    person = make_user(app)
    sign_in(client, app, coordinator)
    page = f"/accounts/users/{person.id}"
    submit(client, f"{page}/roles/grant", {"role": "moderator"}, page=page)
    with app.app_context():
        assert db.session.get(User, person.id).roles == {StaffRoleName.moderator}
    submit(client, f"{page}/roles/revoke", {"role": "moderator"}, page=page)
    with app.app_context():
        assert db.session.get(User, person.id).roles == set()
        actions = list(
            db.session.scalars(db.select(AuditEvent.action).where(AuditEvent.subject_id == str(person.id)))
        )
        assert "user.grant_role" in actions and "user.revoke_role" in actions


def test_the_last_coordinator_stays(ctx):
    coordinator = services.create_user("c@example.org", "C", "long enough password", COORDINATOR)
    other = services.create_user("o@example.org", "O", "long enough password", COORDINATOR)
    db.session.flush()
    services.revoke_role(coordinator, other, StaffRoleName.coordinator)
    with pytest.raises(DomainError):
        services.revoke_role(other, coordinator, StaffRoleName.coordinator)


def test_a_coordinator_cannot_change_their_own_roles(app, client):
    coordinator = make_user(app, COORDINATOR)
    sign_in(client, app, coordinator)
    page = f"/accounts/users/{coordinator.id}"
    response = submit(client, f"{page}/roles/revoke", {"role": "coordinator"}, page=page)
    assert response.status_code == 403


def test_a_suspended_person_is_signed_out_at_once(app, client):
    coordinator = make_user(app, COORDINATOR)
    person = make_user(app)
    browser = app.test_client()
    sign_in(browser, app, person)
    sign_in(client, app, coordinator)
    page = f"/accounts/users/{person.id}"
    submit(client, f"{page}/suspend", page=page)
    assert browser.get("/accounts/settings").status_code == 302


def test_the_user_list_searches_without_wildcards(app, client):
    coordinator = make_user(app, COORDINATOR, name="Zed Coordinator")
    make_user(app, name="100% Ana")
    make_user(app, name="Bruno")
    sign_in(client, app, coordinator)
    page = client.get("/accounts/users?q=%25").get_data(as_text=True)
    assert "100% Ana" in page and "Bruno" not in page
