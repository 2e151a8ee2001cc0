"""The figures beside a summary: who took part and what they said, in two versions.

- **The public's** (`exact=False`) count only what the public can read: published comments, not hidden,
  not confidential. Confidential and at-risk input is counted nowhere the public looks, and no line exists
  because of it. Anonymous comments are counted apart ("Published anonymously"), never under their author's
  organisation or its type ("anonymous means no name, no organisation"), and no count of distinct people is
  published: such a count tells whether an anonymous comment's author also wrote a named one. Every public
  figure is thus a count of what the published comments themselves show; the small-count rule comes on top.
- **Staff's** (`exact=True`): every comment a moderator let through, confidential and hidden ones included,
  by the organisation of every author, with the number of people who took part.

A campaign is one voice: its letters count once, through its first letter among those counted, and the
number of its letters is given beside. Each breakdown is one GROUP BY, so a round of 100,000 comments costs a
handful of queries (`python -m bench figures`). docs/figures.md says which surface shows which, and when.
"""

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, case, func, select

from consult import disclosure
from consult.comments.models import Assessment, Comment, Publication, TargetType
from consult.comments.public import campaign_sizes, first_of_campaign, moderated_input, readable_input
from consult.disclosure import Count, Mark
from consult.extensions import db
from consult.i18n import language_name, localized
from consult.organisations.models import Organisation, OrganisationType
from consult.plan.models import Action, Cluster, Recommendation

#: The bucket of comments from people who spoke for no organisation, of anonymous comments in the public's
#: figures, and of comments on no cluster.
INDIVIDUALS = "individual"
ANONYMOUS = "anonymous"
NO_CLUSTER = ""

INDIVIDUALS_LABEL = _l("Individuals")
ANONYMOUS_LABEL = _l("Published anonymously")
NO_CLUSTER_LABEL = _l("The round as a whole, questions and documents")

#: The publication choices that show an organisation: the only ones the public's figures count one from.
SHOWS_ORGANISATION = (Publication.named, Publication.organisation)


@dataclass
class Figures:
    """A round's participation in numbers; keys only, labelled for a language by `labelled`."""

    #: Staff's figures (every moderated comment) or the public's (the comments the public can read).
    exact: bool = False
    #: Every comment counted, each letter of a campaign included.
    comments: int = 0
    #: The comments with a campaign counted once: what the breakdowns count.
    voices: int = 0
    #: The people who took part, campaigns' letter writers included: staff's figures only (None otherwise).
    participants: int | None = None
    organisations: int = 0
    #: (campaign id, letters) for each campaign, largest first.
    campaigns: list[tuple[int, int]] = field(default_factory=list)
    by_stakeholder: dict[str, int] = field(default_factory=dict)
    by_cluster: dict[int | str, int] = field(default_factory=dict)
    by_language: dict[str, int] = field(default_factory=dict)
    by_target: dict[str, int] = field(default_factory=dict)
    #: recommendation id → {assessment value: voices}
    assessments: dict[int, dict[str, int]] = field(default_factory=dict)


def _grouped(column: Any, where: list, *joins: tuple) -> dict[Any, int]:
    """Voices per value of column."""
    query = select(column, func.count()).select_from(Comment)
    for target, on in joins:
        query = query.outerjoin(target, on)
    return {key: n for key, n in db.session.execute(query.where(*where).group_by(column)).all()}


def _stakeholders(where: list[ColumnElement[bool]], exact: bool) -> dict[str, int]:
    """Voices by type of stakeholder. In the public's figures an anonymous comment is counted as such: its
    author's organisation, and so its type, is not published, not even as a number."""
    found: dict[str, int] = {}
    for publication, kind, n in db.session.execute(
        select(Comment.publication, Organisation.type, func.count())
        .select_from(Comment)
        .outerjoin(Organisation, Organisation.id == Comment.organisation_id)
        .where(*where)
        .group_by(Comment.publication, Organisation.type)
    ).all():
        if not exact and publication not in SHOWS_ORGANISATION:
            key = ANONYMOUS
        else:
            key = kind.value if kind else INDIVIDUALS
        found[key] = found.get(key, 0) + n
    return found


