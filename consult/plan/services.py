"""The national implementation plan: clusters, actions, indicators, statuses, tags and frozen versions."""

from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from consult import audit
from consult.database import utcnow
from consult.errors import DomainError
from consult.extensions import db
from consult.plan.browsing import detail_options, forget_facets
from consult.plan.models import (
    Action,
    Cluster,
    ImplementationStatus,
    Indicator,
    IndicatorValue,
    PlanVersion,
    PlanVersionState,
    Recommendation,
    RecommendationTag,
    RecommendationText,
    Tag,
    TagOrigin,
    TagVocabulary,
)


def _changes(obj: Any, values: dict[str, Any]) -> tuple[dict, dict]:
    """Apply values to obj; return what changed, before and after, for the audit trail."""
    before, after = {}, {}
    for name, value in values.items():
        old = getattr(obj, name)
        if old != value:
            before[name], after[name] = _plain(old), _plain(value)
            setattr(obj, name, value)
    return before, after


def _plain(value: Any) -> Any:
    """A value as JSON can hold it."""
    if isinstance(value, date | Decimal):
        return str(value)
    return getattr(value, "value", value)


# Clusters


def save_cluster(actor: Any, cluster: Cluster | None, **values: Any) -> Cluster:
    """Create a cluster, or change one; codes are unique."""
    forget_facets()
    clash = db.session.scalar(select(Cluster).where(Cluster.code == values["code"]))
    if clash is not None and clash is not cluster:
        raise DomainError(_("Another cluster has this code."), field="code")
    if cluster is None:
        cluster = Cluster(**values)
        db.session.add(cluster)
        audit.record(actor, "cluster.create", cluster, after={"code": cluster.code})
        return cluster
    before, after = _changes(cluster, values)
    if after:
        audit.record(actor, "cluster.update", cluster, before=before, after=after)
    return cluster


# Actions


def save_action(actor: Any, action: Action | None, recommendation_ids: list[int], **values: Any) -> Action:
    """Create an action of the plan, or change one, with the recommendations it answers."""
    clash = db.session.scalar(select(Action).where(Action.code == values["code"]))
    if clash is not None and clash is not action:
        raise DomainError(_("Another action has this code."), field="code")
    if values.get("start_on") and values.get("due_on") and values["due_on"] < values["start_on"]:
        raise DomainError(_("The due date comes before the start date."), field="due_on")
    recommendations = list(
        db.session.scalars(select(Recommendation).where(Recommendation.id.in_(recommendation_ids)))
    )
    if len(recommendations) != len(set(recommendation_ids)):
        raise DomainError(_("Some of these recommendations do not exist."), field="recommendations")
    if action is None:
        action = Action(**values, recommendations=recommendations)
        db.session.add(action)
        audit.record(actor, "action.create", action, after={"code": action.code})
        return action
    before, after = _changes(action, values)
    old_links = sorted(r.id for r in action.recommendations)
    if old_links != sorted(set(recommendation_ids)):
        before["recommendations"], after["recommendations"] = old_links, sorted(set(recommendation_ids))
        action.recommendations = recommendations
    if after:
        audit.record(actor, "action.update", action, before=before, after=after)
    return action


# Indicators


def save_indicator(actor: Any, indicator: Indicator | None, **values: Any) -> Indicator:
    """Create an indicator of an action or a cluster, or change one."""
    if values.get("action_id") is None and values.get("cluster_id") is None:
        raise DomainError(_("An indicator measures an action or a cluster: choose one."), field="action_id")
    if indicator is None:
        indicator = Indicator(**values)
        db.session.add(indicator)
        audit.record(actor, "indicator.create", indicator, after={"kind": indicator.kind.value})
        return indicator
    before, after = _changes(indicator, values)
    if after:
        audit.record(actor, "indicator.update", indicator, before=before, after=after)
    return indicator


