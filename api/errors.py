"""RFC 9457 problem+json: every error the API returns, mapped in one place."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse

from api.domain import errors as e

if TYPE_CHECKING:
    from fastapi import FastAPI
    from starlette.requests import Request

log = logging.getLogger(__name__)

PROBLEM_BASE = "https://vitrine.dev/problems/"
PROBLEM_JSON = "application/problem+json"

# Domain error -> HTTP status. Looked up along the class's MRO, most specific first.
STATUS: dict[type[e.VitrineError], int] = {
    e.MalformedJson: 400,
    e.RequestValidationFailed: 422,
    e.PayloadTooLarge: 413,
    e.InvalidBase64: 422,
    e.InvalidImage: 422,
    e.UnsupportedImageFormat: 415,
    e.ImageTooLarge: 413,
    e.ImageTooManyPixels: 413,
    e.ImageTooSmall: 422,
    e.UnknownUpload: 422,
    e.UploadRejected: 422,
    e.UrlSignatureInvalid: 403,
    e.ContentFlagged: 422,
    e.Unauthorized: 401,
    e.NotFound: 404,
    e.InvalidJobTransition: 409,
    e.Conflict: 409,
    e.IdempotencyKeyReused: 422,
    e.IdempotencyInProgress: 409,
    e.ModelInputRejected: 422,
    e.ModelInvocationFailed: 502,
    e.ModelUnavailable: 503,
    e.DependencyUnavailable: 503,
    e.DependencyTimeout: 504,
    e.VitrineError: 500,
}

# FastAPI's answer to a JSON body it could not parse for a reason other than a syntax
# error (e.g. nesting deeper than the parser's recursion limit).
_BODY_PARSE_ERROR = "There was an error parsing the body"

# Framework errors that are not domain errors, by HTTP status.
_HTTP_SLUGS = {
    404: ("not-found", "Resource not found"),
    405: ("method-not-allowed", "Method not allowed"),
    413: ("payload-too-large", "Request body is too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
}


def _typed(ext: dict[str, Any]) -> dict[str, Any]:
    """Extensions with every listed item's ``type`` slug as its problem URI
    (``photo_errors``: one entry per rejected photo)."""
    out: dict[str, Any] = {}
    for name, value in ext.items():
        if isinstance(value, list):
            value = [
                {**item, "type": PROBLEM_BASE + item["type"]}
                if isinstance(item, dict) and isinstance(item.get("type"), str)
                and not item["type"].startswith(PROBLEM_BASE)
                else item
                for item in value
            ]
        out[name] = value
    return out


def status_of(err: e.VitrineError) -> int:
    for cls in type(err).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500


def problem(
    status: int, slug: str, title: str, detail: str, instance: str | None = None, **ext: Any
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    body.update(_typed(ext))
    headers: dict[str, str] = {}
    if status == 401:
        headers["WWW-Authenticate"] = 'ApiKey header="x-api-key"'
    if isinstance(ext.get("retry_after"), int):
        headers["Retry-After"] = str(ext["retry_after"])
    return JSONResponse(
        body, status_code=status, media_type=PROBLEM_JSON, headers=headers or None
    )


def problem_for(err: e.VitrineError, instance: str | None = None) -> JSONResponse:
    return problem(status_of(err), err.slug, err.title, err.detail, instance, **err.extensions)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every failure into problem+json."""

    async def on_domain(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, e.VitrineError)
        if status_of(exc) >= 500:
            log.warning("request failed: %s: %s", exc.slug, exc.detail)
        return problem_for(exc, request.url.path)

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = exc.errors()
        if any(err.get("type") == "json_invalid" for err in errors):
            return problem_for(e.MalformedJson(_json_detail(errors)), request.url.path)
        fields = [
            {
                "loc": [str(p) for p in err.get("loc", ())],
                "msg": err.get("msg", ""),
                "type": err.get("type", ""),
            }
            for err in errors
        ]
        detail = "; ".join(f"{'.'.join(f['loc'][1:]) or 'body'}: {f['msg']}" for f in fields)
        return problem(
            422, e.RequestValidationFailed.slug, e.RequestValidationFailed.title,
            detail, request.url.path, errors=fields,
        )

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 400 and exc.detail == _BODY_PARSE_ERROR:
            err = e.MalformedJson("Body is not valid JSON (or is nested too deeply)")
            return problem_for(err, request.url.path)
        slug, title = _HTTP_SLUGS.get(exc.status_code, ("http-error", "HTTP error"))
        return problem(exc.status_code, slug, title, str(exc.detail), request.url.path)

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return problem(500, "internal-error", "Internal error", "Unexpected error; it was logged.")

    app.add_exception_handler(e.VitrineError, on_domain)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_unexpected)


def _json_detail(errors: Any) -> str:
    for err in errors:
        if err.get("type") == "json_invalid":
            ctx = err.get("ctx") or {}
            return f"Body is not valid JSON: {ctx.get('error', 'parse error')}"
    return json.dumps(errors)[:200]
