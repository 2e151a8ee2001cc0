"""The audit trail records who changed what, and coordinators can read and filter it."""

from consult import audit
from consult.accounts.models import StaffRoleName
from consult.audit import AuditEvent
from consult.extensions import db
from consult.organisations.models import Organisation, OrganisationType
from tests.helpers import make_user, sign_in


def test_record_keeps_who_what_when_before_and_after(ctx):
    organisation = Organisation(name="Centre", type=OrganisationType.ngo)
    db.session.add(organisation)
    event = audit.record(
        None, "organisation.rename", organisation, before={"name": "Old"}, after={"name": "Centre"}
    )
    db.session.commit()
    stored = db.session.get(AuditEvent, event.id)
    assert (stored.subject_type, stored.subject_id) == ("organisations", str(organisation.id))
    assert stored.before == {"name": "Old"} and stored.after == {"name": "Centre"}
    assert stored.created_at.tzinfo is not None
    assert not {"ip", "ip_address", "remote_addr"} & set(AuditEvent.__table__.columns.keys())


def test_coordinators_read_and_filter_the_trail(app, client):
    coordinator = make_user(app, (StaffRoleName.coordinator,), name="Cora")
    make_user(app, name="Someone")
    sign_in(client, app, coordinator)
    page = client.get("/audit/?action=user.sign_in").get_data(as_text=True)
    assert "user.sign_in" in page and "user.create" not in page and "Cora" in page
    everything = client.get("/audit/").get_data(as_text=True)
    assert "user.create" in everything
