"""Finding recommendations: one filter, used alike by the list page and by every export of it."""

import time
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, fields
from enum import Enum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import joinedload, selectinload

from consult.database import as_id, casefold
from consult.extensions import db
from consult.i18n import localized
from consult.plan.models import (
    Action,
    Cluster,
    ImplementationStatus,
    Indicator,
    Mechanism,
    Position,
    Recommendation,
    RecommendationTag,
    RecommendationText,
    RecommendingState,
    Tag,
    TagVocabulary,
)

#: A search of more words than this is cut: each word is one more condition.
MAX_WORDS = 8


def _enum(enum_class: type[Enum], value: str | None) -> Any:
    return enum_class(value) if value in enum_class._value2member_map_ else None


def _int(value: str | None) -> int | None:
    return as_id(value)


def _text(value: str | None, length: int = 120) -> str | None:
    value = (value or "").strip()[:length]
    return value or None


@dataclass(frozen=True)
class RecommendationFilter:
    """What a person asked for in the list's form; unknown or malformed values are ignored."""

    mechanism: Mechanism | None = None
    body: str | None = None
    cycle: int | None = None
    state_under_review: str | None = None
    recommending_state: str | None = None
    position: Position | None = None
    theme: int | None = None
    affected_group: int | None = None
    sdg: int | None = None
    cluster: int | None = None
    status: ImplementationStatus | None = None
    q: str | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> "RecommendationFilter":
        """Read the filter from a query string."""
        return cls(
            mechanism=_enum(Mechanism, args.get("mechanism")),
            body=_text(args.get("body"), 80),
            cycle=_int(args.get("cycle")),
            state_under_review=_text(args.get("state_under_review"), 80),
            recommending_state=_text(args.get("recommending_state"), 80),
            position=_enum(Position, args.get("position")),
            theme=_int(args.get("theme")),
            affected_group=_int(args.get("affected_group")),
            sdg=_int(args.get("sdg")),
            cluster=_int(args.get("cluster")),
            status=_enum(ImplementationStatus, args.get("status")),
            q=_text(args.get("q"), 200),
        )

    def to_args(self) -> dict[str, str]:
        """The filter as query-string arguments, for links to pages and exports."""
        args = {}
        for name, value in asdict(self).items():
            if value is not None:
                args[name] = value.value if isinstance(value, Enum) else str(value)
        return args

    @property
    def words(self) -> list[str]:
        """The search's words, case-folded."""
        return (self.q or "").casefold().split()[:MAX_WORDS]

    def is_empty(self) -> bool:
        """Whether nothing is filtered."""
        return all(getattr(self, f.name) is None for f in fields(self))


def _has_tag(tag_id: int) -> Any:
    return exists().where(
        RecommendationTag.recommendation_id == Recommendation.id, RecommendationTag.tag_id == tag_id
    )


def filtered(criteria: RecommendationFilter) -> Select:
    """SELECT recommendations matching the filter, newest first (by the primary key: no sort over the whole
    table, however large)."""
    query = select(Recommendation)
    for column, value in (
        (Recommendation.mechanism, criteria.mechanism),
        (Recommendation.body, criteria.body),
        (Recommendation.cycle, criteria.cycle),
        (Recommendation.state_under_review, criteria.state_under_review),
        (Recommendation.position, criteria.position),
        (Recommendation.cluster_id, criteria.cluster),
        (Recommendation.status, criteria.status),
    ):
        if value is not None:
            query = query.where(column == value)
    if criteria.recommending_state:
        query = query.where(
            exists().where(
                RecommendingState.recommendation_id == Recommendation.id,
                RecommendingState.state == criteria.recommending_state,
            )
        )
    for tag_id in (criteria.theme, criteria.affected_group, criteria.sdg):
        if tag_id is not None:
            query = query.where(_has_tag(tag_id))
    for word in criteria.words:
        query = query.where(
            exists().where(
                RecommendationText.recommendation_id == Recommendation.id,
                casefold(RecommendationText.text).contains(word, autoescape=True),
            )
        )
    return query.order_by(Recommendation.id.desc())


def detail_options() -> tuple:
    """Loader options for what a list row shows, so that a page makes a fixed number of queries."""
    return (
        selectinload(Recommendation.texts),
        selectinload(Recommendation.recommending_states),
        selectinload(Recommendation.tags).joinedload(RecommendationTag.tag),
        joinedload(Recommendation.cluster),
    )


def _with_details(query: Select) -> Select:
    return query.options(*detail_options())


def count(criteria: RecommendationFilter) -> int:
    """How many recommendations match."""
    return db.session.scalar(select(func.count()).select_from(filtered(criteria).order_by(None).subquery()))


def page_of(criteria: RecommendationFilter, page: int, per_page: int) -> list[Recommendation]:
    """One page of matching recommendations with what the list shows."""
    query = _with_details(filtered(criteria)).offset((page - 1) * per_page).limit(per_page)
    return list(db.session.scalars(query))


