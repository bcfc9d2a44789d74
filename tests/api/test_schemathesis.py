"""schemathesis, the OpenAPI fuzzer, over the local app (real local adapters on a temp
dir, the fake model runtime): for every operation, a few generated requests, with a
valid API key, answer with no server error and only status codes the OpenAPI document
declares for that operation.

The operations are driven one by one with Hypothesis (schemathesis' lazy pytest fixture
loader does not run under pytest 9), and every operation's first failure is reported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import schemathesis
from api_support import A
from fastapi import FastAPI
from fastapi.responses import JSONResponse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from api.app import create_app

if TYPE_CHECKING:
    from api.ports import Adapters
    from api.settings import Settings

CHECKS = [not_a_server_error, status_code_conformance]
EXAMPLES = 12
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)


def failures_of(app: object, headers: dict[str, str]) -> dict[str, str]:
    """Each failing operation's label and first failure, after ``EXAMPLES`` cases each."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: dict[str, str] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        # Valid requests and invalid ones (which must be refused with a documented 4xx).
        cases = st.one_of(operation.as_strategy(mode) for mode in MODES)

        @given(case=cases)
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def conforms(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            conforms()
        # schemathesis' FailureGroup is a BaseExceptionGroup; every operation's is collected.
        except (Exception, BaseExceptionGroup) as error:
            failures[operation.label] = str(error)[:2000]
    return failures


def test_operations_conform(settings: Settings, container: Adapters) -> None:
    # A server that can serve (its models folder exists): /healthz answers 200, not 503.
    settings.models_dir.mkdir(parents=True, exist_ok=True)
    app = create_app(settings, container)
    operations = app.openapi()["paths"]
    assert sum(len(methods) for methods in operations.values()) > 10
    failures = failures_of(app, dict(A))
    assert not failures, "\n\n".join(f"{label}: {error}" for label, error in failures.items())


def test_the_checks_are_active() -> None:
    """Negative control: a server error and an undocumented status code are both caught."""
    control = FastAPI()

    # Documented, and still a server error.
    @control.get("/boom", responses={500: {"description": "broken"}})
    def boom() -> JSONResponse:
        return JSONResponse({"detail": "boom"}, status_code=500)

    @control.get("/teapot", responses={200: {"description": "ok"}})
    def teapot() -> JSONResponse:
        return JSONResponse({"detail": "teapot"}, status_code=418)

    @control.get("/fine")
    def fine() -> dict[str, str]:
        return {"ok": "yes"}

    failures = failures_of(control, {})
    assert set(failures) == {"GET /boom", "GET /teapot"}
    assert "Server error" in failures["GET /boom"]
    assert "Undocumented status code" in failures["GET /teapot"]
