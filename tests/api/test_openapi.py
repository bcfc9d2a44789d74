"""The OpenAPI document, as generators read it: valid, one shared ``Problem``, every
route named and tagged, ``Idempotency-Key`` on every POST, both security schemes, typed
job results, an example on every request body.

``openapi-spec-validator`` is the judge of validity; generators themselves are driven in
``tests/clients``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from openapi_spec_validator import validate

from api.app import create_app

if TYPE_CHECKING:
    from fastapi import FastAPI

    from api.ports import Adapters
    from api.settings import Settings

PROBLEM_REF = "#/components/schemas/Problem"
METHODS = ("get", "put", "post", "delete", "patch")


@pytest.fixture
def app(settings: Settings, container: Adapters) -> FastAPI:
    return create_app(settings, container)


@pytest.fixture
def doc(app: FastAPI) -> dict[str, Any]:
    return app.openapi()


def operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, op)
        for path, item in doc["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


def error_schema_problems(doc: dict[str, Any]) -> list[str]:
    """Every error response that is not exactly a $ref to the one Problem component
    (the health check's 503, a HealthPublic body, is its documented exception)."""
    found = []
    for method, path, op in operations(doc):
        for status, response in op["responses"].items():
            if int(status) < 400:
                continue
            content = response.get("content", {})
            if path == "/healthz" and status == "503":
                continue
            if list(content) != ["application/problem+json"]:
                found.append(f"{method} {path} {status}: media types {list(content)}")
                continue
            schema = content["application/problem+json"].get("schema")
            if schema != {"$ref": PROBLEM_REF}:
                found.append(f"{method} {path} {status}: schema {schema}")
    schemas = doc["components"]["schemas"]
    for name in ("HTTPValidationError", "ValidationError"):
        if name in schemas:
            found.append(f"component {name} duplicates Problem")
    return found


def test_the_document_is_valid_openapi(doc: dict[str, Any]) -> None:
    validate(doc)
    assert doc["openapi"].startswith("3.1")


def test_every_error_response_is_the_one_problem_component(doc: dict[str, Any]) -> None:
    assert error_schema_problems(doc) == []
    problem = doc["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail"} <= set(problem["required"])


def test_the_error_schema_check_catches_inline_and_duplicate_schemas(
    doc: dict[str, Any],
) -> None:
    """Negative control: an inlined problem schema, an application/json error and
    FastAPI's own validation component are each reported."""
    op = doc["paths"]["/v1/jobs/{job_id}"]["get"]
    op["responses"]["404"]["content"]["application/problem+json"]["schema"] = {
        "type": "object"
    }
    op["responses"]["401"]["content"] = {"application/json": {"schema": {"$ref": PROBLEM_REF}}}
    doc["components"]["schemas"]["HTTPValidationError"] = {"type": "object"}
    found = error_schema_problems(doc)
    assert len(found) == 3, found


def test_statuses_that_every_post_can_answer_are_documented(doc: dict[str, Any]) -> None:
    for method, path, op in operations(doc):
        if method != "POST" or not path.startswith("/v1/"):
            continue
        assert {"400", "401", "403", "409", "413", "422", "429", "503"} <= set(op["responses"]), (
            path
        )
        params = {p["name"]: p for p in op.get("parameters", []) if p["in"] == "header"}
        assert "Idempotency-Key" in params, path
        assert params["Idempotency-Key"]["schema"]["maxLength"] == 255


def test_route_specific_statuses_are_documented(doc: dict[str, Any]) -> None:
    paths = doc["paths"]
    assert "404" in paths["/v1/jobs/{job_id}"]["get"]["responses"]
    assert {"415", "502"} <= set(paths["/v1/segmentations"]["post"]["responses"])
    assert "415" in paths["/v1/try-ons"]["post"]["responses"]


def naming_problems(app: FastAPI) -> list[str]:
    """Routes without an explicit camelCase operation id or without tags; duplicate ids."""
    # Routes of included routers, as the OpenAPI generator walks them.
    routes = [
        ctx.original_route for ctx in iter_route_contexts(app.routes)
        if isinstance(ctx.original_route, APIRoute) and ctx.original_route.include_in_schema
    ]
    found = [f"no operation_id: {r.path}" for r in routes if not r.operation_id]
    found += [f"no tags: {r.path}" for r in routes if not r.tags]
    ids = [r.operation_id for r in routes if r.operation_id]
    found += [f"duplicate: {i}" for i in sorted(set(ids)) if ids.count(i) > 1]
    found += [f"not camelCase: {i}" for i in ids if not i[0].islower() or "_" in i]
    return found


def test_every_route_has_an_explicit_operation_id_and_tags(app: FastAPI) -> None:
    """FastAPI's generated ids (``create_v1_try_ons_post``) change with the path; a route
    must name its operation (camelCase) so that clients keep their method names."""
    assert len(app.openapi()["paths"]) > 10
    assert naming_problems(app) == []


def test_the_naming_check_catches_a_route_without_an_operation_id() -> None:
    from fastapi import APIRouter, FastAPI

    control = FastAPI()
    router = APIRouter(prefix="/things")

    @router.get("")
    def list_things() -> list[str]:
        return []

    @router.get("/{thing}", operation_id="get_thing", tags=["things"])
    def get_thing(thing: str) -> str:
        return thing

    control.include_router(router)
    assert naming_problems(control) == [
        "no operation_id: /things", "no tags: /things", "not camelCase: get_thing"
    ]


def test_readable_operation_ids(doc: dict[str, Any]) -> None:
    ids = {(m, p): op["operationId"] for m, p, op in operations(doc)}
    assert ids[("POST", "/v1/try-ons")] == "createTryOn"
    assert ids[("GET", "/v1/jobs/{job_id}")] == "getJob"


def test_both_security_schemes_apply_to_every_v1_operation(doc: dict[str, Any]) -> None:
    schemes = doc["components"]["securitySchemes"]
    assert schemes["ApiKey"] == {
        "type": "apiKey", "in": "header", "name": "x-api-key",
        "description": schemes["ApiKey"]["description"],
    }
    assert schemes["CognitoBearer"]["type"] == "http"
    assert schemes["CognitoBearer"]["scheme"] == "bearer"
    for _method, path, op in operations(doc):
        if path.startswith("/v1/") and not path.startswith("/v1/files/"):
            # Alternatives: either one authenticates.
            assert op["security"] == [{"ApiKey": []}, {"CognitoBearer": []}], path


def test_job_results_are_typed_per_kind(doc: dict[str, Any]) -> None:
    job = doc["paths"]["/v1/jobs/{job_id}"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]
    assert job["discriminator"]["propertyName"] == "kind"
    mapping = job["discriminator"]["mapping"]
    assert mapping["try_on"] == "#/components/schemas/TryOnJob"
    schemas = doc["components"]["schemas"]
    result = schemas["TryOnJob"]["properties"]["result"]
    assert {"$ref": "#/components/schemas/TryOnResult"} in result["anyOf"]
    assert "images" in schemas["TryOnResult"]["required"]
    created = doc["paths"]["/v1/try-ons"]["post"]["responses"]["202"]
    assert created["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/TryOnJob"
    }
    assert "Location" in created["headers"]


def test_every_request_body_has_an_example(doc: dict[str, Any]) -> None:
    schemas = doc["components"]["schemas"]
    missing = []
    for method, path, op in operations(doc):
        for media in op.get("requestBody", {}).get("content", {}).values():
            schema = media.get("schema", {})
            if "$ref" in schema:
                schema = schemas[schema["$ref"].rsplit("/", 1)[-1]]
            if not (media.get("example") or media.get("examples") or schema.get("examples")):
                missing.append(f"{method} {path}")
    assert missing == []


def test_every_job_kind_has_a_typed_view() -> None:
    """A new job kind adds its view (``JOB_VIEWS``) with its result model, or its jobs
    could not be shown."""
    from api.domain.jobs import JobKind
    from api.schemas.jobs import JOB_VIEWS

    assert set(JOB_VIEWS) == set(JobKind)
    for kind, view in JOB_VIEWS.items():
        assert view.model_fields["kind"].annotation.__args__ == (kind,)  # type: ignore[union-attr]


def test_each_public_result_shows_every_field_the_job_stores() -> None:
    """The view drops what its result model does not declare: a field added to a stored
    result (``api/domain/job_data.py``) must be added to the public result model too."""
    from api.domain import job_data
    from api.domain.jobs import JobKind
    from api.schemas.jobs import JOB_VIEWS

    stored = {
        JobKind.TRY_ON: job_data.TryOnResult,
        JobKind.AVATAR_TRAINING: job_data.AvatarTrainingResult,
        JobKind.AVATAR_GENERATION: job_data.AvatarGenerationResult,
        JobKind.STYLE_TRAINING: job_data.TenantModelResult,
        JobKind.PRODUCT_TRAINING: job_data.TenantModelResult,
        JobKind.CONCEPT_TRAINING: job_data.TenantModelResult,
    }
    for kind, model in stored.items():
        result = JOB_VIEWS[kind].model_fields["result"].annotation
        public = next(a for a in result.__args__ if a is not type(None))  # type: ignore[union-attr]
        assert set(public.model_fields) == set(model.model_fields), kind
