"""What a comment (or a summary's point) is about, named the same way on every surface: the target's symbol
(the recommendation's document symbol and paragraph, an action's or a cluster's code, a document's title and
paragraph number) and its text, in the reader's language. Lists name many targets in a few queries."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from consult.comments.models import TARGET_COLUMNS, TargetType
from consult.extensions import db
from consult.i18n import current_language, localized
from consult.plan.browsing import text_for
from consult.plan.models import Action, Cluster, Recommendation
from consult.rounds.editing import corrected_since
from consult.rounds.models import DocumentParagraph, GuidingQuestion

MODELS = {
    TargetType.question: GuidingQuestion,
    TargetType.cluster: Cluster,
    TargetType.recommendation: Recommendation,
    TargetType.action: Action,
    TargetType.paragraph: DocumentParagraph,
}


def _options(target_type: TargetType) -> list:
    """What is loaded with each kind of target, so that naming it reads nothing more."""
    if target_type is TargetType.recommendation:
        return [selectinload(Recommendation.texts)]
    if target_type is TargetType.paragraph:
        return [selectinload(DocumentParagraph.document)]
    return []


@dataclass(frozen=True)
class Target:
    """A target as people read it: its kind, its symbol (empty for the round as a whole and for a
    question) and its text, which may be long (templates shorten it where a line is all there is)."""

    kind: TargetType
    id: int | None
    symbol: str
    text: str
    #: The public page of the target, when it has one.
    url: str | None = None

    @property
    def label(self) -> str:
        """Symbol and text on one line, for a select or a plain-text e-mail."""
        return " · ".join(part for part in (self.symbol, self.text) if part)


def target_id_of(thing) -> int | None:
    """The id of what a comment or a summary's point is about (None for the round as a whole)."""
    column = TARGET_COLUMNS.get(thing.target_type)
    return getattr(thing, column) if column else None


def describe(target_type: TargetType, found, language: str | None = None) -> Target:
    """A loaded target (None for the round as a whole, or one since deleted) named in language."""
    language = language or current_language()
    if target_type is TargetType.round:
        return Target(target_type, None, "", _("The round as a whole"))
    if found is None:
        return Target(target_type, None, "", str(target_type.label))
    if target_type is TargetType.recommendation:
        symbol = " ".join(part for part in (found.symbol, found.paragraph) if part) or found.body
        url = url_for("summaries.show_recommendation", recommendation_id=found.id)
        return Target(target_type, found.id, symbol, text_for(found, language)[1], url)
    if target_type is TargetType.question:
        return Target(target_type, found.id, "", localized(found.text, language))
    if target_type is TargetType.paragraph:
        symbol = _("para. %(number)d", number=found.number)
        document = localized(found.document.title, language)
        return Target(target_type, found.id, f"{document}, {symbol}", found.text)
    endpoint = "plan.show_cluster" if target_type is TargetType.cluster else "plan.show_action"
    key = "cluster_id" if target_type is TargetType.cluster else "action_id"
    url = url_for(endpoint, **{key: found.id})
    return Target(target_type, found.id, found.code, localized(found.title, language), url)


def target_of(thing, language: str | None = None) -> Target:
    """What one comment or summary point is about."""
    target_id = target_id_of(thing)
    if thing.target_type is TargetType.round or target_id is None:
        return describe(thing.target_type, None, language)
    model = MODELS[thing.target_type]
    return describe(
        thing.target_type, db.session.get(model, target_id, options=_options(thing.target_type)), language
    )


def targets_of(things: Iterable, language: str | None = None) -> dict[tuple[TargetType, int | None], Target]:
    """What each of many comments or points is about, keyed by (target type, target id): one query per kind
    of target, however many there are. Look one up with `targets[key_of(thing)]`."""
    things = list(things)
    wanted: dict[TargetType, set[int]] = defaultdict(set)
    for thing in things:
        target_id = target_id_of(thing)
        if thing.target_type is not TargetType.round and target_id is not None:
            wanted[thing.target_type].add(target_id)
    loaded = {}
    for target_type, ids in wanted.items():
        model = MODELS[target_type]
        query = select(model).where(model.id.in_(ids)).options(*_options(target_type))
        loaded |= {(target_type, row.id): row for row in db.session.scalars(query)}
    return {
        key_of(thing): describe(thing.target_type, loaded.get(key_of(thing)), language) for thing in things
    }


def key_of(thing) -> tuple[TargetType, int | None]:
    """The key of a comment's or point's target in what targets_of returns."""
    return thing.target_type, target_id_of(thing)


@dataclass(frozen=True)
class AskedAs:
    """The wording of a guiding question that a comment answered, when the question was corrected since."""

    wording: str
    #: Corrected the day the comment was sent: it may have answered either wording (times are not shown).
    same_day: bool


def as_asked(comments: Iterable, language: str | None = None) -> dict[int, AskedAs]:
    """For each comment on a guiding question corrected since it was sent: the wording it answered, in the
    reader's language, by comment id (one query). Days only, as every public surface: a comment sent the day
    of a correction is said to be of that day, never before or after it."""
    language = language or current_language()
    days = {
        comment.id: (comment.question_id, comment.submitted_at.date())
        for comment in comments
        if comment.target_type is TargetType.question and comment.submitted_at is not None
    }
    corrections = corrected_since(days.values())
    return {
        comment_id: AskedAs(localized(change.before, language), change.changed_at.date() == asked[1])
        for comment_id, asked in days.items()
        if (change := corrections.get(asked)) is not None
    }
