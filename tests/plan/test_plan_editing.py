"""Coordinators build the plan through forms; every change is audited; versions show what changed."""

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from consult.accounts.models import StaffRoleName
from consult.audit import AuditEvent
from consult.extensions import db
from consult.plan.importers.records import ReadResult
from consult.plan.importing import import_records
from consult.plan.models import Action, ActionStatus, Cluster, Indicator, IndicatorValue, PlanVersion
from tests.factories import recommendation_record as record
from tests.helpers import make_user, sign_in, submit

TITLES = {"title_en": "Justice and detention", "title_ar": "العدالة والاحتجاز", "title_zh": "司法与拘留"}


def coordinator_client(app):
    client = app.test_client()
    sign_in(client, app, make_user(app, (StaffRoleName.coordinator,)))
    return client


def test_a_cluster_in_six_languages_reads_in_each(app):
    client = coordinator_client(app)
    response = submit(client, "/plan/clusters/new", {"code": "C1", "position": "1", **TITLES})
    assert response.status_code == 302
    reader = app.test_client()
    assert "العدالة والاحتجاز" in reader.get("/plan/", headers={"Accept-Language": "ar"}).get_data(
        as_text=True
    )
    assert "司法与拘留" in reader.get("/plan/", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    # French falls back to English, marked as English for screen readers.
    assert '<span lang="en" dir="ltr">Justice and detention</span>' in reader.get(
        "/plan/", headers={"Accept-Language": "fr"}
    ).get_data(as_text=True)
    duplicate = submit(client, "/plan/clusters/new", {"code": "C1", "title_en": "Again"})
    assert duplicate.status_code == 422 and "Another cluster has this code." in duplicate.get_data(
        as_text=True
    )
    untitled = submit(client, "/plan/clusters/new", {"code": "C2"})
    assert untitled.status_code == 422 and "Give it in at least one language." in untitled.get_data(
        as_text=True
    )


def test_an_action_with_recommendations_an_indicator_and_values(app):
    client = coordinator_client(app)
    with app.app_context():
        import_records(ReadResult(records=[record("r:1"), record("r:2")]))
        cluster = Cluster(code="C1", title={"en": "Justice"})
        db.session.add(cluster)
        db.session.flush()
        for recommendation_id in (1, 2):
            from consult.plan.models import Recommendation

            db.session.get(Recommendation, recommendation_id).cluster_id = cluster.id
        db.session.commit()
        cluster_id = cluster.id
    late = submit(
        client,
        "/plan/actions/new",
        {
            "code": "A1",
            "cluster": str(cluster_id),
            "title_en": "Ratify OP-CAT",
            "responsible_entity": "Ministry of Justice",
            "start_on": "2026-01-01",
            "due_on": "2025-01-01",
            "status": "planned",
            "recommendations": ["1", "2"],
        },
    )
    assert late.status_code == 422 and "The due date comes before the start date." in late.get_data(
        as_text=True
    )
    assert 'value="Ratify OP-CAT"' in late.get_data(as_text=True)
    response = submit(
        client,
        "/plan/actions/new",
        {
            "code": "A1",
            "cluster": str(cluster_id),
            "title_en": "Ratify OP-CAT",
            "responsible_entity": "Ministry of Justice",
            "start_on": "2025-01-01",
            "due_on": "2026-12-31",
            "status": "in_progress",
            "recommendations": ["1", "2"],
        },
    )
    assert response.status_code == 302
    with app.app_context():
        action = db.session.scalar(select(Action))
        assert (
            sorted(r.id for r in action.recommendations) == [1, 2]
            and action.status is ActionStatus.in_progress
        )
        action_id = action.id
    submit(
        client,
        "/plan/indicators/new",
        {
            "action": str(action_id),
            "kind": "process",
            "title_en": "Visits",
            "unit": "number",
            "baseline": "3",
            "target": "12",
            "disaggregation": "sex",
        },
        page=f"/plan/indicators/new?action={action_id}",
    )
    with app.app_context():
        indicator_id = db.session.scalar(select(Indicator.id))
    page = f"/plan/actions/{action_id}"
    prefix = f"value-{indicator_id}"
    for value in ("5", "6"):
        submit(
            client,
            f"/plan/indicators/{indicator_id}/values",
            {f"{prefix}-period": "2026-06-30", f"{prefix}-value": value},
            page=page,
            prefix=prefix,
        )
    submit(
        client,
        f"/plan/indicators/{indicator_id}/values",
        {f"{prefix}-period": "2026-06-30", f"{prefix}-value": "2", f"{prefix}-breakdown": "sex=female"},
        page=page,
        prefix=prefix,
    )
    bad = submit(
        client,
        f"/plan/indicators/{indicator_id}/values",
        {f"{prefix}-period": "yesterday"},
        page=page,
        prefix=prefix,
    )
    assert bad.status_code == 422
    with app.app_context():
        values = {(v.period, v.breakdown): v.value for v in db.session.scalars(select(IndicatorValue))}
        assert values == {(date(2026, 6, 30), ""): Decimal(6), (date(2026, 6, 30), "sex=female"): Decimal(2)}
        actions = set(db.session.scalars(select(AuditEvent.action)))
        assert {"action.create", "indicator.create", "indicator.report_value"} <= actions
    shown = app.test_client().get("/plan/recommendations/1").get_data(as_text=True)
    assert "Ratify OP-CAT" in shown and "Visits" in shown


def test_status_cluster_and_tags_of_a_recommendation(app):
    client = coordinator_client(app)
    with app.app_context():
        import_records(ReadResult(records=[record("r:1", themes=["Torture"])]))
        db.session.add(Cluster(code="C9", title={"en": "Detention"}))
        db.session.commit()
        cluster_id = db.session.scalar(select(Cluster.id))
    page = "/plan/recommendations/1/edit"
    submit(client, page, {"status": "in_progress", "cluster": str(cluster_id)})
    submit(
        client,
        "/plan/recommendations/1/tags",
        {"vocabulary": "affected_group", "code": "Detainees"},
        page=page,
    )
    html = client.get(page).get_data(as_text=True)
    assert "Detainees" in html and "Set by staff" in html and "Imported" in html
    with app.app_context():
        from consult.plan.models import ImplementationStatus, Recommendation

        recommendation = db.session.get(Recommendation, 1)
        assert (
            recommendation.status is ImplementationStatus.in_progress
            and recommendation.cluster_id == cluster_id
        )
        torture = next(t.tag_id for t in recommendation.tags if t.tag.code == "Torture")
    submit(client, f"/plan/recommendations/1/tags/{torture}/remove", page=page)
    assert "Torture" not in client.get(page).get_data(as_text=True)


def test_a_version_shows_what_changed_since_the_one_before(app):
    client = coordinator_client(app)
    with app.app_context():
        import_records(ReadResult(records=[record("r:1")]))
        db.session.add(Cluster(code="C1", title={"en": "Justice"}))
        db.session.flush()
        from consult.plan import services

        services.save_action(None, None, [1], code="A1", title={"en": "Ratify"}, responsible_entity="MoJ")
        db.session.commit()
    submit(client, "/plan/versions", {"label": "As consulted before the review"})
    with app.app_context():
        action = db.session.scalar(select(Action))
        action.status = ActionStatus.completed
        db.session.add(Action(code="A2", title={"en": "Train judges"}, responsible_entity="Judicial academy"))
        db.session.commit()
    submit(client, "/plan/versions", {"label": "Mid-term"})
    with app.app_context():
        second = db.session.scalar(select(PlanVersion).where(PlanVersion.number == 2))
    html = app.test_client().get(f"/plan/versions/{second.id}").get_data(as_text=True)
    assert "Actions added" in html and "Train judges" in html
    assert "Actions edited" in html and "<del>planned</del> → <ins>completed</ins>" in html


def test_a_coordinator_adds_a_translation_but_cannot_remove_the_original(app):
    client = coordinator_client(app)
    with app.app_context():
        import_records(ReadResult(records=[record("r:1", "Ratify the Convention.")]))
        db.session.commit()
    page = "/plan/recommendations/1/edit"
    submit(
        client,
        "/plan/recommendations/1/texts",
        {"text_en": "Ratify the Convention.", "text_ar": "التصديق على الاتفاقية."},
        page=page,
    )
    assert "التصديق على الاتفاقية." in app.test_client().get(
        "/plan/recommendations/1", headers={"Accept-Language": "ar"}
    ).get_data(as_text=True)
    refused = submit(
        client, "/plan/recommendations/1/texts", {"text_ar": "التصديق على الاتفاقية."}, page=page
    )
    assert refused.status_code == 422
    assert "The text in the original language cannot be removed." in refused.get_data(as_text=True)
    with app.app_context():
        from consult.plan.models import RecommendationText

        assert {t.language for t in db.session.scalars(select(RecommendationText))} == {"en", "ar"}
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "recommendation.set_texts"))


