"""The API's contract: a JSON Schema for every record, every parameter, and the OpenAPI 3.1 document.

The document is built from these definitions and from the blueprint's own URL rules, so it cannot list a
route that does not exist nor miss one that does; the tests validate every endpoint's real responses
against it (strictly: a field that is not declared here fails them).
"""

import re
from dataclasses import dataclass, field
from typing import Any

from flask import Flask

from config import LANGUAGES
from consult.comments.models import Assessment, Publication, TargetType
from consult.plan.models import ActionStatus, ImplementationStatus, IndicatorKind, Mechanism, Position
from consult.rounds.models import Eligibility, ModerationMode, RoundState, Stage
from consult.summaries.models import ResponseOutcome

API_VERSION = "1.0.0"
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
#: The largest id a database integer column holds: larger ones name nothing, and must not reach the query.
MAX_ID = 2**31 - 1


def _values(enum_class: Any) -> list[str]:
    return [member.value for member in enum_class]


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema, or null."""
    if "type" in schema and "enum" not in schema:
        kind = schema["type"]
        return {**schema, "type": [*(kind if isinstance(kind, list) else [kind]), "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def record(properties: dict[str, Any], description: str = "") -> dict[str, Any]:
    """An object with exactly these properties, all present: nothing else may leave."""
    schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def ref(name: str) -> dict[str, str]:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


STRING = {"type": "string"}
TEXT_OR_NULL = nullable(STRING)
INTEGER = {"type": "integer"}
ID = {"type": "integer", "minimum": 1}
ID_OR_NULL = nullable(ID)
#: A comment's random public id (consult.database.opaque_id): comments are never named by a row id.
PUBLIC_ID = {"type": "string", "minLength": 22, "maxLength": 22, "pattern": "^[A-Za-z0-9_-]{22}$"}
MOMENT = {"type": "string", "format": "date-time"}
DAY = {"type": "string", "format": "date"}
URL = {"type": "string", "format": "uri"}
IDS = {"type": "array", "items": ID}
STRINGS = {"type": "array", "items": STRING}
DECIMAL_OR_NULL = nullable({"type": "string", "pattern": r"^-?\d+(\.\d+)?$"})


def enum(enum_class: Any) -> dict[str, Any]:
    """A string that is one of the enum's values."""
    return {"type": "string", "enum": _values(enum_class)}


ROUND = record(
    {
        "id": ID,
        "slug": STRING,
        "stage": enum(Stage),
        "stage_label": STRING,
        "cycle": INTEGER,
        "title": STRING,
        "description": TEXT_OR_NULL,
        "state": enum(RoundState),
        "state_label": STRING,
        "opens_at": MOMENT,
        "closes_at": MOMENT,
        "timezone": STRING,
        "eligibility": enum(Eligibility),
        "moderation_mode": enum(ModerationMode),
        "url": URL,
        "api_url": URL,
    },
    "A consultation round; its state is the one the clock gives.",
)

ROUND_DETAIL = record(
    {
        **ROUND["properties"],
        "scope": record({"cluster_ids": IDS, "recommendation_ids": IDS, "action_ids": IDS}),
        "questions": {"type": "array", "items": record({"id": ID, "text": STRING})},
        "documents": {
            "type": "array",
            "items": record(
                {"id": ID, "title": STRING, "language": STRING, "paragraphs": INTEGER, "url": URL}
            ),
        },
        "plan_version": nullable(record({"number": INTEGER, "label": STRING})),
        "figures_url": URL,
        "comments_url": URL,
        "summaries_url": URL,
        "responses_url": URL,
    },
    "A round with what is open for comment, its guiding questions and its documents.",
)

EMPTY_OR_INTEGER = {"anyOf": [INTEGER, {"const": ""}]}