def report_indicator_value(
    actor: Any,
    indicator: Indicator,
    period: date,
    value: Decimal,
    breakdown: str = "",
    note: str | None = None,
) -> IndicatorValue:
    """Record the value of an indicator for a period (and a breakdown such as sex=female); a second report
    for the same period and breakdown corrects the first."""
    breakdown = breakdown.strip()
    existing = next((v for v in indicator.values if v.period == period and v.breakdown == breakdown), None)
    if existing is None:
        existing = IndicatorValue(period=period, breakdown=breakdown, value=value, note=note)
        indicator.values.append(existing)
        before = None
    else:
        before = {"value": str(existing.value)}
        existing.value, existing.note, existing.reported_at = value, note, utcnow()
    audit.record(
        actor,
        "indicator.report_value",
        indicator,
        before=before,
        after={"period": period.isoformat(), "breakdown": breakdown, "value": str(value)},
    )
    return existing


# Recommendations


def set_status(actor: Any, recommendation: Recommendation, status: ImplementationStatus) -> None:
    """Record how far a recommendation's implementation has come."""
    if recommendation.status is not status:
        audit.record(
            actor,
            "recommendation.set_status",
            recommendation,
            before={"status": recommendation.status.value},
            after={"status": status.value},
        )
        recommendation.status = status


def set_cluster(actor: Any, recommendation: Recommendation, cluster: Cluster | None) -> None:
    """Put a recommendation in a thematic cluster, or take it out."""
    new_id = cluster.id if cluster else None
    if recommendation.cluster_id != new_id:
        audit.record(
            actor,
            "recommendation.set_cluster",
            recommendation,
            before={"cluster_id": recommendation.cluster_id},
            after={"cluster_id": new_id},
        )
        recommendation.cluster_id = new_id


def set_texts(actor: Any, recommendation: Recommendation, texts: dict[str, str]) -> None:
    """Add, correct or remove translations; the text in the original language stays."""

    stored = {t.language: t for t in recommendation.texts}
    original = next((t.language for t in recommendation.texts if t.is_original), None)
    if original and not texts.get(original):
        raise DomainError(_("The text in the original language cannot be removed."), field=f"text_{original}")
    before, after = {}, {}
    for language, text in texts.items():
        if language not in stored:
            recommendation.texts.append(RecommendationText(language=language, text=text))
            after[language] = text
        elif stored[language].text != text:
            before[language], after[language] = stored[language].text, text
            stored[language].text = text
    for language, item in stored.items():
        if language not in texts:
            before[language] = item.text
            recommendation.texts.remove(item)
    if before or after:
        audit.record(actor, "recommendation.set_texts", recommendation, before=before, after=after)


def add_tag(actor: Any, recommendation: Recommendation, vocabulary: TagVocabulary, code: str) -> None:
    """Tag a recommendation (staff origin); a tag that was imported becomes the staff's own."""
    forget_facets()
    code = code.strip()[:120]
    if not code:
        raise DomainError(_("Give the term."), field="code")
    tag = db.session.scalar(select(Tag).where(Tag.vocabulary == vocabulary, Tag.code == code))
    if tag is None:
        tag = Tag(vocabulary=vocabulary, code=code, label={"en": code})
        db.session.add(tag)
        db.session.flush()
    link = next((t for t in recommendation.tags if t.tag_id == tag.id), None)
    if link is None:
        recommendation.tags.append(RecommendationTag(tag=tag, origin=TagOrigin.staff))
    else:
        link.origin = TagOrigin.staff
    audit.record(
        actor, "recommendation.add_tag", recommendation, after={"vocabulary": vocabulary.value, "code": code}
    )


def remove_tag(actor: Any, recommendation: Recommendation, tag_id: int) -> None:
    """Take a tag off a recommendation, whether imported or set by staff."""
    link = next((t for t in recommendation.tags if t.tag_id == tag_id), None)
    if link is not None:
        audit.record(
            actor,
            "recommendation.remove_tag",
            recommendation,
            before={
                "vocabulary": link.tag.vocabulary.value,
                "code": link.tag.code,
                "origin": link.origin.value,
            },
        )
        recommendation.tags.remove(link)


# The plan as a whole


def _clusters_with_contents():
    """SELECT clusters with their recommendations and actions (and theirs) loaded up front."""

    return (
        select(Cluster)
        .order_by(Cluster.position, Cluster.code)
        .options(
            selectinload(Cluster.recommendations).options(
                *detail_options(), selectinload(Recommendation.actions)
            ),
            selectinload(Cluster.actions).selectinload(Action.indicators).selectinload(Indicator.values),
        )
    )


