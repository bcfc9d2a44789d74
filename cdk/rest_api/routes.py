"""The routes API Gateway exposes, one method each (DESIGN.md §2).

Explicit resources rather than a ``{proxy+}``: the gateway validates each method (JSON
object bodies, required path parameters) and answers unknown paths itself, before any
Lambda runs. ``tests/cdk`` compares this table with the FastAPI app's routes, so a route
added to the app without one here fails a test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# {name} or the greedy {name+}; both arrive as method.request.path.<name>.
_PARAMETER = re.compile(r"\{([a-z_]+)\+?\}")


@dataclass(frozen=True, slots=True)
class Route:
    path: str
    methods: tuple[str, ...]

    @property
    def path_parameters(self) -> tuple[str, ...]:
        return tuple(_PARAMETER.findall(self.path))


# Authenticated (Cognito on the frontend API, an API key on the partner API).
ROUTES: tuple[Route, ...] = (
    Route("/v1/uploads", ("POST",)),
    Route("/v1/segmentations", ("POST",)),
    Route("/v1/try-ons", ("POST",)),
    Route("/v1/generations", ("POST",)),
    Route("/v1/avatar-models", ("POST", "GET")),
    Route("/v1/avatar-models/{avatar_id}", ("GET", "DELETE")),
    Route("/v1/avatar-models/{avatar_id}/generations", ("POST",)),
    Route("/v1/models", ("POST", "GET")),
    Route("/v1/models/{model_id}", ("GET", "DELETE")),
    Route("/v1/attributes", ("POST",)),
    Route("/v1/attribute-jobs", ("POST",)),
    Route("/v1/attribute-models", ("POST", "GET")),
    Route("/v1/attribute-models/{model_id}", ("GET", "DELETE")),
    Route("/v1/taxonomies", ("GET",)),
    Route("/v1/taxonomies/{name}", ("GET", "PUT", "DELETE")),
    Route("/v1/descriptions", ("POST",)),
    Route("/v1/products/describe", ("POST",)),
    Route("/v1/jobs/{job_id}", ("GET",)),
    Route("/v1/comparisons", ("POST", "GET")),
    Route("/v1/comparisons/{comparison_id}", ("GET", "DELETE")),
    Route("/v1/comparisons/{comparison_id}/ratings", ("POST",)),
    # POST takes an empty JSON object ({}): the gateway validates POST bodies as objects.
    Route("/v1/webhook-secrets", ("POST", "GET")),
)

# Open on both APIs: the health check, the API description and its Swagger UI page, the
# comparison report page.
PUBLIC_ROUTES: tuple[Route, ...] = (
    Route("/healthz", ("GET",)),
    Route("/openapi.json", ("GET",)),
    Route("/docs", ("GET",)),
    Route("/docs/static/{path+}", ("GET",)),
    # The comparison report page (static; it asks for a key before it reads anything).
    Route("/playground/comparison/{path+}", ("GET",)),
)
