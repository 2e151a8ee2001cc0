"""Schemathesis, run against the OpenAPI document the app serves: no server error, and every answer (errors
included) has a documented status, content type, headers and body, on generated and on real data."""

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.fixtures import bearer, issue, published_round

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def _fuzz(operation, mode: GenerationMode, examples: int, **fixed: Any) -> None:
    """Run the checks on generated requests to one operation."""

    @given(case=operation.as_strategy(generation_mode=mode, **fixed))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:
        case.call_and_validate(checks=CHECKS)

    run()


def _real_path_parameters(data) -> dict[str, Any]:
    return {
        "slug": data.input.slug,
        "recommendation_id": data.input.recommendation_id,
        "summary_id": data.summary_id,
        "number": 1,
    }


def _operations(schema) -> list:
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 10
    return operations


def test_schemathesis_finds_no_server_error_and_no_answer_that_breaks_the_schema(app):
    data = published_round(app)
    _token_id, secret = issue(app, confidential=True)
    app.config["RATELIMIT_API"] = "100000 per minute"
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    real = _real_path_parameters(data)
    for operation in _operations(schema):
        names = {parameter.name for parameter in operation.path_parameters}
        on_real_objects = {name: real[name] for name in names}
        _fuzz(operation, GenerationMode.POSITIVE, 25)
        _fuzz(operation, GenerationMode.NEGATIVE, 10)
        _fuzz(operation, GenerationMode.POSITIVE, 15, path_parameters=on_real_objects, headers=bearer(secret))


def test_every_endpoint_answers_real_data_as_its_schema_says(app):
    data = published_round(app)
    _token_id, secret = issue(app, confidential=True)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    real = _real_path_parameters(data)
    answered = []
    for operation in _operations(schema):
        names = {parameter.name for parameter in operation.path_parameters}
        query_names = {parameter.name for parameter in operation.query}
        variants: list[dict[str, Any]] = [{}, {"query": {"lang": "fr"}} if "lang" in query_names else {}]
        if "include" in query_names:
            variants.append({"query": {"include": "confidential"}, "headers": bearer(secret)})
        for variant in variants:
            case = operation.Case(path_parameters={name: real[name] for name in names}, **variant)
            response = case.call_and_validate(checks=CHECKS)
            assert response.status_code == 200, (operation.label, response.text[:300])
            answered.append(len(response.json()["data"]))
    assert all(answered), "each endpoint answered with data"
