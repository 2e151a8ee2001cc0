"""The read-only JSON API, versioned under /api/v1, and its OpenAPI document.

Without a token it reads as the public does: what the public pages show, nothing more. A token
(`Authorization: Bearer …`) identifies one of the mechanism's systems; one allowed to read confidential
input may ask the comments endpoints for it, and every such read is audited. Tokens open no page and
change nothing. Every answer, errors included, is JSON.
"""

from collections.abc import Callable
from dataclasses import fields
from datetime import datetime
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import BadRequest, Forbidden, HTTPException, MethodNotAllowed, NotFound, Unauthorized
from werkzeug.routing import PathConverter

from consult.api import records, schemas, services
from consult.api.models import ApiToken
from consult.api.permissions import can_read_confidential_input
from consult.extensions import csrf, db, limiter
from consult.plan.browsing import RecommendationFilter
from consult.plan.models import Recommendation
from consult.rounds.models import Round, Stage
from consult.rounds.permissions import can_view_round
from consult.rounds.services import find_round
from consult.summaries.permissions import can_view_summary
from consult.summaries.services import get_version, response_row, responses_of
from consult.web import get_or_404

bp = Blueprint("api", __name__, url_prefix="/api")


class AnyPathConverter(PathConverter):
    """Any rest of a path, line breaks included (the path converter stops at one), so that no address
    under /api escapes the JSON answers."""

    regex = r"[^/][\s\S]*?"


@bp.record_once
def _register_converter(state: BlueprintSetupState) -> None:
    state.app.url_map.converters["anypath"] = AnyPathConverter


#: The code of each error status in an error's body; stable, for programs to act on.
ERROR_CODES = {
    400: "invalid_parameter",
    401: "invalid_token",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}


# The request's lifecycle: who is asking, how often, in which language


def bearer_token() -> ApiToken | None:
    """The token the request carries, once looked up per request; None without one. An unknown or revoked
    token is refused (401): a system with a bad token must not silently read as the public."""
    if "api_token" not in g:
        g.api_token = None
        header = request.headers.get("Authorization")
        if header is not None:
            scheme, _sep, raw = header.strip().partition(" ")
            token = services.find_token(raw.strip()) if scheme.lower() == "bearer" else None
            if token is None or token.revoked_at is not None:
                g.api_token_refused = True
            else:
                g.api_token = token
    return g.api_token


def _rate_key() -> str:
    """Each live token has its own budget; requests without one share their client address's."""
    token = bearer_token()
    return f"api-token:{token.id}" if token is not None else f"api-ip:{get_remote_address()}"


limiter.limit(lambda: current_app.config["RATELIMIT_API"], key_func=_rate_key)(bp)


@bp.before_request
def authenticate() -> None:
    """Refuse a bad token (a NUL character was refused site-wide before); note a token's use."""
    token = bearer_token()
    if g.get("api_token_refused"):
        raise Unauthorized(_("This token is not valid, or was revoked."))
    if token is not None and services.touch_token(token):
        db.session.commit()


def json_error(error: HTTPException) -> tuple[Response, int]:
    """Every error of the API as JSON: {"error": {"code", "message"}}. Registered by status code too:
    Flask prefers the site's handler for a code over a blueprint's handler for a class."""
    code = error.code or 500
    response = jsonify(
        {"error": {"code": ERROR_CODES.get(code, "error"), "message": error.description or ""}}
    )
    if code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="consult"'
    if code == 405 and isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response, code


for _handled in (HTTPException, *ERROR_CODES):
    bp.register_error_handler(_handled, json_error)


def language() -> str:
    """The language asked for: ?lang=, else the Accept-Language header, else English."""
    languages = current_app.config["LANGUAGES"]
    asked = request.args.get("lang")
    if asked is None:
        return request.accept_languages.best_match(languages) or "en"
    if asked not in languages:
        raise BadRequest(_("lang must be one of %(codes)s.", codes=", ".join(languages)))
    return asked