def round_figures(round_id: int, exact: bool = False) -> Figures:
    """Every figure of a round, in a handful of queries whatever its size: the public's, or staff's."""
    scope = moderated_input if exact else readable_input
    counted = scope(round_id)
    where = [*counted, first_of_campaign(round_id, scope)]
    found = Figures(exact=exact)
    # The public's organisations are those the published comments name; an anonymous one names none.
    organisation = (
        Comment.organisation_id
        if exact
        else case((Comment.publication.in_(SHOWS_ORGANISATION), Comment.organisation_id))
    )
    found.comments, found.organisations = db.session.execute(
        select(func.count(), func.count(organisation.distinct())).select_from(Comment).where(*counted)
    ).one()
    if exact:
        found.participants = db.session.scalar(
            select(func.count(Comment.author_id.distinct())).where(*counted)
        )
    found.voices = db.session.scalar(select(func.count()).select_from(Comment).where(*where))
    found.campaigns = campaign_sizes(round_id, scope)
    found.by_stakeholder = _stakeholders(where, exact)
    cluster = func.coalesce(Comment.cluster_id, Recommendation.cluster_id, Action.cluster_id)
    clusters = _grouped(
        cluster,
        where,
        (Recommendation, Recommendation.id == Comment.recommendation_id),
        (Action, Action.id == Comment.action_id),
    )
    found.by_cluster = {(key if key is not None else NO_CLUSTER): n for key, n in clusters.items()}
    found.by_language = _grouped(Comment.language, where)
    found.by_target = {kind.value: n for kind, n in _grouped(Comment.target_type, where).items()}
    for recommendation_id, assessment, n in db.session.execute(
        select(Comment.recommendation_id, Comment.assessment, func.count())
        .where(*where, Comment.target_type == TargetType.recommendation, Comment.assessment.is_not(None))
        .group_by(Comment.recommendation_id, Comment.assessment)
    ).all():
        found.assessments.setdefault(recommendation_id, {})[assessment.value] = n
    return found


def public_note() -> str:
    """What the public's figures count, as every surface that publishes them says."""
    return _(
        "These figures count the comments published for everyone to read, once the round has closed: "
        "nothing confidential, hidden or awaiting moderation. Anonymous comments are counted apart, with no "
        "organisation, and no figure counts people."
    )


@dataclass
class Row:
    """One line of a breakdown: what it counts, in the reader's language, and how many."""

    key: str
    label: str
    count: int
    share: float


def _rows(counts: dict[Any, int], labels: dict[Any, str]) -> list[Row]:
    """A breakdown as rows, largest first, each with its share of the total."""
    total = sum(counts.values()) or 1
    rows = [Row(str(key), str(labels.get(key, key)), n, n / total) for key, n in counts.items()]
    return sorted(rows, key=lambda row: (-row.count, row.label))


def labelled(found: Figures, language: str) -> dict[str, Any]:
    """The breakdowns as labelled rows for one language: what tables, charts, reports and exports show."""
    stakeholder_labels = {kind.value: kind.label for kind in OrganisationType} | {
        INDIVIDUALS: INDIVIDUALS_LABEL,
        ANONYMOUS: ANONYMOUS_LABEL,
    }
    cluster_ids = [key for key in found.by_cluster if key != NO_CLUSTER]
    clusters = {c.id: c for c in db.session.scalars(select(Cluster).where(Cluster.id.in_(cluster_ids)))}
    cluster_labels = {
        key: f"{c.code} {localized(c.title, language)}".strip() for key, c in clusters.items()
    } | {NO_CLUSTER: NO_CLUSTER_LABEL}
    recommendations = {
        r.id: r
        for r in db.session.scalars(
            select(Recommendation).where(Recommendation.id.in_(list(found.assessments)))
        )
    }
    assessments = []
    for recommendation_id, counts in found.assessments.items():
        recommendation = recommendations.get(recommendation_id)
        label = _recommendation_label(recommendation) if recommendation else str(recommendation_id)
        assessments.append(
            {
                "recommendation_id": recommendation_id,
                "label": label,
                "counts": [(a.value, str(a.label), counts.get(a.value, 0)) for a in Assessment],
                "total": sum(counts.values()),
            }
        )
    assessments.sort(key=lambda item: (-item["total"], item["label"]))
    return {
        "stakeholders": _rows(found.by_stakeholder, stakeholder_labels),
        "clusters": _rows(found.by_cluster, cluster_labels),
        "languages": _rows(found.by_language, {code: language_name(code) for code in found.by_language}),
        "targets": _rows(found.by_target, {kind.value: kind.label for kind in TargetType}),
        "assessments": assessments,
    }


