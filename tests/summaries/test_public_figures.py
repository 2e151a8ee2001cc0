"""Public figures an active attacker cannot use to link people (issue 13, item 4; docs/figures.md).

Each test compares every surface that publishes a round's figures (the outcome page, its four charts, the
figures as CSV, XLSX and JSON, the outcome report as PDF and DOCX, the moderation page) as a signed-out
reader fetches them:

- differencing over time: while a round is open, nothing a publication adds shows in any figure;
- differencing with one's own accounts: once closed, the figures are the same whether the anonymous comments
  were written by the person who also wrote a named one (and belongs to an NGO) or by a stranger;
- confidential input: the figures are the same with or without a confidential, at-risk comment in Spanish
  assessing a recommendation, and a confidential letter to a campaign;
- staff see all of it, exactly and live.
"""

import csv
import io
import json
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from docx import Document
from lxml import etree
from sqlalchemy import select

from consult.accounts.models import StaffRoleName, User
from consult.comments import services as comments
from consult.comments.models import Assessment, Publication, TargetType
from consult.extensions import db
from consult.moderation import services as moderation
from consult.moderation.models import DecisionKind
from consult.organisations.models import Membership, MembershipState, OrganisationType
from consult.plan.models import Cluster, Mechanism, Position, Recommendation, RecommendationText
from consult.rounds.models import ModerationMode, Round, RoundState, Stage
from tests.helpers import make_user, sign_in
from tests.reports.readable import pdf_text, xlsx_cells
from tests.summaries.fixtures import _organisation, _person

CHARTS = ("stakeholders", "clusters", "languages", "assessments")
LETTER = "Fund the national preventive mechanism and publish every one of its visit reports in full."


def _main(page: str) -> str:
    """A page's main content, without the form tokens and the language switcher around it."""
    return page.split('<main id="content"', 1)[1].split("</main>", 1)[0]


def _rows(data: bytes, fmt: str) -> list:
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    if fmt == "json":
        return json.loads(data)
    return xlsx_cells(data)


def snapshot(client, slug: str) -> dict[str, object]:
    """Every public figure of a round, as a reader fetches it; the round's address and the report's date of
    making left out, so that two rounds and two moments compare."""
    found: dict[str, object] = {}
    found["outcome"] = _main(client.get(f"/rounds/{slug}/outcome").get_data(as_text=True))
    found["moderation"] = _main(client.get(f"/rounds/{slug}/moderation").get_data(as_text=True))
    for name in CHARTS:
        root = etree.fromstring(client.get(f"/rounds/{slug}/charts/{name}.svg").data)
        found[f"chart {name}"] = (
            [e.text for e in root.iter("{*}desc") if e.get("class") == "value"],
            [e.text for e in root.iter("{*}text")],
        )
    for fmt in ("csv", "xlsx", "json"):
        found[f"figures.{fmt}"] = _rows(client.get(f"/rounds/{slug}/figures.{fmt}").data, fmt)
    document = Document(io.BytesIO(client.get(f"/rounds/{slug}/report.docx?lang=en").data))
    found["report.docx"] = (
        [p.text for p in document.paragraphs if not p.text.startswith("Report made on")],
        [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables],
    )
    pdf = pdf_text(client.get(f"/rounds/{slug}/report.pdf?lang=en").data)
    found["report.pdf"] = re.sub(r"Report made on [^\n]*", "", pdf)
    return {surface: _without(value, slug) for surface, value in found.items()}


def _without(value: object, slug: str) -> object:
    """The value with the round's address taken out."""
    return json.loads(json.dumps(value, default=str).replace(slug, "SLUG"))


def differences(first: dict, second: dict) -> list[str]:
    """The surfaces on which two snapshots differ."""
    return [surface for surface in first if first[surface] != second[surface]]


@dataclass
class Stage_:
    """A round under way, and what its comments are about."""

    round_id: int
    slug: str
    recommendation_id: int


def _recommendation() -> Recommendation:
    cluster = Cluster(code="C9", title={"en": "Freedom of expression"})
    db.session.add(cluster)
    db.session.flush()
    recommendation = Recommendation(
        source_key=f"test:{uuid.uuid4().hex}",
        mechanism=Mechanism.upr,
        body="UPR",
        symbol="A/HRC/52/9",
        paragraph="120.4",
        cycle=4,
        position=Position.supported,
        cluster_id=cluster.id,
    )
    recommendation.texts.append(RecommendationText(language="en", text="Protect journalists."))
    db.session.add(recommendation)
    db.session.flush()
    return recommendation