def stream(criteria: RecommendationFilter, batch: int = 500) -> Iterator[Recommendation]:
    """Every matching recommendation in the list's order, a batch at a time, so that memory stays flat."""
    last_id = None
    base = filtered(criteria)
    while True:
        query = base if last_id is None else base.where(Recommendation.id < last_id)
        rows = list(db.session.scalars(_with_details(query).limit(batch)))
        yield from rows
        if len(rows) < batch:
            return
        last_id = rows[-1].id
        db.session.expunge_all()


@dataclass(frozen=True)
class Facets:
    """The choices the filter form offers, as plain values (they outlive the session that read them)."""

    bodies: list[str]
    cycles: list[int]
    states_under_review: list[str]
    recommending_states: list[str]
    #: Vocabulary → [(tag id, code, label by language)].
    tags: dict[TagVocabulary, list[tuple[int, str, dict]]]
    #: [(cluster id, code, title by language)].
    clusters: list[tuple[int, str, dict]]


#: Facets read from the database, with the time they were read: the distinct values of a 40,000-row table
#: cost more than the rest of the page, and change only with an import or an edit of the plan.
_facets_cache: dict[str, tuple[float, Facets]] = {}
FACETS_MAX_AGE = 60.0


def forget_facets() -> None:
    """Drop the cached filter lists (after an import or an edit of clusters or tags)."""
    _facets_cache.clear()


def facets() -> Facets:
    """The values present in the data, for the filter form's lists; cached for a minute at most."""
    cached = _facets_cache.get("facets")
    if cached and time.monotonic() - cached[0] < FACETS_MAX_AGE:
        return cached[1]

    def distinct(column: Any) -> list:
        return list(db.session.scalars(select(column).where(column.is_not(None)).distinct().order_by(column)))

    tags: dict[TagVocabulary, list[tuple[int, str, dict]]] = {vocabulary: [] for vocabulary in TagVocabulary}
    for tag in db.session.execute(select(Tag.id, Tag.vocabulary, Tag.code, Tag.label).order_by(Tag.code)):
        tags[tag.vocabulary].append((tag.id, tag.code, tag.label))
    clusters = db.session.execute(select(Cluster.id, Cluster.code, Cluster.title).order_by(Cluster.position))
    found = Facets(
        bodies=distinct(Recommendation.body),
        cycles=distinct(Recommendation.cycle),
        states_under_review=distinct(Recommendation.state_under_review),
        recommending_states=distinct(RecommendingState.state),
        tags=tags,
        clusters=[tuple(row) for row in clusters],
    )
    _facets_cache["facets"] = (time.monotonic(), found)
    return found


def filter_choices(found: Facets) -> list[tuple[str, Any, list[tuple[Any, str]]]]:
    """The filter form's lists: (parameter, label, [(value, text)…]), in the order the form shows them."""

    def tag_options(vocabulary: TagVocabulary) -> list[tuple[int, str]]:
        return [(ident, localized(label) or code) for ident, code, label in found.tags[vocabulary]]

    clusters = [(ident, code, title) for ident, code, title in found.clusters]
    return [
        ("mechanism", _l("Mechanism"), [(m.value, m.label) for m in Mechanism]),
        ("body", _l("Body"), [(b, b) for b in found.bodies]),
        ("cycle", _l("Cycle"), [(c, c) for c in found.cycles]),
        ("state_under_review", _l("State under review"), [(s, s) for s in found.states_under_review]),
        ("recommending_state", _l("Recommending State"), [(s, s) for s in found.recommending_states]),
        ("position", _l("Position"), [(p.value, p.label) for p in Position]),
        ("theme", _l("Theme"), tag_options(TagVocabulary.theme)),
        ("affected_group", _l("Affected persons"), tag_options(TagVocabulary.affected_group)),
        ("sdg", _l("SDG target"), tag_options(TagVocabulary.sdg)),
        (
            "cluster",
            _l("Thematic cluster"),
            [(i, f"{code} · {localized(title)}") for i, code, title in clusters],
        ),
        ("status", _l("Implementation status"), [(s.value, s.label) for s in ImplementationStatus]),
    ]


def get_recommendation(recommendation_id: int) -> Recommendation | None:
    """A recommendation with everything its page shows."""

    return db.session.scalar(
        _with_details(select(Recommendation).where(Recommendation.id == recommendation_id)).options(
            selectinload(Recommendation.actions)
            .selectinload(Action.indicators)
            .selectinload(Indicator.values)
        )
    )


def text_for(recommendation: Recommendation, language: str) -> tuple[str, str]:
    """(language, text) to show: the reader's language if translated, else the original, else any."""
    by_language = {t.language: t for t in recommendation.texts}
    chosen = by_language.get(language) or next((t for t in recommendation.texts if t.is_original), None)
    chosen = chosen or next(iter(recommendation.texts), None)
    return (chosen.language, chosen.text) if chosen else ("", "")


def tags_of(recommendation: Recommendation, vocabulary: TagVocabulary | str) -> list[Tag]:
    """The recommendation's tags of one vocabulary (given as the enum or its value, as templates do)."""
    vocabulary = TagVocabulary(vocabulary)
    return sorted(
        (link.tag for link in recommendation.tags if link.tag.vocabulary is vocabulary),
        key=lambda tag: tag.code,
    )
