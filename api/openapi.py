"""The app's OpenAPI document: FastAPI's, plus what every operation shares.

Routes declare their own error statuses with ``problems(...)``; what the middleware and
API Gateway answer for every operation alike is added here once, so that no route can
forget it: ``Idempotency-Key`` and its 409/422 on every POST, the body cap's 413, the
400 for a body that is not JSON, and 401/403/429/503 on every authenticated operation.
Every error response points at the one ``Problem`` component.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi.openapi.utils import get_openapi

from api.schemas.common import PROBLEM_JSON, PROBLEM_REF, Problem
from api.services.idempotency import HEADER

if TYPE_CHECKING:
    from fastapi import FastAPI

# JSON Schema (ECMA regex) of what ``idempotency.check_key`` accepts.
IDEMPOTENCY_KEY: dict[str, Any] = {
    "name": HEADER.title(),
    "in": "header",
    "required": False,
    "description": "Same key + same body within the key's lifetime: the first response "
    "again (header `Idempotent-Replayed: true`); same key + another body: 422; while the "
    "first request runs: 409 with Retry-After.",
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": 255,
        "pattern": "^[!-~]([ -~]{0,253}[!-~])?$",
        "examples": ["order-1234-try-on"],
    },
}

# What applies to every operation of a kind, beyond what its route declares.
_AUTHENTICATED = {
    401: "Missing or invalid credentials.",
    403: "Refused by API Gateway (key not allowed on this stage) or the web ACL (AWS).",
    429: "Throttled by the API key's usage plan (AWS); retry later.",
    503: "A backing service is unavailable; retry later.",
}
_POST = {
    409: "A request with this Idempotency-Key is still in progress (see Retry-After).",
    413: "Request body is too large.",
    422: "The request failed validation, or its Idempotency-Key was used for another one.",
}
_MALFORMED_BODY = {400: "The body is not valid JSON."}
_PUT = {413: "Request body is too large."}
# FastAPI's default validation error schemas; ours is the Problem.
_FASTAPI_ERRORS = ("HTTPValidationError", "ValidationError")


def install(app: FastAPI) -> None:
    """Serve this document at ``/openapi.json`` (built once, on first use)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def document(app: FastAPI) -> dict[str, Any]:
    doc = get_openapi(
        title=app.title,
        version=app.version,
        openapi_version=app.openapi_version,
        description=app.description,
        routes=app.routes,
    )
    schemas: dict[str, Any] = doc.setdefault("components", {}).setdefault("schemas", {})
    for name in _FASTAPI_ERRORS:
        schemas.pop(name, None)
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    for item in doc.get("paths", {}).values():
        for method, operation in item.items():
            _complete(method.upper(), operation)
    return doc


def _complete(method: str, operation: dict[str, Any]) -> None:
    if description := operation.get("description"):
        # The docstring's first line, not FastAPI's title-cased function name ("Create").
        operation["summary"] = description.split("\n", 1)[0].rstrip(".")
    shared: dict[int, str] = {}
    if operation.get("security"):
        shared |= _AUTHENTICATED
    if method == "POST":
        shared |= _POST
        params = operation.setdefault("parameters", [])
        if not any(p.get("name", "").lower() == HEADER for p in params):
            params.append(IDEMPOTENCY_KEY)
        if "requestBody" in operation:
            shared |= _MALFORMED_BODY
    elif method == "PUT":
        shared |= _PUT
    responses: dict[str, Any] = operation.setdefault("responses", {})
    for code, description in shared.items():
        responses.setdefault(str(code), {"description": description})
    for status, response in responses.items():
        if int(status) >= 400 and _is_problem(response):
            response["content"] = {PROBLEM_JSON: {"schema": PROBLEM_REF}}


def _is_problem(response: dict[str, Any]) -> bool:
    """Whether an error response is (or should be) problem+json: no content yet, ours,
    or FastAPI's default validation error (which our handler answers as a Problem)."""
    content = response.get("content")
    if not content:
        return True
    if PROBLEM_JSON in content:
        return True
    schema = content.get("application/json", {}).get("schema", {})
    return str(schema.get("$ref", "")).rsplit("/", 1)[-1] in _FASTAPI_ERRORS
