"""What the summariser works with: the parts of a round a point may be about, and the quotable input."""

from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, literal, or_, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from consult.accounts.permissions import is_coordinator
from consult.comments.models import TARGET_COLUMNS, Comment, TargetType
from consult.comments.public import one_voice, public_conditions, public_order
from consult.comments.targets import Target, key_of, targets_of
from consult.database import as_id, utcnow
from consult.extensions import db
from consult.rounds.models import Round
from consult.rounds.services import scope_of
from consult.summaries.models import (
    Summary,
    SummarySection,
)
from consult.summaries.services.drafting import SUMMARISING_STATES
from consult.summaries.services.reading import Entry, about, entries

#: How much of a target's text a choice shows after its symbol.
CHOICE_TEXT = 120


def scope_targets(round_: Round) -> list[tuple[TargetType, int | None]]:
    """Every part of a round a point may be about, in the order of its scope: the round as a whole, its
    clusters, recommendations, actions, guiding questions and documents' paragraphs."""
    scope = scope_of(round_)
    found: list[tuple[TargetType, int | None]] = [(TargetType.round, None)]
    found += [(TargetType.cluster, c.id) for c in scope["clusters"]]
    recommendations = [r for c in scope["clusters"] for r in c.recommendations] + scope["recommendations"]
    found += [(TargetType.recommendation, r.id) for r in recommendations]
    actions = [a for c in scope["clusters"] for a in c.actions] + scope["actions"]
    found += [(TargetType.action, a.id) for a in actions]
    found += [(TargetType.question, q.id) for q in round_.questions]
    found += [(TargetType.paragraph, p.id) for d in round_.documents for p in d.paragraphs]
    return found


def pointer(target_type: TargetType, target_id: int | None) -> SimpleNamespace:
    """A stand-in for a comment about a target, which consult.comments.targets can name."""
    column = TARGET_COLUMNS.get(target_type)
    return SimpleNamespace(target_type=target_type, **({column: target_id} if column else {}))


def section_targets(sections: list[SummarySection], language: str) -> dict[int, Target]:
    """What each point is about, by the point's id: one query per kind of target."""
    named = targets_of(sections, language)
    return {section.id: named[key_of(section)] for section in sections}


def content_targets(contents: list[dict[str, Any]]) -> dict[int, Target]:
    """What each point of published (or previewed) summaries is about, by the point's id, named in its
    summary's language: one query per kind of target and language. A point frozen without its target (an
    old version) is left out: it shows the label it was published with."""
    by_language: dict[str, list[tuple[int, SimpleNamespace]]] = {}
    for content in contents:
        for section in content.get("sections", []):
            if section.get("target_type") in TargetType._value2member_map_ and "id" in section:
                thing = pointer(TargetType(section["target_type"]), section.get("target_id"))
                by_language.setdefault(content.get("language") or "en", []).append((section["id"], thing))
    found: dict[int, Target] = {}
    for language, points in by_language.items():
        named = targets_of([thing for _id, thing in points], language)
        found |= {section_id: named[key_of(thing)] for section_id, thing in points}
    return found


def target_choices(round_: Round, language: str) -> list[tuple[str, str]]:
    """Every part of a round a point may be about, as (type:id, symbol · text) pairs for a select: one
    query per kind of target."""
    wanted = [pointer(*target) for target in scope_targets(round_)]
    named = targets_of(wanted, language)
    found = []
    for thing in wanted:
        target = named[key_of(thing)]
        text = target.text if len(target.text) <= CHOICE_TEXT else target.text[: CHOICE_TEXT - 1] + "…"
        label = " · ".join(part for part in (target.symbol, text) if part)
        found.append((f"{target.kind.value}:{target.id if target.id is not None else ''}", label))
    return found


def parse_target(value: str) -> tuple[TargetType, int | None] | None:
    """A select's type:id back into a target, or None if it is not one."""
    kind, _sep, ident = (value or "").partition(":")
    if kind not in TargetType._value2member_map_:
        return None
    if kind == TargetType.round.value:
        return (TargetType.round, None) if not ident else None
    number = as_id(ident)
    return (TargetType(kind), number) if number is not None else None


