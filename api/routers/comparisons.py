"""``/v1/comparisons``: one prompt set through several models, scored side by side, and
people's picks of the best image per prompt."""

from typing import Annotated

from fastapi import APIRouter, Body, Query, Response
from pydantic import BaseModel

from api.deps import ComparisonsDep, PresenterDep, TenantDep
from api.domain.jobs import Job
from api.presenters import Presenter
from api.schemas.common import accepted, problems
from api.schemas.comparisons import COMPARISON_EXAMPLES, ComparisonCreate, RatingsIn
from api.schemas.jobs import ComparisonJob

router = APIRouter(prefix="/comparisons", tags=["comparisons"])
# The report page (a static folder the app serves), opened on one comparison: the file,
# not the folder's index, which API Gateway's {path+} route would not match.
PAGE_PATH = "/playground/comparison/report.html"


def comparison_path(comparison_id: str) -> str:
    return f"/v1/comparisons/{comparison_id}"


class ComparisonsPublic(BaseModel):
    data: list[ComparisonJob]
    count: int


def _view(job: Job, present: Presenter) -> ComparisonJob:
    view = present.job_as(job, ComparisonJob)
    view.links.update({
        "comparison": comparison_path(job.id),
        "ratings": f"{comparison_path(job.id)}/ratings",
        "page": f"{PAGE_PATH}?id={job.id}",
    })  # fmt: skip
    return view


@router.post(
    "",
    operation_id="createComparison",
    status_code=202,
    responses={**accepted("comparison"), **problems(400, 401, 404, 409, 413, 415, 422, 503)},
)
def create(
    body: Annotated[ComparisonCreate, Body(openapi_examples=COMPARISON_EXAMPLES)],
    tenant: TenantDep,
    comparisons: ComparisonsDep,
    present: PresenterDep,
    response: Response,
) -> ComparisonJob:
    """Queue a comparison; poll it at Location (``progress`` counts images) or get the webhook.

    Each prompt is moderated (a flagged row is recorded as blocked); ``adapters`` and
    ``style_model_id`` name your own ready models (another tenant's or an unknown id is
    404, one still training 409, one of the wrong kind 422).
    """
    job = comparisons.request(tenant, body.command())
    response.headers["Location"] = comparison_path(job.id)
    return _view(job, present)


@router.get("", operation_id="listComparisons", responses=problems(401, 422, 503))
def read_all(
    tenant: TenantDep,
    comparisons: ComparisonsDep,
    present: PresenterDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> ComparisonsPublic:
    """The caller's comparisons, newest first."""
    views = [_view(job, present) for job in comparisons.list(tenant, limit=limit)]
    return ComparisonsPublic(data=views, count=len(views))


@router.get("/{comparison_id}", operation_id="getComparison", responses=problems(401, 404, 503))
def read(
    comparison_id: str, tenant: TenantDep, comparisons: ComparisonsDep, present: PresenterDep
) -> ComparisonJob:
    """The comparison: status, progress, and once it succeeded the scored grid, with the
    human win rates from the ratings so far."""
    return _view(comparisons.get(tenant, comparison_id), present)


@router.delete(
    "/{comparison_id}",
    operation_id="deleteComparison",
    status_code=204,
    responses=problems(401, 404, 503),
)
def delete(comparison_id: str, tenant: TenantDep, comparisons: ComparisonsDep) -> Response:
    """Stop its run if it still runs; delete its inputs, images, ratings and record."""
    comparisons.delete(tenant, comparison_id)
    return Response(status_code=204)


@router.post(
    "/{comparison_id}/ratings",
    operation_id="rateComparison",
    responses=problems(400, 401, 404, 409, 413, 422, 503),
)
def rate(
    comparison_id: str,
    body: RatingsIn,
    tenant: TenantDep,
    comparisons: ComparisonsDep,
    present: PresenterDep,
) -> ComparisonJob:
    """Record a rater's best image per prompt (their earlier picks are replaced); the
    comparison with the human win rates updated."""
    return _view(comparisons.rate(tenant, comparison_id, body.command()), present)