def plan_clusters() -> list[Cluster]:
    """Every cluster with its contents, for the matrix and its exports."""
    return list(db.session.scalars(_clusters_with_contents()))


def get_cluster(cluster_id: int) -> Cluster | None:
    """One cluster with its contents, for its page."""
    return db.session.scalar(_clusters_with_contents().where(Cluster.id == cluster_id))


def get_action(action_id: int) -> Action | None:
    """An action with its indicators, their values, and the recommendations it answers."""

    return db.session.scalar(
        select(Action)
        .where(Action.id == action_id)
        .options(
            selectinload(Action.indicators).selectinload(Indicator.values),
            selectinload(Action.recommendations).options(*detail_options()),
            selectinload(Action.cluster),
        )
    )


def snapshot() -> dict[str, Any]:
    """The plan now: clusters, actions, and the status and cluster of every planned recommendation."""
    clusters = {c.code: {"title": c.title} for c in db.session.scalars(select(Cluster))}
    actions = {}
    for action in db.session.scalars(
        select(Action).options(selectinload(Action.recommendations), selectinload(Action.cluster))
    ):
        actions[action.code] = {
            "title": action.title,
            "responsible_entity": action.responsible_entity,
            "partners": action.partners,
            "status": action.status.value,
            "start_on": _plain(action.start_on),
            "due_on": _plain(action.due_on),
            "cluster": action.cluster.code if action.cluster else None,
            "recommendations": sorted(r.source_key for r in action.recommendations),
        }
    planned = (
        select(Recommendation)
        .options(selectinload(Recommendation.cluster))
        .where(Recommendation.cluster_id.is_not(None) | Recommendation.actions.any())
    )
    recommendations = {
        r.source_key: {
            "status": r.status.value,
            "cluster": r.cluster.code if r.cluster else None,
            "label": " ".join(filter(None, [r.symbol, r.paragraph])) or r.source_key,
        }
        for r in db.session.scalars(planned)
    }
    return {"clusters": clusters, "actions": actions, "recommendations": recommendations}


def freeze_version(actor: Any, label: str) -> PlanVersion:
    """Freeze the plan as it stands now into a numbered version that rounds can consult."""
    number = (db.session.scalar(select(func.max(PlanVersion.number))) or 0) + 1
    version = PlanVersion(
        number=number,
        label=label.strip(),
        state=PlanVersionState.frozen,
        frozen_at=utcnow(),
        frozen_by_id=getattr(actor, "id", None),
        snapshot=snapshot(),
    )
    db.session.add(version)
    audit.record(actor, "plan_version.freeze", version, after={"number": number, "label": version.label})
    return version


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """What changed between two snapshots: actions added, removed and edited (field by field), and
    recommendations whose status or cluster changed."""
    old_actions, new_actions = old.get("actions", {}), new.get("actions", {})
    edited = {}
    for code in sorted(set(old_actions) & set(new_actions)):
        fields = {
            name: (old_actions[code].get(name), value)
            for name, value in new_actions[code].items()
            if old_actions[code].get(name) != value
        }
        if fields:
            edited[code] = fields
    old_recs, new_recs = old.get("recommendations", {}), new.get("recommendations", {})
    statuses = {
        key: (old_recs[key]["status"], new_recs[key]["status"], new_recs[key].get("label", key))
        for key in sorted(set(old_recs) & set(new_recs))
        if old_recs[key]["status"] != new_recs[key]["status"]
    }
    return {
        "added": {code: new_actions[code] for code in sorted(set(new_actions) - set(old_actions))},
        "removed": {code: old_actions[code] for code in sorted(set(old_actions) - set(new_actions))},
        "edited": edited,
        "statuses": statuses,
    }


def versions() -> list[PlanVersion]:
    """Every frozen version, newest first."""
    return list(db.session.scalars(select(PlanVersion).order_by(PlanVersion.number.desc())))


def previous_version(version: PlanVersion) -> PlanVersion | None:
    """The version frozen before this one."""
    return db.session.scalar(
        select(PlanVersion)
        .where(PlanVersion.number < version.number)
        .order_by(PlanVersion.number.desc())
        .limit(1)
    )