def _round(recommendation: Recommendation, opens_at: datetime, closes_at: datetime) -> Round:
    round_ = Round(
        slug=f"voices-{uuid.uuid4().hex[:8]}",
        stage=Stage.pre_report,
        cycle=4,
        title={"en": "Pre-report consultation"},
        state=RoundState.open,
        opens_at=opens_at,
        closes_at=closes_at,
        moderation_mode=ModerationMode.pre,
    )
    round_.clusters.append(db.session.get(Cluster, recommendation.cluster_id))
    db.session.add(round_)
    db.session.flush()
    return round_


def _member_of(person: User, organisation) -> User:
    db.session.add(
        Membership(user_id=person.id, organisation_id=organisation.id, state=MembershipState.confirmed)
    )
    db.session.flush()
    db.session.refresh(person)
    return person


def _say(
    author: User,
    round_: Round,
    recommendation_id: int,
    body: str,
    publication: Publication,
    *,
    language: str = "en",
    assessment: Assessment | None = None,
    organisation_id: int | None = None,
    at_risk: bool = False,
    approve: bool = True,
):
    """A comment sent through the real service and, unless told otherwise, approved by a moderator."""
    draft = comments.Draft(
        target_type=TargetType.recommendation,
        target_id=recommendation_id,
        body=body,
        language=language,
        publication=publication,
        at_risk=at_risk,
        assessment=assessment,
        organisation_id=organisation_id,
    )
    comment, _created = comments.submit(author, round_, uuid.uuid4().hex, draft)
    if approve:
        staff = db.session.scalar(select(User).where(User.display_name == "Figures Moderator"))
        moderation.decide(staff, comment, DecisionKind.approve)
    return comment


def _close(round_id: int, at: datetime | None = None) -> None:
    """Close the round by the clock, a second ago or at the moment given (two rounds compared close at one
    moment: the report shows when a round closed, to the minute)."""
    round_ = db.session.get(Round, round_id)
    round_.closes_at = at or datetime.now(UTC) - timedelta(seconds=1)
    db.session.commit()


def test_while_a_round_is_open_no_publication_shows_in_any_public_figure(app, client):
    """F1 over time, and F5: the reviewer compared snapshots one publication at a time. While the round is
    open the public sees no figure at all, only when they will come; staff see theirs, live."""
    make_user(app, (StaffRoleName.moderator,), name="Figures Moderator")
    staff = make_user(app, (StaffRoleName.moderator,), name="Another Moderator")
    attackers = [make_user(app, name=f"Harmless Reader {n}") for n in range(2)]
    now = datetime.now(UTC)
    with app.app_context():
        recommendation = _recommendation()
        round_ = _round(recommendation, now - timedelta(days=3), now + timedelta(days=3))
        ngo = _organisation("Defenders' Network", OrganisationType.ngo)
        victim = _member_of(_person("Vera Victim"), ngo)
        given = Stage_(round_.id, round_.slug, recommendation.id)
        _say(victim, round_, given.recommendation_id, "Journalists are followed.", Publication.named)
        db.session.commit()
    before = snapshot(client, given.slug)
    assert "once it has closed" in before["outcome"] and "once it has closed" in before["moderation"]
    assert "Published" not in before["moderation"] and "Figures (CSV)" not in before["outcome"]
    assert [row["key"] for row in before["figures.csv"]] == ["min_count", "after_close"]
    assert all(values == [] for values, _labels in (before[f"chart {n}"] for n in CHARTS))
    assert (
        "People who took part" not in before["report.pdf"] and "Comments received" not in before["report.pdf"]
    )

    with app.app_context():
        round_ = db.session.get(Round, given.round_id)
        victim = db.session.scalar(select(User).where(User.display_name == "Vera Victim"))
        ngo_id = victim.memberships[0].organisation_id
        for body in ("A reporter was beaten.", "The police took his phone."):
            _say(victim, round_, given.recommendation_id, body, Publication.anonymous, organisation_id=ngo_id)
        db.session.commit()
    after_anonymous = snapshot(client, given.slug)
    assert differences(before, after_anonymous) == []

    with app.app_context():
        round_ = db.session.get(Round, given.round_id)
        for account in attackers:
            _say(
                db.session.get(User, account.id),
                round_,
                given.recommendation_id,
                "Thanks.",
                Publication.named,
            )
        # A confidential, at-risk comment waiting for a moderator: not even "awaiting" moves.
        _say(
            db.session.scalar(select(User).where(User.display_name == "Vera Victim")),
            round_,
            given.recommendation_id,
            "They know me.",
            Publication.confidential,
            at_risk=True,
            approve=False,
        )
        db.session.commit()
    assert differences(before, snapshot(client, given.slug)) == []

    moderator = app.test_client()
    sign_in(moderator, app, staff)
    live = _main(moderator.get(f"/rounds/{given.slug}/moderation").get_data(as_text=True))
    assert "Exact figures — staff only." in live
    assert '<th scope="row">Published</th><td>5</td>' in live
    assert '<th scope="row">Awaiting moderation</th><td>1</td>' in live
    assert '<th scope="row">Confidential to the mechanism</th><td>1</td>' in live
    outcome = _main(moderator.get(f"/rounds/{given.slug}/outcome").get_data(as_text=True))
    assert "<strong>3</strong> participants" in outcome and "charts/" not in outcome  # no chart before close

    with app.app_context():
        _close(given.round_id)
    closed = snapshot(client, given.slug)
    assert set(differences(before, closed)) == set(before)  # every surface publishes its figures now
    assert '<th scope="row">Published</th><td>5</td>' in closed["moderation"]
    assert "charts/stakeholders.svg" in closed["outcome"] and "Figures (CSV)" in closed["outcome"]