def _recommendation_label(recommendation: Recommendation) -> str:
    """A recommendation named as the UN documents name it: symbol and paragraph."""
    parts = [recommendation.symbol or "", recommendation.paragraph or ""]
    return " ".join(part for part in parts if part) or f"#{recommendation.id}"


@dataclass
class Shown:
    """A line of a breakdown as a surface shows it: a count that may be withheld, and its share if both it and
    the total are published."""

    key: str
    label: str
    count: Count
    share: float | None


#: The headline figures, in the order pages and reports give them.
TOTALS = ("voices", "comments", "participants", "organisations", "campaigns", "supporters")


def _shown_rows(rows: list[Row], total: Count, k: int, exact: bool) -> list[Shown]:
    """A breakdown as published (its counts protected against its total) or, on a staff screen, exactly.
    Published, withheld lines come last in the order of their labels: an order by size would place them."""
    if exact:
        return [Shown(r.key, r.label, disclosure.exact(r.count), r.share) for r in rows]
    marks, _total = disclosure.protect([r.count for r in rows], total.value or 0, k, total_mark=total.mark)
    shown = [
        Shown(r.key, r.label, c, disclosure.share(c, total))
        for r, c in zip(rows, disclosure.counts([r.count for r in rows], marks), strict=True)
    ]
    return sorted(shown, key=lambda row: (not row.count.shown, -(row.count.value or 0), row.label))


def _shown_assessments(items: list[dict], k: int, exact: bool) -> list[dict]:
    """Each recommendation's assessments as published: a row with its total, protected like a breakdown."""
    found = []
    for item in items:
        values = [n for _value, _label, n in item["counts"]]
        if exact:
            counts, total = [disclosure.exact(n) for n in values], disclosure.exact(item["total"])
        else:
            marks, total_mark = disclosure.protect(values, item["total"], k)
            counts, total = disclosure.counts(values, marks), disclosure.count(item["total"], total_mark)
        found.append(
            item
            | {
                "counts": [(v, label, c) for (v, label, _n), c in zip(item["counts"], counts, strict=True)],
                "total": total,
            }
        )
    if exact:
        return found
    return sorted(
        found, key=lambda item: (not item["total"].shown, -(item["total"].value or 0), item["label"])
    )


def published(found: Figures, breakdowns: dict[str, Any]) -> dict[str, Any]:
    """The figures as a surface shows them: the public's, small counts withheld (consult/disclosure.py), or a
    staff screen's, exact and marked so, as `found` was counted. Pages, charts, reports and exports all take
    them from here."""
    k = disclosure.threshold()
    exact = found.exact
    supporters = sum(n for _campaign, n in found.campaigns)
    if exact:
        totals = {
            name: disclosure.exact(n)
            for name, n in (
                ("voices", found.voices),
                ("comments", found.comments),
                ("participants", found.participants),
                ("organisations", found.organisations),
                ("campaigns", len(found.campaigns)),
                ("supporters", supporters),
            )
        }
    else:
        comments, supporters_mark = disclosure.headline(
            found.comments, found.voices, [n for _campaign, n in found.campaigns], k
        )
        # No count of people: it would tell whether an anonymous comment's author also wrote a named one.
        totals = {
            "voices": disclosure.count(found.voices, k=k),
            "comments": disclosure.count(found.comments, comments),
            "organisations": disclosure.count(found.organisations, k=k),
            # A campaign is a text, not a person: how many there were is no one's secret.
            "campaigns": disclosure.count(len(found.campaigns), Mark.shown),
            "supporters": disclosure.count(supporters, supporters_mark),
        }
    voices = totals["voices"]
    return {
        "exact": exact,
        "counted": None if exact else public_note(),
        "totals": totals,
        "breakdowns": {
            **{
                name: _shown_rows(breakdowns[name], voices, k, exact)
                for name in ("stakeholders", "clusters", "languages", "targets")
            },
            "assessments": _shown_assessments(breakdowns["assessments"], k, exact),
        },
    }