RECOMMENDATION = record(
    {
        "id": ID,
        "mechanism": enum(Mechanism),
        "body": STRING,
        "state_under_review": STRING,
        "symbol": STRING,
        "paragraph": STRING,
        "cycle": EMPTY_OR_INTEGER,
        "session": STRING,
        "date": {"anyOf": [DAY, {"const": ""}]},
        "position": {"type": "string", "enum": ["", *_values(Position)]},
        "position_source": STRING,
        "recommending_states": STRINGS,
        "text": STRING,
        "text_language": STRING,
        "themes": STRINGS,
        "affected_groups": STRINGS,
        "sdgs": STRINGS,
        "cluster": STRING,
        "status": enum(ImplementationStatus),
        "source_key": STRING,
        "cluster_id": ID_OR_NULL,
        "url": URL,
        "api_url": URL,
    },
    "A recommendation, its text in the reader's language where translated: the columns of the exports.",
)

RECOMMENDATION_DETAIL = record(
    {
        **RECOMMENDATION["properties"],
        "texts": {
            "type": "array",
            "items": record({"language": STRING, "text": STRING, "is_original": {"type": "boolean"}}),
        },
        "actions": {"type": "array", "items": record({"id": ID, "code": STRING, "title": STRING})},
        "comments_url": URL,
    },
    "A recommendation with every translation of its text and the actions of the plan that answer it.",
)

INDICATOR = record(
    {
        "id": ID,
        "kind": enum(IndicatorKind),
        "title": STRING,
        "unit": TEXT_OR_NULL,
        "baseline": DECIMAL_OR_NULL,
        "baseline_year": nullable(INTEGER),
        "target": DECIMAL_OR_NULL,
        "target_year": nullable(INTEGER),
        "source": TEXT_OR_NULL,
        "disaggregation": TEXT_OR_NULL,
        "values": {
            "type": "array",
            "items": record({"period": DAY, "breakdown": STRING, "value": DECIMAL_OR_NULL}),
        },
    }
)

CLUSTER = record(
    {
        "id": ID,
        "code": STRING,
        "title": STRING,
        "description": TEXT_OR_NULL,
        "recommendation_ids": IDS,
        "actions": {
            "type": "array",
            "items": record(
                {
                    "id": ID,
                    "code": STRING,
                    "title": STRING,
                    "description": TEXT_OR_NULL,
                    "responsible_entity": STRING,
                    "partners": TEXT_OR_NULL,
                    "start_on": nullable(DAY),
                    "due_on": nullable(DAY),
                    "status": enum(ActionStatus),
                    "recommendation_ids": IDS,
                    "indicators": {"type": "array", "items": ref("Indicator")},
                }
            ),
        },
    },
    "A thematic cluster of the plan with its recommendations (by id) and its actions.",
)

COMMENT = record(
    {
        "id": PUBLIC_ID,
        "round": STRING,
        "target_type": enum(TargetType),
        "target_id": ID_OR_NULL,
        "language": STRING,
        "text": STRING,
        "assessment": nullable(enum(Assessment)),
        "publication": enum(Publication),
        "author": TEXT_OR_NULL,
        "organisation": TEXT_OR_NULL,
        "campaign": {"type": "boolean", "description": "One of a campaign's identical letters."},
        "confidential": {
            "type": "boolean",
            "description": "Not public: sent only to a token allowed to read confidential input; audited.",
        },
    },
    "A published comment, its author shown only as its publication choice allows.",
)

CITATION = record(
    {
        "comment_id": PUBLIC_ID,
        "quote": STRING,
        "language": STRING,
        "publication": enum(Publication),
        "author": TEXT_OR_NULL,
        "organisation": TEXT_OR_NULL,
    }
)

SUMMARY_CONTENT = record(
    {
        "title": STRING,
        "language": STRING,
        "introduction": STRING,
        "organisation": TEXT_OR_NULL,
        "sections": {
            "type": "array",
            "items": record(
                {
                    "id": ID,
                    "target_type": enum(TargetType),
                    "target_id": ID_OR_NULL,
                    "target_label": STRING,
                    "heading": STRING,
                    "body": STRING,
                    "citations": {"type": "array", "items": ref("Citation")},
                }
            ),
        },
    },
    "A version's content as published; quotations of comments no longer public are left out.",
)

VERSION_NOTE = record({"number": ID, "published_at": MOMENT, "change_note": TEXT_OR_NULL})

