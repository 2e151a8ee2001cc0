"""The summariser's reading list: the round's published input about a point's target (a cluster's points
read what was said about its recommendations and actions too), filtered by target, language, stakeholder
type, campaign, tag, "not yet cited" and words in the text, campaign members' own additions included; and
the tags summarisers put on comments as working notes (never public)."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import joinedload

from consult import audit
from consult.comments.models import TARGET_COLUMNS, Comment, TargetType
from consult.comments.public import one_voice, public_conditions, public_order
from consult.comments.targets import Target, key_of, targets_of
from consult.database import casefold
from consult.errors import DomainError
from consult.extensions import db
from consult.moderation.campaigns import normalise
from consult.organisations.models import Organisation
from consult.plan.models import Action, Recommendation
from consult.summaries.figures import ANONYMOUS, INDIVIDUALS, SHOWS_ORGANISATION
from consult.summaries.models import MAX_TAG, Citation, CommentTag, Summary, SummarySection

#: What names a comment in what was typed: its row id (services) or its public id (forms).
K = TypeVar("K", int, str)

#: How many comments the reading list shows at once; the count says how many match.
READING_LIST_SIZE = 100
#: How many tags one comment may carry in one summary.
MAX_TAGS = 12


@dataclass(frozen=True)
class Filters:
    """What the reading list is narrowed to; None (or False) leaves a filter out."""

    target: tuple[TargetType, int | None] | None = None
    language: str | None = None
    #: An OrganisationType value, "individual" or "anonymous": the type the public is told.
    stakeholder: str | None = None
    #: "only": campaigns only; "none": no campaign.
    campaign: str | None = None
    tag: str | None = None
    uncited: bool = False
    search: str | None = None


@dataclass
class Entry:
    """A comment of the reading list with what the summariser sorts it by."""

    comment: Comment
    target: Target
    #: The stakeholder type the public is told (anonymous input has none).
    stakeholder: str
    tags: list[str] = field(default_factory=list)
    #: The positions (from 1) of the points of this summary that quote it.
    cited_in: list[int] = field(default_factory=list)
    #: The campaign's letters, the representative included (0: no campaign).
    supporters: int = 0
    #: (member comment, the lines it added to the campaign's letter), for members who added something.
    additions: list[tuple[Comment, str]] = field(default_factory=list)


def about(target_type: TargetType, target_id: int | None) -> ColumnElement[bool]:
    """Comments about a target; about a cluster, also those about its recommendations and actions."""
    column = TARGET_COLUMNS.get(target_type)
    if column is None:
        return Comment.target_type == target_type
    own = and_(Comment.target_type == target_type, getattr(Comment, column) == target_id)
    if target_type is not TargetType.cluster:
        return own
    return or_(
        own,
        and_(
            Comment.target_type == TargetType.recommendation,
            Comment.recommendation_id.in_(
                select(Recommendation.id).where(Recommendation.cluster_id == target_id)
            ),
        ),
        and_(
            Comment.target_type == TargetType.action,
            Comment.action_id.in_(select(Action.id).where(Action.cluster_id == target_id)),
        ),
    )


def _text() -> ColumnElement[str]:
    """A comment's text as the public reads it (redacted where a moderator redacted)."""
    return func.coalesce(Comment.public_body, Comment.body)


def _matching(words: str) -> ColumnElement[bool]:
    """Comments whose public text holds the words, or whose campaign has a member whose own text does."""
    wanted = casefold(_text()).contains(words.casefold(), autoescape=True)
    members = select(Comment.campaign_id).where(
        Comment.campaign_id.is_not(None), wanted, *public_conditions()
    )
    return or_(wanted, Comment.campaign_id.in_(members.scalar_subquery()))