def _integer(name: str, minimum: int, maximum: int, default: int | None = None) -> int | None:
    value = request.args.get(name)
    if value is None:
        return default
    if not (value.isascii() and value.isdigit() and len(value) <= 10 and minimum <= int(value) <= maximum):
        raise BadRequest(
            _("%(name)s must be a whole number from %(min)d to %(max)d.", name=name, min=minimum, max=maximum)
        )
    return int(value)


def page_arguments() -> tuple[int | None, int]:
    """(after, limit) of a paginated list."""
    return _integer("after", 1, schemas.MAX_ID), _integer(
        "limit", 1, schemas.MAX_LIMIT, schemas.DEFAULT_LIMIT
    )


def comment_page_arguments(include_confidential: bool) -> tuple[tuple[datetime, str] | None, int]:
    """(position, limit) of a page of comments: `after` is the public id of the previous page's last one,
    whose place in the order is looked up (the link carries no time); only a comment the request may read
    gives a place, so that the answer never tells a hidden comment from none."""
    limit = _integer("limit", 1, schemas.MAX_LIMIT, schemas.DEFAULT_LIMIT)
    value = request.args.get("after")
    if value is None:
        return None, limit
    position = records.comment_position(value, include_confidential)
    if position is None:
        raise BadRequest(_("The value of %(name)s is not valid.", name="after"))
    return position, limit


def wants_confidential() -> bool:
    """Whether the request asks for confidential input, and may have it (403 otherwise)."""
    include = request.args.get("include")
    if include is None:
        return False
    if include != "confidential":
        raise BadRequest(_("include may only be confidential."))
    if not can_read_confidential_input(bearer_token()):
        raise Forbidden(_("Only a token allowed to read confidential input may ask for it."))
    return True


def recommendation_filter() -> RecommendationFilter:
    """The list page's filter from the query string; a value the filter would ignore is refused here."""
    criteria = RecommendationFilter.from_args(request.args)
    for name in (f.name for f in fields(RecommendationFilter)):
        if request.args.get(name, "").strip() and getattr(criteria, name) is None:
            raise BadRequest(_("The value of %(name)s is not valid.", name=name))
    return criteria


def _next_url(rows: list, limit: int, position: Callable[[Any], int | str]) -> str | None:
    """The address of the page after this one, or None on the last (rows holds one more than a page)."""
    if len(rows) <= limit:
        return None
    documented = {p["name"] for p in schemas.OPERATIONS[request.endpoint].parameters}
    arguments = {name: values for name, values in request.args.lists() if name in documented}
    arguments.update(request.view_args, after=position(rows[limit - 1]), limit=limit)
    return url_for(request.endpoint, **arguments, _external=True)


def page(data: list[dict[str, Any]], next_url: str | None = None) -> Response:
    """A list in the API's envelope."""
    return jsonify({"data": data, "next": next_url})


def one(data: dict[str, Any]) -> Response:
    """A single object in the API's envelope."""
    return jsonify({"data": data})


def public_round(slug: str, load: Callable[[str], Round | None] = find_round) -> Round:
    """The round at this address if the public may see it (the API reads as the public does); 404 else."""
    round_ = load(slug) if len(slug) <= 80 else None
    if round_ is None or not can_view_round(None, round_):
        raise NotFound(_("There is no public round at this address."))
    return round_


