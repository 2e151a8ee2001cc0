"""The rows of the exports of recommendations and of the plan; consult.downloads writes them as CSV, XLSX
or JSON, streamed so that memory stays flat."""

from collections.abc import Iterator

from consult.i18n import localized
from consult.plan.browsing import tags_of, text_for
from consult.plan.models import Cluster, Recommendation, TagVocabulary

LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh")

#: Our columns, and the UHRI export's name for each (the Universal Human Rights Index's field names).
COLUMNS = [
    ("id", "AnnotationId"),
    ("mechanism", "AnnotationType"),
    ("body", "Body"),
    ("state_under_review", "Countries"),
    ("symbol", "Symbol"),
    ("paragraph", "Paragraph"),
    ("cycle", "UprCycle"),
    ("session", "UprSession"),
    ("date", "PublicationDate"),
    ("position", "UprPositions"),
    ("position_source", "PositionSource"),
    ("recommending_states", "UprRecommendingCountry"),
    ("text", "Text"),
    ("text_language", "Language"),
    ("themes", "Themes"),
    ("affected_groups", "AffectedPersons"),
    ("sdgs", "Sdgs"),
    ("cluster", "Cluster"),
    ("status", "ImplementationStatus"),
    ("source_key", "SourceKey"),
]

POSITION_UHRI = {"supported": "Supported", "noted": "Noted", "partially_supported": "Supported/Noted"}
MECHANISM_UHRI = {
    "upr": "UPR Recommendation",
    "treaty_body": "Concluding Observation",
    "special_procedure": "Special Procedure Recommendation",
}


def recommendation_row(recommendation: Recommendation, language: str, uhri: bool = False) -> dict:
    """One recommendation as a flat row: the same values on the page, in CSV, XLSX and JSON."""
    text_language, text = text_for(recommendation, language)
    position = recommendation.position.value if recommendation.position else ""
    mechanism = recommendation.mechanism.value
    values = {
        "id": recommendation.id,
        "mechanism": MECHANISM_UHRI[mechanism] if uhri else mechanism,
        "body": recommendation.body,
        "state_under_review": recommendation.state_under_review or "",
        "symbol": recommendation.symbol or "",
        "paragraph": recommendation.paragraph or "",
        "cycle": recommendation.cycle or "",
        "session": recommendation.session or "",
        "date": recommendation.issued_on.isoformat() if recommendation.issued_on else "",
        "position": POSITION_UHRI.get(position, "") if uhri else position,
        "position_source": recommendation.position_source or "",
        "recommending_states": [s.state for s in recommendation.recommending_states],
        "text": text,
        "text_language": text_language,
        "themes": [t.code for t in tags_of(recommendation, TagVocabulary.theme)],
        "affected_groups": [t.code for t in tags_of(recommendation, TagVocabulary.affected_group)],
        "sdgs": [t.code for t in tags_of(recommendation, TagVocabulary.sdg)],
        "cluster": recommendation.cluster.code if recommendation.cluster else "",
        "status": recommendation.status.value,
        "source_key": recommendation.source_key,
    }
    names = dict(COLUMNS) if uhri else {name: name for name, _uhri in COLUMNS}
    return {names[name]: value for name, value in values.items()}


def plan_rows(clusters: list[Cluster], language: str) -> Iterator[dict]:
    """The plan in the OHCHR matrix layout plus the plan's columns: a row per recommendation of a cluster."""

    for cluster in clusters:
        for recommendation in sorted(cluster.recommendations, key=lambda r: (r.paragraph or "", r.id)):
            row = recommendation_row(recommendation, language)
            actions = recommendation.actions
            yield {
                "cluster": cluster.code,
                "cluster_title": localized(cluster.title, language),
                **{key: value for key, value in row.items() if key != "cluster"},
                "actions": [a.code for a in actions],
                "action_titles": [localized(a.title, language) for a in actions],
                "responsible_entities": sorted({a.responsible_entity for a in actions}),
                "due_dates": [a.due_on.isoformat() for a in actions if a.due_on],
                "action_statuses": [a.status.value for a in actions],
            }