def _of_stakeholder(kind: str) -> ColumnElement[bool]:
    """Comments of a stakeholder type as the public is told it: anonymous input is only "anonymous"."""
    if kind == ANONYMOUS:
        return Comment.publication.not_in(SHOWS_ORGANISATION)
    shown = Comment.publication.in_(SHOWS_ORGANISATION)
    if kind == INDIVIDUALS:
        return and_(shown, Comment.organisation_id.is_(None))
    typed = select(Organisation.id).where(Organisation.type == kind)
    return and_(shown, Comment.organisation_id.in_(typed))


def conditions(summary: Summary, filters: Filters) -> list[ColumnElement[bool]]:
    """The WHERE clauses of a summary's reading list: the round's public input, a campaign as one voice."""
    found = [Comment.round_id == summary.round_id, *public_conditions(), one_voice()]
    if filters.target is not None:
        found.append(about(*filters.target))
    if filters.language:
        found.append(Comment.language == filters.language)
    if filters.stakeholder:
        found.append(_of_stakeholder(filters.stakeholder))
    if filters.campaign in ("only", "none"):
        found.append(
            Comment.campaign_id.is_not(None) if filters.campaign == "only" else Comment.campaign_id.is_(None)
        )
    if filters.tag:
        tagged = select(CommentTag.comment_id).where(
            CommentTag.summary_id == summary.id, CommentTag.name == filters.tag
        )
        found.append(Comment.id.in_(tagged))
    if filters.uncited:
        found.append(Comment.id.not_in(_cited(summary.id)))
    if filters.search and filters.search.strip():
        found.append(_matching(filters.search.strip()))
    return found


def _cited(summary_id: int):
    """The ids of the comments a summary's points quote."""
    return (
        select(Citation.comment_id)
        .join(SummarySection, SummarySection.id == Citation.section_id)
        .where(SummarySection.summary_id == summary_id)
    )


def reading_list(summary: Summary, filters: Filters, language: str) -> tuple[list[Entry], int]:
    """The comments the summariser reads, newest first (at most READING_LIST_SIZE), and how many match."""
    where = conditions(summary, filters)
    total = db.session.scalar(select(func.count()).select_from(Comment).where(*where)) or 0
    comments = list(
        db.session.scalars(
            select(Comment)
            .where(*where)
            .options(joinedload(Comment.author).lazyload("*"), joinedload(Comment.organisation))
            .order_by(*public_order())
            .limit(READING_LIST_SIZE)
        )
    )
    return entries(summary, comments, language), total


def entries(summary: Summary, comments: list[Comment], language: str) -> list[Entry]:
    """The comments with their target, stakeholder type, tags, citations and campaign: a few queries
    however many there are."""
    ids = [c.id for c in comments]
    targets = targets_of(comments, language)
    tags = tags_of(summary.id, ids)
    cited: dict[int, list[int]] = defaultdict(list)
    for comment_id, position in db.session.execute(
        select(Citation.comment_id, SummarySection.position)
        .join(SummarySection, SummarySection.id == Citation.section_id)
        .where(SummarySection.summary_id == summary.id, Citation.comment_id.in_(ids))
        .order_by(SummarySection.position)
    ):
        cited[comment_id].append(position + 1)
    members = _members([c.campaign_id for c in comments if c.campaign_id is not None])
    found = []
    for comment in comments:
        letters = members.get(comment.campaign_id, []) if comment.campaign_id else []
        found.append(
            Entry(
                comment=comment,
                target=targets[key_of(comment)],
                stakeholder=stakeholder_of(comment),
                tags=tags.get(comment.id, []),
                cited_in=cited.get(comment.id, []),
                supporters=len(letters),
                additions=own_additions(comment, letters),
            )
        )
    return found


def stakeholder_of(comment: Comment) -> str:
    """The stakeholder type the public is told a comment comes from."""
    if comment.publication not in SHOWS_ORGANISATION:
        return ANONYMOUS
    return comment.organisation.type.value if comment.organisation is not None else INDIVIDUALS


