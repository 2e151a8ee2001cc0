"""The figures beside a summary: who took part and what they said, computed from the moderated input.

The moderated input is every comment a moderator let through (state published), confidential ones
included: they are counted, never shown. A campaign is one voice: its members count once, through its
representative, and the number of its supporters is given beside. Each breakdown is one GROUP BY, so a
round of 100,000 comments costs a handful of queries (`python -m bench figures`).
"""

from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, func, or_, select

from consult import disclosure
from consult.comments.models import Assessment, Comment, CommentState, TargetType
from consult.disclosure import Count, Mark
from consult.extensions import db
from consult.i18n import language_name, localized
from consult.moderation.models import Campaign
from consult.organisations.models import Organisation, OrganisationType
from consult.plan.models import Action, Cluster, Recommendation

#: The bucket of comments from people who spoke for no organisation, and of comments on no cluster.
INDIVIDUALS = "individual"
NO_CLUSTER = ""

INDIVIDUALS_LABEL = _l("Individuals")
NO_CLUSTER_LABEL = _l("The round as a whole, questions and documents")


@dataclass
class Figures:
    """A round's participation in numbers; keys only, labelled for a language by `labelled`."""

    #: Every moderated comment, each member of a campaign included.
    comments: int = 0
    #: The comments with a campaign counted once: what the breakdowns count.
    voices: int = 0
    #: The people and organisations who took part, campaigns' supporters included.
    participants: int = 0
    organisations: int = 0
    #: (campaign id, supporters) for each campaign, largest first.
    campaigns: list[tuple[int, int]] = field(default_factory=list)
    by_stakeholder: dict[str, int] = field(default_factory=dict)
    by_cluster: dict[int | str, int] = field(default_factory=dict)
    by_language: dict[str, int] = field(default_factory=dict)
    by_target: dict[str, int] = field(default_factory=dict)
    #: recommendation id → {assessment value: voices}
    assessments: dict[int, dict[str, int]] = field(default_factory=dict)


def _moderated(round_id: int) -> list[ColumnElement[bool]]:
    """The moderated input of a round, a campaign counted once."""
    representatives = select(Campaign.representative_id).where(Campaign.round_id == round_id)
    return [
        Comment.round_id == round_id,
        Comment.state == CommentState.published,
        or_(Comment.campaign_id.is_(None), Comment.id.in_(representatives)),
    ]


def _grouped(column: Any, where: list, *joins: tuple) -> dict[Any, int]:
    """Voices per value of column."""
    query = select(column, func.count()).select_from(Comment)
    for target, on in joins:
        query = query.outerjoin(target, on)
    return {key: n for key, n in db.session.execute(query.where(*where).group_by(column)).all()}


def round_figures(round_id: int) -> Figures:
    """Every figure of a round, in seven queries whatever its size."""
    where = _moderated(round_id)
    found = Figures()
    moderated = [Comment.round_id == round_id, Comment.state == CommentState.published]
    found.comments, found.participants, found.organisations = db.session.execute(
        select(
            func.count(),
            func.count(Comment.author_id.distinct()),
            func.count(Comment.organisation_id.distinct()),
        )
        .select_from(Comment)
        .where(*moderated)
    ).one()
    found.voices = db.session.scalar(select(func.count()).select_from(Comment).where(*where))
    found.campaigns = sorted(
        (
            (campaign, n)
            for campaign, n in db.session.execute(
                select(Comment.campaign_id, func.count())
                .where(*moderated, Comment.campaign_id.is_not(None))
                .group_by(Comment.campaign_id)
            ).all()
        ),
        key=lambda item: (-item[1], item[0]),
    )
    stakeholders = _grouped(
        Organisation.type, where, (Organisation, Organisation.id == Comment.organisation_id)
    )
    found.by_stakeholder = {(kind.value if kind else INDIVIDUALS): n for kind, n in stakeholders.items()}
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
        INDIVIDUALS: INDIVIDUALS_LABEL
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


def published(found: Figures, breakdowns: dict[str, Any], exact: bool = False) -> dict[str, Any]:
    """The figures as a surface shows them: the public's, small counts withheld (consult/disclosure.py), or a
    staff screen's, exact and marked so. Pages, charts, reports and exports all take them from here."""
    k = disclosure.threshold()
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
        totals = {
            "voices": disclosure.count(found.voices, k=k),
            "comments": disclosure.count(found.comments, comments),
            "participants": disclosure.count(found.participants, k=k),
            "organisations": disclosure.count(found.organisations, k=k),
            # A campaign is a text, not a person: how many there were is no one's secret.
            "campaigns": disclosure.count(len(found.campaigns), Mark.shown),
            "supporters": disclosure.count(supporters, supporters_mark),
        }
    voices = totals["voices"]
    return {
        "exact": exact,
        "totals": totals,
        "breakdowns": {
            **{
                name: _shown_rows(breakdowns[name], voices, k, exact)
                for name in ("stakeholders", "clusters", "languages", "targets")
            },
            "assessments": _shown_assessments(breakdowns["assessments"], k, exact),
        },
    }