SUMMARY = record(
    {
        "id": ID,
        "round": STRING,
        "latest_version": ID,
        "versions": {"type": "array", "items": VERSION_NOTE},
        "public_content": ref("SummaryContent"),
        "api_url": URL,
    },
    "A published summary: its versions, and the content of the latest.",
)

SUMMARY_VERSION = record(
    {
        "summary_id": ID,
        "round": STRING,
        "number": ID,
        "latest_version": ID,
        "published_at": MOMENT,
        "change_note": TEXT_OR_NULL,
        "content": ref("SummaryContent"),
    },
    "One published version of a summary; corrections are later versions.",
)

RESPONSE = record(
    {
        "id": ID,
        "round_id": ID,
        "section_id": ID_OR_NULL,
        "recommendation_id": ID_OR_NULL,
        "outcome": enum(ResponseOutcome),
        "outcome_label": STRING,
        "explanation": STRING,
        "responsible_entity": TEXT_OR_NULL,
        "updated_at": MOMENT,
    },
    "What the mechanism did with a point it heard, or about a recommendation.",
)

ERROR = record(
    {"error": record({"code": STRING, "message": STRING})},
    "What went wrong; the code is stable, the message is for people.",
)

COMPONENTS = {
    "Round": ROUND,
    "RoundDetail": ROUND_DETAIL,
    "Recommendation": RECOMMENDATION,
    "RecommendationDetail": RECOMMENDATION_DETAIL,
    "Indicator": INDICATOR,
    "Cluster": CLUSTER,
    "Comment": COMMENT,
    "Citation": CITATION,
    "SummaryContent": SUMMARY_CONTENT,
    "Summary": SUMMARY,
    "SummaryVersion": SUMMARY_VERSION,
    "Response": RESPONSE,
    "Error": ERROR,
}


def page_of(name: str) -> dict[str, Any]:
    """The envelope of a list: the items, and the address of the next page (null on the last)."""
    return record({"data": {"type": "array", "items": ref(name)}, "next": nullable(URL)})


def one(name: str) -> dict[str, Any]:
    """The envelope of a single object."""
    return record({"data": ref(name)})


# Parameters


def query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    """A query-string parameter."""
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