def _members(campaign_ids: list[int]) -> dict[int, list[Comment]]:
    """The public letters of each campaign, in one query."""
    if not campaign_ids:
        return {}
    found: dict[int, list[Comment]] = defaultdict(list)
    for letter in db.session.scalars(
        select(Comment)
        .where(Comment.campaign_id.in_(set(campaign_ids)), *public_conditions())
        .options(joinedload(Comment.author).lazyload("*"), joinedload(Comment.organisation))
        .order_by(Comment.public_id)  # an order that tells nothing of when each letter was sent
    ):
        found[letter.campaign_id].append(letter)
    return found


def own_additions(representative: Comment, letters: list[Comment]) -> list[tuple[Comment, str]]:
    """What members of a campaign wrote beyond its letter: each member's lines that the letter (as its
    representative reads) does not hold."""
    letter = normalise(representative.public_text)
    found = []
    for member in letters:
        if member.id == representative.id:
            continue
        added = [line.strip() for line in member.public_text.splitlines() if normalise(line) not in letter]
        if added:
            found.append((member, "\n".join(added)))
    return found


def tags_of(summary_id: int, comment_ids: list[int]) -> dict[int, list[str]]:
    """The tags each comment carries in a summary, alphabetically."""
    found: dict[int, list[str]] = defaultdict(list)
    if not comment_ids:
        return found
    for comment_id, name in db.session.execute(
        select(CommentTag.comment_id, CommentTag.name)
        .where(CommentTag.summary_id == summary_id, CommentTag.comment_id.in_(comment_ids))
        .order_by(CommentTag.name)
    ):
        found[comment_id].append(name)
    return found


def tag_names(summary_id: int) -> list[str]:
    """Every tag used in a summary, alphabetically: the tag filter's choices."""
    return list(
        db.session.scalars(
            select(CommentTag.name)
            .where(CommentTag.summary_id == summary_id)
            .distinct()
            .order_by(CommentTag.name)
        )
    )


def parse_tags(text: str | None) -> list[str]:
    """Tags typed as a comma-separated list: trimmed, without repeats, in the order typed."""
    found: list[str] = []
    for part in (text or "").replace("،", ",").replace("，", ",").split(","):
        name = " ".join(part.split())
        if name and name not in found:
            found.append(name)
    return found


def tag_errors(typed: dict[K, list[str]]) -> dict[K, str]:
    """What is wrong with the tags typed for each comment, by the same key (nothing: an empty dict)."""
    found = {}
    for comment_id, names in typed.items():
        if len(names) > MAX_TAGS:
            found[comment_id] = _("A comment can carry at most %(n)d tags.", n=MAX_TAGS)
        elif any(len(name) > MAX_TAG for name in names):
            found[comment_id] = _("A tag can be at most %(n)d characters.", n=MAX_TAG)
    return found


def set_tags(actor: Any, summary: Summary, typed: dict[int, list[str]]) -> int:
    """Put exactly the tags typed on each comment of the summary's round (none: take them all off); a
    comment the round's page does not show is left alone. How many comments' tags changed."""
    if tag_errors(typed):
        raise DomainError(_("Some tags could not be saved: see below."))
    comments = set(
        db.session.scalars(
            select(Comment.id).where(
                Comment.id.in_(list(typed)), Comment.round_id == summary.round_id, *public_conditions()
            )
        )
    )
    current: dict[int, dict[str, CommentTag]] = defaultdict(dict)
    for tag in db.session.scalars(
        select(CommentTag).where(CommentTag.summary_id == summary.id, CommentTag.comment_id.in_(comments))
    ):
        current[tag.comment_id][tag.name] = tag
    changed = 0
    for comment_id in sorted(comments):
        names, had = typed[comment_id], current[comment_id]
        if set(names) == set(had):
            continue
        for name, tag in had.items():
            if name not in names:
                db.session.delete(tag)
        db.session.add_all(
            CommentTag(summary_id=summary.id, comment_id=comment_id, name=name)
            for name in names
            if name not in had
        )
        audit.record(actor, "summary.tag", summary, after={"comment": comment_id, "tags": names})
        changed += 1
    return changed
