"""What the summariser works with: the parts of a round a point may be about, and the quotable input."""

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from consult.comments.models import TARGET_COLUMNS, Comment, TargetType
from consult.comments.public import one_voice, public_conditions, public_order
from consult.database import as_id
from consult.extensions import db
from consult.i18n import localized
from consult.rounds.models import Round
from consult.rounds.services import scope_of
from consult.summaries.models import (
    Summary,
    SummarySection,
)
from consult.summaries.services.drafting import target_label


def target_choices(round_: Round, language: str) -> list[tuple[str, str]]:
    """Every part of a round a point may be about, as (type:id, label) pairs for a select."""
    scope = scope_of(round_)
    found = [(f"{TargetType.round.value}:", target_label(TargetType.round, None, language))]
    for cluster in scope["clusters"]:
        found.append((f"cluster:{cluster.id}", target_label(TargetType.cluster, cluster.id, language)))
    recommendations = [r for c in scope["clusters"] for r in c.recommendations] + scope["recommendations"]
    for recommendation in recommendations:
        label = target_label(TargetType.recommendation, recommendation.id, language)
        found.append((f"recommendation:{recommendation.id}", label))
    actions = [a for c in scope["clusters"] for a in c.actions] + scope["actions"]
    for action in actions:
        found.append((f"action:{action.id}", target_label(TargetType.action, action.id, language)))
    for question in round_.questions:
        found.append((f"question:{question.id}", localized(question.text, language)))
    for document in round_.documents:
        for paragraph in document.paragraphs:
            found.append(
                (f"paragraph:{paragraph.id}", target_label(TargetType.paragraph, paragraph.id, language))
            )
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


#: How many comments the editor lists under each point; the round's page has them all.
CITABLE_PER_SECTION = 50


def citable_for(sections: list[SummarySection]) -> dict[int, list[Comment]]:
    """For each point, the public comments about its target that may be quoted, newest first, at most
    CITABLE_PER_SECTION a point: one statement for every point (a bounded branch per point, in a UNION ALL),
    then one for the comments, however many points the summary has."""
    branches = []
    for section in sections:
        column = TARGET_COLUMNS.get(section.target_type)
        branch = (
            select(
                Comment.id.label("comment_id"),
                literal(section.id).label("section_id"),
                func.row_number().over(order_by=public_order()).label("rank"),
            )
            .where(
                Comment.round_id == section.summary.round_id,
                Comment.target_type == section.target_type,
                *public_conditions(),
                one_voice(),
            )
            .order_by(*public_order())
            .limit(CITABLE_PER_SECTION)
        )
        if column:
            branch = branch.where(getattr(Comment, column) == getattr(section, column))
        branches.append(select(branch.subquery()))
    if not branches:
        return {}
    rows = db.session.execute(union_all(*branches)).all()
    comments = {
        comment.id: comment
        for comment in db.session.scalars(
            select(Comment)
            .where(Comment.id.in_({row.comment_id for row in rows}))
            .options(joinedload(Comment.author).lazyload("*"), joinedload(Comment.organisation))
        )
    }
    found: dict[int, list[Comment]] = {section.id: [] for section in sections}
    for row in sorted(rows, key=lambda row: (row.section_id, row.rank)):
        found[row.section_id].append(comments[row.comment_id])
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