LANG = query(
    "lang",
    {"type": "string", "enum": list(LANGUAGES)},
    "The language of translated fields; without it the Accept-Language header decides, else English.",
)
LIMIT = query(
    "limit",
    {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
    "How many items a page holds.",
)
AFTER = query(
    "after",
    {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    "The id of the last item of the previous page: the `next` link carries it.",
)
COMMENT_AFTER = query(
    "after",
    PUBLIC_ID,
    "The id of the last comment of the previous page: the `next` link carries it. Comments come by the day "
    "they were published, and in a random order within a day.",
)
INCLUDE = query(
    "include",
    {"type": "string", "enum": ["confidential"]},
    "Also confidential and hidden comments, with their authors: only with a token allowed to read "
    "confidential input (403 otherwise). Every such read is audited.",
)
FILTER_ID = {"type": "integer", "minimum": 0, "maximum": 999_999_999}
RECOMMENDATION_FILTERS = [
    query("mechanism", enum(Mechanism), "The UN mechanism."),
    query("body", {"type": "string", "maxLength": 80}, "The treaty body or procedure, or UPR."),
    query("cycle", FILTER_ID, "The UPR cycle."),
    query("state_under_review", {"type": "string", "maxLength": 80}, "The State addressed."),
    query("recommending_state", {"type": "string", "maxLength": 80}, "A State that made the recommendation."),
    query("position", enum(Position), "The State's position."),
    query("theme", FILTER_ID, "A theme's tag id."),
    query("affected_group", FILTER_ID, "An affected group's tag id."),
    query("sdg", FILTER_ID, "An SDG target's tag id."),
    query("cluster", FILTER_ID, "A cluster's id."),
    query("status", enum(ImplementationStatus), "The implementation status."),
    query("q", {"type": "string", "maxLength": 200}, "Words the text contains (any language)."),
]
ROUND_FILTERS = [
    query("stage", enum(Stage), "The stage of the review cycle."),
    query("cycle", FILTER_ID, "The review cycle."),
]
PATH_TYPES = {
    "slug": {"type": "string", "minLength": 1, "maxLength": 80},
    "recommendation_id": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    "summary_id": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    "number": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
}


@dataclass(frozen=True)
class Operation:
    """How one endpoint is documented: what it answers, with which parameters."""

    summary: str
    response: dict[str, Any]
    parameters: list[dict[str, Any]] = field(default_factory=list)
    #: Whether the endpoint takes `include=confidential` (and so may answer 403).
    confidential: bool = False


#: Every documented endpoint of the blueprint, by endpoint name.
OPERATIONS = {
    "api.list_rounds": Operation(
        "Public rounds: open, upcoming, past", page_of("Round"), [*ROUND_FILTERS, LANG]
    ),
    "api.show_round": Operation("A public round", one("RoundDetail"), [LANG]),
    "api.list_recommendations": Operation(
        "Recommendations, filtered as the list page filters them",
        page_of("Recommendation"),
        [*RECOMMENDATION_FILTERS, LIMIT, AFTER, LANG],
    ),
    "api.show_recommendation": Operation("A recommendation", one("RecommendationDetail"), [LANG]),
    "api.show_plan": Operation("The national implementation plan", page_of("Cluster"), [LANG]),
    "api.list_round_comments": Operation(
        "A round's published comments, oldest day first",
        page_of("Comment"),
        [LIMIT, COMMENT_AFTER, INCLUDE],
        True,
    ),
    "api.list_recommendation_comments": Operation(
        "The published comments on a recommendation, oldest day first",
        page_of("Comment"),
        [LIMIT, COMMENT_AFTER, INCLUDE],
        True,
    ),
    "api.list_summaries": Operation("A round's published summaries", page_of("Summary"), []),
    "api.show_summary_version": Operation("One version of a published summary", one("SummaryVersion"), []),
    "api.list_responses": Operation("The mechanism's answers in a round", page_of("Response"), [LANG]),
}


def _error(description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": ref("Error")}},
    }
    if headers:
        response["headers"] = headers
    return response


def _responses(operation: Operation) -> dict[str, Any]:
    responses = {
        "200": {"description": "OK", "content": {"application/json": {"schema": operation.response}}},
        "400": _error("A parameter is not valid."),
        "401": _error(
            "The token is not valid, or was revoked.",
            {"WWW-Authenticate": {"schema": STRING, "required": True}},
        ),
        "404": _error("No such object, or not public."),
        "429": _error("Too many requests: wait a minute."),
    }
    if operation.confidential:
        responses["403"] = _error("`include=confidential` needs a token allowed to read confidential input.")
    return dict(sorted(responses.items()))


_PATH_ARGUMENT = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")


def openapi_document(app: Flask) -> dict[str, Any]:
    """The OpenAPI 3.1 document of the API, from its URL rules and the schemas above."""
    paths: dict[str, Any] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        operation = OPERATIONS.get(rule.endpoint)
        if operation is None:
            continue
        names = _PATH_ARGUMENT.findall(rule.rule)
        path_parameters = [
            {"name": name, "in": "path", "required": True, "schema": PATH_TYPES[name]} for name in names
        ]
        paths[_PATH_ARGUMENT.sub(r"{\1}", rule.rule)] = {
            "get": {
                "operationId": rule.endpoint.removeprefix("api."),
                "summary": operation.summary,
                "parameters": path_parameters + operation.parameters,
                "responses": _responses(operation),
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{app.config['SITE_NAME']} API",
            "version": API_VERSION,
            "description": (
                "Read-only. Without a token, exactly what the public pages show. A token (Authorization: "
                "Bearer …) issued by a coordinator identifies one of the mechanism's systems; one allowed "
                "to read confidential input may add include=confidential to the comments endpoints, and "
                "every such read is audited."
            ),
        },
        "paths": paths,
        "components": {
            "schemas": COMPONENTS,
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{}, {"bearerAuth": []}],
    }