def public_ids(summary: Summary) -> dict[int, str]:
    """The public id of each comment the summary's points quote, by row id: what the editor names a
    quotation's comment by (row ids would show in what order the input was sent)."""
    cited = {c.comment_id for s in summary.sections for c in s.citations}
    if not cited:
        return {}
    rows = db.session.execute(select(Comment.id, Comment.public_id).where(Comment.id.in_(cited)))
    return {ident: public_id for ident, public_id in rows}


def by_row_id(round_id: int, typed: dict[str, Any]) -> dict[int, Any]:
    """What was sent for each comment by its public id, keyed by the comment's row id instead (for the
    services); a public id that names no public comment of the round is dropped."""
    if not typed:
        return {}
    rows = db.session.execute(
        select(Comment.public_id, Comment.id).where(
            Comment.public_id.in_(list(typed)), Comment.round_id == round_id, *public_conditions()
        )
    )
    return {ident: typed[public_id] for public_id, ident in rows}


#: How many comments the editor lists under each point; the round's page has them all.
CITABLE_PER_SECTION = 50


def citable_for(summary: Summary, language: str) -> dict[int, list[Entry]]:
    """For each point, the public comments about its target that may be quoted (about a cluster: about its
    recommendations and actions too), newest first, at most CITABLE_PER_SECTION a point: one statement for
    every point (a bounded branch per point, in a UNION ALL), then a few for the comments and what the
    summariser sorts them by, however many points the summary has."""
    branches = []
    for section in summary.sections:
        column = TARGET_COLUMNS.get(section.target_type)
        branch = (
            select(
                Comment.id.label("comment_id"),
                literal(section.id).label("section_id"),
                func.row_number().over(order_by=public_order()).label("rank"),
            )
            .where(
                Comment.round_id == summary.round_id,
                *public_conditions(),
                one_voice(),
                about(section.target_type, getattr(section, column) if column else None),
            )
            .order_by(*public_order())
            .limit(CITABLE_PER_SECTION)
        )
        branches.append(select(branch.subquery()))
    if not branches:
        return {}
    rows = db.session.execute(union_all(*branches)).all()
    comments = list(
        db.session.scalars(
            select(Comment)
            .where(Comment.id.in_({row.comment_id for row in rows}))
            .options(joinedload(Comment.author).lazyload("*"), joinedload(Comment.organisation))
        )
    )
    by_id = {entry.comment.id: entry for entry in entries(summary, comments, language)}
    found: dict[int, list[Entry]] = {section.id: [] for section in summary.sections}
    for row in sorted(rows, key=lambda row: (row.section_id, row.rank)):
        found[row.section_id].append(by_id[row.comment_id])
    return found


def summaries_of(round_id: int) -> list[Summary]:
    """Every summary of a round, drafts included, with its points and quotations (for its summarisers)."""
    return list(
        db.session.scalars(
            select(Summary)
            .where(Summary.round_id == round_id)
            .options(
                selectinload(Summary.versions),
                selectinload(Summary.sections).selectinload(SummarySection.citations),
            )
            .order_by(Summary.id)
        )
    )


def rounds_to_summarise(user: Any) -> list[tuple[Round, list[Summary]]]:
    """The rounds a person summarises (a coordinator: every round that has closed, or has a summary), newest
    first, each with its summaries, drafts included."""
    if is_coordinator(user):
        with_summary = select(Summary.round_id)
        query = select(Round).where(
            or_(Round.state.in_(SUMMARISING_STATES), Round.closes_at <= utcnow(), Round.id.in_(with_summary))
        )
    else:
        query = select(Round).where(Round.id.in_([named.round_id for named in user.summariser_of]))
    rounds = list(db.session.scalars(query.order_by(Round.closes_at.desc(), Round.id.desc())))
    summaries: dict[int, list[Summary]] = {round_.id: [] for round_ in rounds}
    for summary in db.session.scalars(
        select(Summary)
        .where(Summary.round_id.in_(list(summaries)))
        .options(selectinload(Summary.versions))
        .order_by(Summary.id)
    ):
        summaries[summary.round_id].append(summary)
    return [(round_, summaries[round_.id]) for round_ in rounds]
