"""Bring read records into the database: all or nothing, idempotent, fast enough for 40,000 rows.

Readers (consult/plan/importers/) turn files into RecommendationRecords; this module decides, for each,
whether it creates a recommendation, updates one, or changes nothing, and writes only when no row of
any file was rejected. Texts merge per language, so a second file in another language adds translations;
tags set by staff survive a re-import.
"""

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import delete, insert, select

from consult import audit
from consult.database import utcnow
from consult.extensions import db
from consult.plan.browsing import forget_facets
from consult.plan.importers.records import ImportProblem, ReadResult, RecommendationRecord
from consult.plan.models import (
    Cluster,
    Recommendation,
    RecommendationTag,
    RecommendationText,
    RecommendingState,
    Tag,
    TagOrigin,
    TagVocabulary,
)
from consult.text import safe_data

#: How many rows one INSERT or IN (…) carries: well under SQLite's variable limit.
BATCH = 500

TAG_FIELDS = (
    (TagVocabulary.theme, "themes"),
    (TagVocabulary.affected_group, "affected_groups"),
    (TagVocabulary.sdg, "sdgs"),
    (TagVocabulary.upr_info_issue, "upr_info_issues"),
)


@dataclass
class ImportReport:
    """What an import did, or would do, counted in recommendations."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    rows: int = 0

    @property
    def refused(self) -> bool:
        """Whether nothing was (or would be) written because some input was bad."""
        return bool(self.problems)

    def counts(self) -> dict[str, int]:
        """The line of JSON that scripts read."""
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }

    def json_line(self) -> str:
        """The counts as one line of JSON."""
        return json.dumps(self.counts())


def _meta_digest(record: RecommendationRecord) -> str:
    """A hash of what a record says besides its texts (which merge per language) and where it was read."""
    content = asdict(record)
    for key in ("texts", "original_language", "file", "row"):
        content.pop(key)
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def _merge(records: Iterable[RecommendationRecord]) -> dict[str, RecommendationRecord]:
    """One record per source key: the same recommendation read twice (in two languages) merges its texts."""
    merged: dict[str, RecommendationRecord] = {}
    for record in records:
        first = merged.get(record.source_key)
        if first is None:
            merged[record.source_key] = record
        else:
            first.texts = {**first.texts, **record.texts}
    return merged


def _chunks(items: Sequence[Any], size: int = BATCH) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing(keys: Sequence[str]) -> dict[str, tuple[int, str | None]]:
    """source_key → (id, import digest) of the recommendations already stored."""
    found = {}
    for chunk in _chunks(keys):
        rows = db.session.execute(
            select(Recommendation.source_key, Recommendation.id, Recommendation.import_digest).where(
                Recommendation.source_key.in_(chunk)
            )
        )
        found.update({key: (ident, digest) for key, ident, digest in rows})
    return found


def _stored_texts(ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """Recommendation id → its texts by language."""
    texts: dict[int, dict[str, str]] = {}
    for chunk in _chunks(ids):
        rows = db.session.execute(
            select(
                RecommendationText.recommendation_id, RecommendationText.language, RecommendationText.text
            ).where(RecommendationText.recommendation_id.in_(chunk))
        )
        for ident, language, text in rows:
            texts.setdefault(ident, {})[language] = text
    return texts


def _rejected_rows(problems: Sequence[ImportProblem]) -> int:
    """How many recommendations the problems stand for: one per (file, row); a whole-file problem, none."""
    return len({(p.file, p.row) for p in problems if p.row})


def _safe_records(records: Iterable[RecommendationRecord]) -> tuple[list, list[ImportProblem]]:
    """The records with the characters no text needs removed from all they say (`safe_text`: a file may
    carry controls a form would have removed), and a problem for each whose text was nothing else."""
    kept, problems = [], []
    for record in records:
        record = safe_data(record)
        record.texts = {language: text for language, text in record.texts.items() if text.strip()}
        if record.texts:
            kept.append(record)
        else:
            problems.append(ImportProblem(record.file, record.row, "text", _("The value is missing.")))
    return kept, problems


def plan_import(result: ReadResult) -> tuple[ImportReport, list, list]:
    """Classify every record without writing: the report, and the records to create and to update."""
    records, unreadable = _safe_records(result.records)
    problems = [*result.problems, *unreadable]
    report = ImportReport(problems=problems, rows=result.rows)
    report.rejected = _rejected_rows(problems)
    merged = _merge(records)
    existing = _existing(list(merged))
    texts = _stored_texts([ident for ident, _digest in existing.values()])
    to_create, to_update = [], []
    for key, record in merged.items():
        if key not in existing:
            to_create.append(record)
            continue
        ident, digest = existing[key]
        stored = texts.get(ident, {})
        same_texts = all(stored.get(language) == text for language, text in record.texts.items())
        if digest == _meta_digest(record) and same_texts:
            report.unchanged += 1
        else:
            to_update.append((ident, record))
    report.created, report.updated = len(to_create), len(to_update)
    return report, to_create, to_update


class TagCache:
    """Tag ids by (vocabulary, code), creating missing tags in bulk."""

    def __init__(self) -> None:
        self.ids = {
            (vocabulary, code): ident
            for ident, vocabulary, code in db.session.execute(select(Tag.id, Tag.vocabulary, Tag.code))
        }

    def ids_for(self, records: Iterable[RecommendationRecord]) -> None:
        """Make sure every tag the records name exists."""
        missing = {}
        for record in records:
            for vocabulary, name in TAG_FIELDS:
                for code in getattr(record, name):
                    key = (vocabulary, code[:120])
                    if key not in self.ids:
                        missing[key] = {"vocabulary": vocabulary, "code": key[1], "label": {"en": code}}
        for chunk in _chunks(list(missing.values())):
            rows = db.session.execute(insert(Tag).returning(Tag.id, Tag.vocabulary, Tag.code), list(chunk))
            self.ids.update({(vocabulary, code): ident for ident, vocabulary, code in rows})

    def links(self, recommendation_id: int, record: RecommendationRecord) -> list[dict]:
        """The rows that tag a recommendation with the record's terms."""
        tag_ids = {
            self.ids[(vocabulary, code[:120])]
            for vocabulary, name in TAG_FIELDS
            for code in getattr(record, name)
        }
        return [
            {"recommendation_id": recommendation_id, "tag_id": tag_id, "origin": TagOrigin.imported}
            for tag_id in sorted(tag_ids)
        ]