# Endpoints


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 document of this API."""
    return jsonify(schemas.openapi_document(current_app))


@bp.get("/v1/rounds")
def list_rounds():
    """The public rounds: open, then upcoming, then past."""
    stage = request.args.get("stage")
    if stage is not None and stage not in Stage._value2member_map_:
        raise BadRequest(_("The value of %(name)s is not valid.", name="stage"))
    cycle = _integer("cycle", 0, 999_999_999)
    lang = language()
    with force_locale(lang):
        rounds = records.list_public_rounds(Stage(stage) if stage else None, cycle)
        return page([records.round_record(r, lang) for r in rounds])


@bp.get("/v1/rounds/<slug>")
def show_round(slug: str):
    """A public round with its scope, questions and documents."""
    round_ = public_round(slug, records.load_round)
    lang = language()
    with force_locale(lang):
        return one(records.round_detail(round_, lang))


@bp.get("/v1/recommendations")
def list_recommendations():
    """Recommendations, filtered as on the list page, newest first."""
    criteria = recommendation_filter()
    after, limit = page_arguments()
    lang = language()
    rows = records.recommendations_after(criteria, after, limit + 1)
    data = [records.recommendation_record(r, lang) for r in rows[:limit]]
    return page(data, _next_url(rows, limit, lambda r: r.id))


@bp.get("/v1/recommendations/<int:recommendation_id>")
def show_recommendation(recommendation_id: int):
    """A recommendation with its texts and actions."""
    recommendation = records.load_recommendation(recommendation_id)
    if recommendation is None:
        raise NotFound(_("There is no such recommendation."))
    return one(records.recommendation_detail(recommendation, language()))


@bp.get("/v1/plan")
def show_plan():
    """The national implementation plan, cluster by cluster."""
    return page(records.plan_records(language()))


def _comments(
    subject: Any, include: bool, after: tuple[datetime, str] | None, limit: int, **where: int
) -> Response:
    """A page of comments; a read that includes confidential input is audited, once, and committed."""
    rows = records.comments_after(after=after, limit=limit + 1, include_confidential=include, **where)
    data = [records.comment_record(comment, slug) for comment, slug in rows[:limit]]
    if include:
        shown = [comment.id for comment, _slug in rows[:limit] if not comment.is_public]
        services.record_confidential_read(bearer_token(), subject, shown)
        db.session.commit()
    return page(data, _next_url(rows, limit, lambda row: row[0].public_id))


@bp.get("/v1/rounds/<slug>/comments")
def list_round_comments(slug: str):
    """A round's published comments, oldest day first, campaigns' letters flagged."""
    round_ = public_round(slug)
    include = wants_confidential()
    after, limit = comment_page_arguments(include)
    return _comments(round_, include, after, limit, round_id=round_.id)


@bp.get("/v1/recommendations/<int:recommendation_id>/comments")
def list_recommendation_comments(recommendation_id: int):
    """The published comments on a recommendation in every public round, oldest day first."""
    recommendation = get_or_404(Recommendation, recommendation_id)
    include = wants_confidential()
    after, limit = comment_page_arguments(include)
    return _comments(recommendation, include, after, limit, recommendation_id=recommendation.id)


@bp.get("/v1/rounds/<slug>/summaries")
def list_summaries(slug: str):
    """A round's published summaries, each with its versions and the content of the latest."""
    round_ = public_round(slug)
    return page([records.summary_record(s, round_.slug) for s in records.summaries_of(round_.id)])


@bp.get("/v1/summaries/<int:summary_id>/versions/<int:number>")
def show_summary_version(summary_id: int, number: int):
    """One published version of a summary."""
    found = records.load_published_summary(summary_id)
    if found is None or not can_view_summary(None, found[0], found[1]):
        raise NotFound(_("There is no such published summary."))
    summary, round_ = found
    version = get_version(summary, number)
    if version is None:
        raise NotFound(_("This summary has no such version."))
    return one(records.version_record(summary, version, round_.slug))


@bp.get("/v1/rounds/<slug>/responses")
def list_responses(slug: str):
    """What the mechanism did with what it heard in a round."""
    round_ = public_round(slug)
    lang = language()
    with force_locale(lang):
        return page([response_row(r, lang) for r in responses_of(round_.id)])


@bp.route("/", defaults={"path": ""}, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
@bp.route("/<anypath:path>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
@csrf.exempt
def unknown(path: str):
    """Any other address under /api: 405 where the address exists for another method, else 404, in JSON."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        endpoint, _arguments = adapter.match(request.path, method="GET")
    except HTTPException:
        endpoint = None
    if request.method != "GET" and endpoint not in (None, request.endpoint):
        raise MethodNotAllowed(valid_methods=["GET", "HEAD"])
    raise NotFound(_("There is nothing at this address."))
