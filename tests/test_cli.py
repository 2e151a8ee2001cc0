"""The operators' commands: creating accounts and loading the demo."""

from consult import demo
from consult.accounts.models import StaffRoleName, User
from consult.extensions import db
from consult.plan.models import Mechanism, Recommendation
from consult.rounds.models import Round, RoundState, Stage
from tests.helpers import Account, sign_in


def test_create_user_makes_a_confirmed_staff_account(app):
    result = app.test_cli_runner().invoke(
        args=[
            "consult",
            "create-user",
            "ops@example.org",
            "--name",
            "Ops",
            "--role",
            "coordinator",
            "--password",
            "a long enough password",
        ]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "ops@example.org"))
        assert user.roles == {StaffRoleName.coordinator} and user.email_verified_at is not None
        assert user.password_hash.startswith("$argon2id$")
    again = app.test_cli_runner().invoke(
        args=[
            "consult",
            "create-user",
            "ops@example.org",
            "--name",
            "Ops",
            "--password",
            "a long enough password",
        ]
    )
    assert again.exit_code != 0 and "exists already" in again.output


def test_create_user_refuses_a_short_password(app):
    result = app.test_cli_runner().invoke(
        args=["consult", "create-user", "x@example.org", "--name", "X", "--password", "short"]
    )
    assert result.exit_code != 0


def test_the_demo_loads_once_with_every_stage_and_its_accounts_work(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["consult", "demo"])
    assert first.exit_code == 0 and "Demo data loaded." in first.output
    assert "coordinator@example.org" in first.output
    second = runner.invoke(args=["consult", "demo"])
    assert "already there" in second.output
    with app.app_context():
        recommendations = db.session.scalars(db.select(Recommendation)).all()
        assert len(recommendations) == 40
        assert {r.mechanism for r in recommendations} == {Mechanism.upr, Mechanism.treaty_body}
        assert len({r.body for r in recommendations}) == 3
        rounds = db.session.scalars(db.select(Round)).all()
        assert {r.stage for r in rounds} == set(Stage)
        assert [r.state for r in rounds].count(RoundState.open) == 1
        coordinator = db.session.scalar(db.select(User).where(User.email == "coordinator@example.org"))
        account = Account(coordinator.id, coordinator.email, demo.DEMO_PASSWORD, coordinator.totp_secret)
    client = app.test_client()
    sign_in(client, app, account)
    assert client.get("/audit/").status_code == 200
    reader = app.test_client().get("/", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert "关于第四轮普遍定期审议国家报告的协商" in reader  # the open round's title, in Chinese


def test_demo_code_gives_codes_only_for_demo_staff(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["consult", "demo-code", "coordinator@example.org"]).output.strip().isdigit()
    assert runner.invoke(args=["consult", "demo-code", "someone@example.org"]).exit_code != 0