def _two_rounds(app) -> tuple[Stage_, Stage_]:
    """Two rounds on the same recommendation, open over the same days."""
    now = datetime.now(UTC)
    with app.app_context():
        recommendation = _recommendation()
        rounds = [_round(recommendation, now - timedelta(days=3), now + timedelta(days=3)) for _ in "ab"]
        db.session.commit()
        return tuple(Stage_(r.id, r.slug, recommendation.id) for r in rounds)


def _shared(round_: Round, recommendation_id: int, attackers: list[User], others: list[User]) -> None:
    """What both rounds hold: the attacker's two harmless named comments, and other people's comments, one
    of them from a parliament's committee, named."""
    for attacker, text in zip(
        attackers, ("Thanks for asking us.", "Good luck with the report."), strict=True
    ):
        _say(attacker, round_, recommendation_id, text, Publication.named)
    for number, other in enumerate(others):
        organisation = other.memberships[0].organisation_id if other.memberships else None
        _say(
            other,
            round_,
            recommendation_id,
            f"Point number {number}.",
            Publication.organisation if organisation else Publication.named,
            assessment=Assessment.partly,
            organisation_id=organisation,
        )


def test_no_public_figure_tells_whether_an_anonymous_author_also_wrote_a_named_comment(app, client):
    """F1 with one's own accounts: in round a, Vera (an NGO's member) wrote a named comment and two
    anonymous ones under her NGO; in round b, the same anonymous comments come from a stranger in no
    organisation. Both also hold the attacker's two named comments. Closed, every public figure of a and b
    is the same: no count of people, no stakeholder type or organisation from an anonymous comment."""
    make_user(app, (StaffRoleName.moderator,), name="Figures Moderator")
    attacker_accounts = [make_user(app, name=f"Harmless Reader {n}") for n in range(2)]
    a, b = _two_rounds(app)
    with app.app_context():
        ngo = _organisation("Defenders' Network", OrganisationType.ngo)
        parliament = _organisation("Human Rights Committee", OrganisationType.parliament)
        vera = _member_of(_person("Vera Victim"), ngo)
        stranger = _person("Sam Stranger")
        attackers = [db.session.get(User, account.id) for account in attacker_accounts]
        others = [_member_of(_person(f"Member {n}"), parliament) for n in range(3)] + [
            _person("Ida Individual")
        ]
        for given, anonymous_author, organisation in ((a, vera, ngo.id), (b, stranger, None)):
            round_ = db.session.get(Round, given.round_id)
            _shared(round_, given.recommendation_id, attackers, others)
            vera_round = db.session.get(User, vera.id)
            _say(vera_round, round_, given.recommendation_id, "Journalists are followed.", Publication.named)
            for body in ("A reporter was beaten.", "The police took his phone.", "Sources are afraid."):
                _say(
                    anonymous_author,
                    round_,
                    given.recommendation_id,
                    body,
                    Publication.anonymous,
                    assessment=Assessment.not_started,
                    organisation_id=organisation,
                )
        db.session.commit()
        closed = datetime.now(UTC) - timedelta(seconds=1)
        _close(a.round_id, closed)
        _close(b.round_id, closed)
    first, second = snapshot(client, a.slug), snapshot(client, b.slug)
    assert differences(first, second) == []
    outcome = first["outcome"]
    assert "participant" not in outcome and "People who took part" not in first["report.pdf"]
    assert "participants" not in {row["key"] for row in first["figures.csv"]}
    stakeholders = {row["key"]: row for row in first["figures.csv"] if row["breakdown"] == "stakeholders"}
    assert set(stakeholders) == {"individual", "parliament", "anonymous"}  # no "ngo": only Vera's anonymous
    assert stakeholders["anonymous"]["count"] == "3" and stakeholders["parliament"]["count"] == "3"
    assert "Published anonymously" in outcome

    # Staff see who took part, exactly: the difference the public must not see.
    coordinator = app.test_client()
    sign_in(coordinator, app, make_user(app, (StaffRoleName.coordinator,)))
    staff_a = _main(coordinator.get(f"/rounds/{a.slug}/outcome").get_data(as_text=True))
    staff_b = _main(coordinator.get(f"/rounds/{b.slug}/outcome").get_data(as_text=True))
    assert "<strong>7</strong> participants" in staff_a and "<strong>8</strong> participants" in staff_b
    assert "NGO or civil society organisation" in staff_a
    assert "NGO or civil society organisation" not in staff_b


