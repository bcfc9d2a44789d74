"""The FastAPI application: ``create_app`` is what uvicorn ``--factory``, Mangum and tests call."""

from __future__ import annotations

from contextlib import asynccontextmanager
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

from api import errors, openapi
from api.bootstrap import Root, build_root
from api.middleware import MAX_BODY_BYTES, BodyLimitMiddleware, IdempotencyMiddleware
from api.routers import (
    attribute_jobs,
    attribute_models,
    attributes,
    avatar_models,
    comparisons,
    descriptions,
    docs,
    generations,
    health,
    jobs,
    models,
    products,
    segmentations,
    taxonomies,
    try_ons,
    uploads,
    webhook_secrets,
)
from api.settings import Settings, get_settings

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from api.ports import Adapters

API_PREFIX = "/v1"
PLAYGROUND_PATH = "/playground"
PLAYGROUND_DIR = Path(__file__).resolve().parents[1] / "playground"
# The comparison report page (sagemaker_containers/comparison/report_page, no build step),
# served on both profiles (the Lambda asset carries it): it reads a comparison with the
# caller's key and posts their picks.
COMPARISON_PAGE_PATH = "/playground/comparison"
COMPARISON_PAGE_DIR = (
    Path(__file__).resolve().parents[1] / "sagemaker_containers" / "comparison" / "report_page"
)
_DESCRIPTION = (
    "Generative fashion imaging and product copy for storefronts. Authenticate with "
    "`x-api-key`; errors are `application/problem+json`; POSTs accept `Idempotency-Key`."
)


def create_app(
    settings: Settings | None = None,
    adapters: Adapters | None = None,
    *,
    root: Root | None = None,
) -> FastAPI:
    """Build the app on adapters chosen from ``settings`` (or given: tests pass fakes).

    Adapters built here are closed at shutdown; adapters (or a root) passed in belong to
    the caller.
    """
    owned = adapters is None and root is None
    if root is None:
        root = build_root(settings or get_settings(), adapters)
    settings = root.settings
    app_root = root

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        if owned:
            app_root.close()

    app = FastAPI(
        title="Vitrine API",
        version=_version(),
        description=_DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.services = root.services
    app.state.presenter = root.presenter
    app.state.tenants = root.adapters.tenants
    errors.install(app)
    openapi.install(app)

    app.include_router(health.router)
    app.include_router(docs.router)
    app.mount(docs.STATIC_PATH, StaticFiles(directory=str(swagger_ui_path)), name="swagger-ui")
    for module in (
        uploads, segmentations, try_ons, generations, attributes, taxonomies, descriptions,
        products, jobs, webhook_secrets,
    ):  # fmt: skip
        app.include_router(module.router, prefix=API_PREFIX)
    app.include_router(avatar_models.router, prefix=API_PREFIX)
    app.include_router(models.router, prefix=API_PREFIX)
    app.include_router(attribute_models.router, prefix=API_PREFIX)
    app.include_router(attribute_jobs.router, prefix=API_PREFIX)
    app.include_router(comparisons.router, prefix=API_PREFIX)
    # Before the playground's mount, which would take its path.
    app.mount(
        COMPARISON_PAGE_PATH,
        StaticFiles(directory=str(COMPARISON_PAGE_DIR), html=True, check_dir=False),
        name="comparison-page",
    )
    if settings.profile == "local":
        from api.routers import files  # imports the local filesystem adapter

        a = root.adapters
        app.state.file_stores = {
            "uploads": a.uploads, "results": a.results, "artifacts": a.artifacts
        }
        app.include_router(files.router, prefix=API_PREFIX)
        # The playground page (static; `make clients` bundles its script). Any deployment
        # can be tried from it: it takes a base URL and a key.
        app.mount(
            PLAYGROUND_PATH,
            StaticFiles(directory=str(PLAYGROUND_DIR), html=True, check_dir=False),
            name="playground",
        )

    # Last added runs first: the body cap guards everything, idempotency included.
    app.add_middleware(
        IdempotencyMiddleware, keys=root.services.idempotency, tenants=root.adapters.tenants
    )
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=MAX_BODY_BYTES,
        upload_max_bytes=settings.max_upload_bytes,
        upload_path=f"{API_PREFIX}/files/",
    )
    if origins := settings.cors_origins():
        # Outermost, so that browsers can read every answer, a 413 from the body cap too.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["authorization", "content-type", "idempotency-key", "x-api-key"],
            expose_headers=["location", "idempotent-replayed"],
            max_age=600,
        )
    return app


def _version() -> str:
    try:
        return metadata.version("vitrine")
    except metadata.PackageNotFoundError:
        return "0.0.0"