def _cluster_ids(records: Iterable[RecommendationRecord]) -> dict[str, int]:
    """Cluster id by code for the clusters the records name, creating the missing ones."""
    wanted = {r.cluster.code[:40]: r.cluster.title for r in records if r.cluster}
    ids = dict(
        db.session.execute(select(Cluster.code, Cluster.id).where(Cluster.code.in_(list(wanted)))).all()
    )
    position = len(ids)
    for code, title in wanted.items():
        if code not in ids:
            cluster = Cluster(code=code, title={"en": title}, position=position)
            db.session.add(cluster)
            db.session.flush()
            ids[code], position = cluster.id, position + 1
    return ids


def _columns(record: RecommendationRecord) -> dict[str, Any]:
    """The recommendation's own columns from a record."""
    return {
        "mechanism": record.mechanism,
        "body": record.body[:80],
        "state_under_review": record.state_under_review,
        "symbol": record.symbol,
        "paragraph": record.paragraph,
        "cycle": record.cycle,
        "session": record.session,
        "issued_on": record.issued_on,
        "position": record.position,
        "position_source": record.position_source,
        "upr_info_category": record.upr_info_category,
        "import_digest": _meta_digest(record),
    }


def _create(records: Sequence[RecommendationRecord], tags: TagCache, clusters: dict[str, int]) -> None:
    """Insert new recommendations and their texts, States and tags in batches."""
    now = utcnow()
    for chunk in _chunks(records):
        rows = [
            {
                **_columns(r),
                "source_key": r.source_key,
                "created_at": now,
                "updated_at": now,
                "cluster_id": clusters.get(r.cluster.code[:40]) if r.cluster else None,
            }
            for r in chunk
        ]
        ids = dict(
            db.session.execute(
                insert(Recommendation).returning(Recommendation.source_key, Recommendation.id), rows
            ).all()
        )
        _insert_children([(ids[r.source_key], r) for r in chunk], tags, original=True)