def test_confidential_input_is_in_no_public_figure(app, client):
    """F4: round a also holds a confidential, at-risk comment in Spanish assessing the recommendation "fully
    implemented" (from someone who commented publicly too), a confidential letter to a campaign, and a
    confidential comment awaiting moderation. Closed, every public figure of a and b is the same, and the
    moderation page's "Published" is the number of comments the public can read."""
    make_user(app, (StaffRoleName.moderator,), name="Figures Moderator")
    attacker_accounts = [make_user(app, name=f"Harmless Reader {n}") for n in range(2)]
    a, b = _two_rounds(app)
    with app.app_context():
        parliament = _organisation("Human Rights Committee", OrganisationType.parliament)
        attackers = [db.session.get(User, account.id) for account in attacker_accounts]
        others = [_member_of(_person(f"Member {n}"), parliament) for n in range(3)] + [
            _person("Ida Individual")
        ]
        letter_writers = [_person(f"Letter writer {n}") for n in range(3)]
        witness = _person("Wanda Witness")
        for given in (a, b):
            round_ = db.session.get(Round, given.round_id)
            _shared(round_, given.recommendation_id, attackers, others)
            _say(witness, round_, given.recommendation_id, "The law is not applied.", Publication.named)
            for writer in letter_writers:
                _say(writer, round_, given.recommendation_id, LETTER, Publication.named)
        round_ = db.session.get(Round, a.round_id)
        _say(
            witness,
            round_,
            a.recommendation_id,
            "Me amenazaron después de la visita.",
            Publication.confidential,
            language="es",
            assessment=Assessment.fully,
            at_risk=True,
        )
        _say(_person("Quiet Signer"), round_, a.recommendation_id, LETTER, Publication.confidential)
        _say(witness, round_, a.recommendation_id, "Otra cosa.", Publication.confidential, approve=False)
        staff = db.session.scalar(select(User).where(User.display_name == "Figures Moderator"))
        for given in (a, b):
            moderation.detect_campaigns(staff, given.round_id)
        db.session.commit()
        closed = datetime.now(UTC) - timedelta(seconds=1)
        _close(a.round_id, closed)
        _close(b.round_id, closed)
    first, second = snapshot(client, a.slug), snapshot(client, b.slug)
    assert differences(first, second) == []
    assert "Confidential" not in first["moderation"] and "es" not in {r["key"] for r in first["figures.csv"]}
    assert '<th scope="row">Published</th><td>10</td>' in first["moderation"]  # 2 + 4 + 1 + 3 letters
    listed = client.get(f"/api/v1/rounds/{a.slug}/comments?limit=100").get_json()["data"]
    assert len(listed) == 10  # what the public can read, and nothing to subtract it from
    for given in (a, b):
        page = client.get(f"/rounds/{given.slug}").get_data(as_text=True)
        assert "a campaign of 3 supporters" in page  # the confidential letter is no one's supporter

    moderator = app.test_client()
    sign_in(moderator, app, make_user(app, (StaffRoleName.moderator,)))
    exact = _main(moderator.get(f"/rounds/{a.slug}/moderation").get_data(as_text=True))
    assert '<th scope="row">Confidential to the mechanism</th><td>3</td>' in exact
    outcome = _main(moderator.get(f"/rounds/{a.slug}/outcome").get_data(as_text=True))
    assert "Spanish" in outcome and "Exact figures — staff only." in outcome