#: Numbers a decimal column (Numeric(18, 4)) cannot hold, and decimals that are no number at all.
NOT_STORABLE = ("1e14", "-100000000000000", "1e400", "NaN", "sNaN", "Infinity", "-inf")


def test_a_number_no_column_can_hold_is_refused_with_the_form_kept(app):
    """An indicator's baseline and target, and a reported value: refused (422) with a message, never a
    server error from a database that cannot store it; the largest number it can hold is accepted."""
    client = coordinator_client(app)
    with app.app_context():
        cluster = Cluster(code="C1", title={"en": "Justice"})
        db.session.add(cluster)
        db.session.flush()
        action = Action(
            code="A1", cluster_id=cluster.id, title={"en": "Visits"}, responsible_entity="Ministry"
        )
        db.session.add(action)
        db.session.commit()
        action_id = action.id
    fields = {"action": str(action_id), "kind": "process", "title_en": "Visits"}
    for value in NOT_STORABLE:
        for name in ("baseline", "target"):
            response = submit(client, "/plan/indicators/new", {**fields, name: value})
            assert response.status_code == 422, (name, value)
            page = response.get_data(as_text=True)
            assert "Enter a number with at most 14 digits before the decimal point." in page, value
    largest = "99999999999999.5"  # exact as a float too: SQLite keeps a decimal as one
    assert submit(client, "/plan/indicators/new", {**fields, "baseline": largest}).status_code == 302
    with app.app_context():
        indicator = db.session.scalar(select(Indicator))
        assert indicator.baseline == Decimal(largest)
        indicator_id = indicator.id
    prefix = f"value-{indicator_id}"
    for value in NOT_STORABLE:
        data = {f"{prefix}-period": "2026-06-30", f"{prefix}-value": value}
        path = f"/plan/indicators/{indicator_id}/values"
        response = submit(client, path, data, page=f"/plan/actions/{action_id}", prefix=prefix)
        assert response.status_code == 422, value
    with app.app_context():
        assert db.session.scalar(select(IndicatorValue)) is None