def _insert_children(
    pairs: Sequence[tuple[int, RecommendationRecord]], tags: TagCache, original: bool
) -> None:
    """Texts, recommending States and imported tags of freshly written recommendations."""
    texts = [
        {
            "recommendation_id": ident,
            "language": language,
            "text": text,
            "is_original": original and language == record.original_language,
        }
        for ident, record in pairs
        for language, text in record.texts.items()
    ]
    states = [
        {"recommendation_id": ident, "state": state[:80]}
        for ident, record in pairs
        for state in dict.fromkeys(record.recommending_states)
    ]
    links = [link for ident, record in pairs for link in tags.links(ident, record)]
    for model, rows in ((RecommendationText, texts), (RecommendingState, states), (RecommendationTag, links)):
        for chunk in _chunks(rows):
            db.session.execute(insert(model), list(chunk))


def _update(
    pairs: Sequence[tuple[int, RecommendationRecord]], tags: TagCache, clusters: dict[str, int], actor: Any
) -> None:
    """Rewrite changed recommendations: their columns, States and imported tags; texts merge per language.
    A cluster staff chose is kept; an imported one is set only where there is none."""
    for ident, record in pairs:
        recommendation = db.session.get(Recommendation, ident)
        before = {"digest": recommendation.import_digest}
        for name, value in _columns(record).items():
            setattr(recommendation, name, value)
        if recommendation.cluster_id is None and record.cluster:
            recommendation.cluster_id = clusters[record.cluster.code[:40]]
        originals = set(
            db.session.scalars(
                select(RecommendationText.language).where(
                    RecommendationText.recommendation_id == ident, RecommendationText.is_original
                )
            )
        )
        db.session.execute(delete(RecommendingState).where(RecommendingState.recommendation_id == ident))
        db.session.execute(
            delete(RecommendationTag).where(
                RecommendationTag.recommendation_id == ident, RecommendationTag.origin == TagOrigin.imported
            )
        )
        staff_tags = set(
            db.session.scalars(
                select(RecommendationTag.tag_id).where(RecommendationTag.recommendation_id == ident)
            )
        )
        db.session.execute(
            delete(RecommendationText).where(
                RecommendationText.recommendation_id == ident,
                RecommendationText.language.in_(list(record.texts)),
            )
        )
        db.session.flush()
        texts = [
            {
                "recommendation_id": ident,
                "language": language,
                "text": text,
                "is_original": language in originals,
            }
            for language, text in record.texts.items()
        ]
        states = [
            {"recommendation_id": ident, "state": s[:80]} for s in dict.fromkeys(record.recommending_states)
        ]
        links = [link for link in tags.links(ident, record) if link["tag_id"] not in staff_tags]
        for model, rows in (
            (RecommendationText, texts),
            (RecommendingState, states),
            (RecommendationTag, links),
        ):
            if rows:
                db.session.execute(insert(model), rows)
        audit.record(
            actor,
            "recommendation.update_from_import",
            recommendation,
            before=before,
            after={"digest": recommendation.import_digest, "file": record.file},
        )


def import_records(
    result: ReadResult, actor: Any = None, dry_run: bool = False, source: str = ""
) -> ImportReport:
    """Create or update recommendations from what a reader found; nothing is written if any input was bad
    or on a dry run. Flushes; the caller commits."""
    report, to_create, to_update = plan_import(result)
    if report.refused or dry_run:
        return report
    tags = TagCache()
    tags.ids_for([*to_create, *(record for _ident, record in to_update)])
    clusters = _cluster_ids([*to_create, *(record for _ident, record in to_update)])
    _create(to_create, tags, clusters)
    _update(to_update, tags, clusters, actor)
    audit.record(actor, "recommendations.import", ("imports", source or "files"), after=report.counts())
    db.session.flush()
    forget_facets()
    return report


def read_and_import(
    reader: Callable[..., ReadResult],
    paths: Sequence[Path],
    actor: Any = None,
    dry_run: bool = False,
    **options,
) -> ImportReport:
    """Read files with a reader, then import what it found."""
    result = reader(paths, **options)
    return import_records(result, actor, dry_run, source=", ".join(p.name for p in paths)[:40])
