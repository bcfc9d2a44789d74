"""Domain objects → response schemas: the HTTP layer's views of jobs and avatars.

Also the job JSON a webhook carries (the composition root hands ``job_json`` to the job
core), so a webhook shows exactly what ``GET /v1/jobs/{id}`` shows.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any, TypeVar, cast

from api.domain.job_data import AttributeModelTrainingRequest
from api.domain.jobs import JobStatus
from api.errors import PROBLEM_BASE
from api.schemas.attribute_models import AttributeModelPublic, AttributeTrainingPublic
from api.schemas.attributes import AttributeModelResult
from api.schemas.avatars import AvatarModelPublic, AvatarTrainingPublic
from api.schemas.jobs import JOB_VIEWS, JobErrorPublic, JobPublic, JobView
from api.schemas.models import ModelPublic, ModelTrainingPublic
from api.services.attribute_models import STATUS, model_result
from api.services.avatars import AVATAR_STATUS, avatar_request, avatar_result, number, numbers
from api.services.jobs import job_path
from api.services.models import BY_JOB_KIND, model_request
from api.services.models import model_result as tenant_model_result

if TYPE_CHECKING:
    from collections.abc import Mapping

    from api.domain.job_data import JobData
    from api.domain.jobs import Job, JobError, JobKind
    from api.ports import ProgressBoard
    from api.services.outputs import ResultImages

View = TypeVar("View", bound=JobView)


def avatar_path(avatar_id: str) -> str:
    return f"/v1/avatar-models/{avatar_id}"


def attribute_model_path(model_id: str) -> str:
    return f"/v1/attribute-models/{model_id}"


def model_path(model_id: str) -> str:
    return f"/v1/models/{model_id}"


def error_public(error: JobError | None) -> JobErrorPublic | None:
    if error is None:
        return None
    return JobErrorPublic(type=PROBLEM_BASE + error.type, title=error.title, detail=error.detail)


class Presenter:
    """Views that need fresh URLs for stored results.

    Parameters
    ----------
    outputs
        Turns stored result keys into short-lived URLs.
    progress
        Where running work reports its steps (local); absent, coarse stages only.
    states
        Each job kind's state model: a running job whose work was handed off (to an
        async endpoint, a training job) shows the stage ``submitted``.
    """

    def __init__(
        self,
        *,
        outputs: ResultImages,
        progress: ProgressBoard | None = None,
        states: Mapping[JobKind, type[JobData]] | None = None,
    ) -> None:
        self._outputs = outputs
        self._progress = progress
        self._states = states or {}

    def job(self, job: Job) -> JobPublic:
        """The client's view: stored object keys become fresh short-lived URLs."""
        return cast("JobPublic", self.job_as(job, JOB_VIEWS[job.kind]))

    def job_as(self, job: Job, view: type[View]) -> View:
        """The view of a job whose kind the caller knows (e.g. the route that created it)."""
        return view.model_validate(
            {
                "id": job.id,
                "kind": job.kind,
                "status": job.status,
                "created_at": job.created_at,
                "updated_at": job.updated_at,
                "result": None if job.result is None else self.with_urls(job.result),
                "error": error_public(job.error),
                "webhook": None if job.webhook is None else asdict(job.webhook),
                "links": {"self": job_path(job.id)},
                "progress": self.progress(job),
            }
        )

    def progress(self, job: Job) -> dict[str, Any] | None:
        """How far a job that has not ended has come: the steps its model reported, or
        its coarse stage (``queued``, ``submitted``, ``running``)."""
        if job.status.terminal:
            return None
        reported = self._progress.get(job.id) if self._progress is not None else None
        if job.status is JobStatus.RUNNING and reported is not None:
            return asdict(reported)
        stage = job.status.value
        state = self._states.get(job.kind)
        if job.status is JobStatus.RUNNING and state is not None:
            if state.model_validate(job.internal).handed_off:
                stage = "submitted"
        return {"stage": stage, "updated_at": job.updated_at}

    def job_json(self, job: Job) -> dict[str, Any]:
        return self.job(job).model_dump(mode="json")

    def with_urls(self, value: Any) -> Any:
        """A stored job result with every ``{"key": ...}`` replaced by a fresh ``{"url": ...}``.

        Results keep object keys, never URLs: URLs expire, keys do not.
        """
        if isinstance(value, dict):
            if isinstance(value.get("key"), str):
                rest = {k: self.with_urls(v) for k, v in value.items() if k != "key"}
                return {"url": self._outputs.url(value["key"]), **rest}
            return {k: self.with_urls(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.with_urls(v) for v in value]
        return value


def avatar_view(avatar: Job) -> AvatarModelPublic:
    """The client's view of an avatar record."""
    req = avatar_request(avatar)
    result = avatar_result(avatar)
    metadata: dict[str, Any] = result.metadata if result is not None else {}
    return AvatarModelPublic(
        id=avatar.id,
        name=req.name,
        subject_class=req.subject_class,
        token=req.token,
        subject=req.subject,
        status=AVATAR_STATUS[avatar.status],
        photo_count=req.photo_count,
        training=AvatarTrainingPublic(
            steps=req.steps,
            resolution=req.resolution,
            rank=req.rank,
            loss_curve=numbers(metadata.get("loss_curve")),
            final_loss=number(metadata.get("final_loss")),
            adapter_bytes=number(metadata.get("adapter_bytes"), int),
            seconds=number(metadata.get("seconds")),
        ),
        error=error_public(avatar.error),
        created_at=avatar.created_at,
        updated_at=avatar.updated_at,
        links={
            "self": avatar_path(avatar.id),
            "job": job_path(avatar.id),
            "generations": f"{avatar_path(avatar.id)}/generations",
        },
    )


def attribute_model_view(model: Job) -> AttributeModelPublic:
    """The client's view of an attribute model record."""
    req = AttributeModelTrainingRequest.model_validate(model.request)
    result = model_result(model)
    return AttributeModelPublic(
        id=model.id,
        name=req.name,
        status=STATUS[model.status],
        rows=req.rows,
        images=req.images,
        attributes=req.attributes,
        taxonomy=req.taxonomy,
        product_type=req.product_type,
        training=AttributeTrainingPublic(
            steps=req.steps,
            epochs=req.epochs,
            rank=req.rank,
            validation_fraction=req.validation_fraction,
        ),
        result=None if result is None else AttributeModelResult(**result.model_dump()),
        error=error_public(model.error),
        created_at=model.created_at,
        updated_at=model.updated_at,
        links={"self": attribute_model_path(model.id), "job": job_path(model.id)},
    )


def model_view(model: Job) -> ModelPublic:
    """The client's view of any tenant model: an avatar, or a style/product/concept model."""
    if model.kind not in BY_JOB_KIND:  # an avatar, as /v1/avatar-models shows it
        avatar = avatar_view(model)
        result = avatar_result(model)
        return ModelPublic(
            id=avatar.id,
            kind="avatar",
            name=avatar.name,
            status=avatar.status,
            token=avatar.token,
            base=result.base if result is not None else None,
            images=avatar.photo_count,
            training=ModelTrainingPublic(**avatar.training.model_dump()),
            error=avatar.error,
            created_at=avatar.created_at,
            updated_at=avatar.updated_at,
            links={**avatar.links, "self": model_path(avatar.id)},
        )
    req = model_request(model)
    found = tenant_model_result(model)
    metadata: dict[str, Any] = found.metadata if found is not None else {}
    return ModelPublic(
        id=model.id,
        kind=cast("Any", BY_JOB_KIND[model.kind].name),
        name=req.name,
        status=cast("Any", AVATAR_STATUS[model.status]),
        token=req.token,
        base=req.base,
        images=req.images,
        training=ModelTrainingPublic(
            steps=req.steps,
            resolution=req.resolution,
            rank=req.rank,
            loss_curve=numbers(metadata.get("loss_curve")),
            final_loss=number(metadata.get("final_loss")),
            adapter_bytes=number(metadata.get("adapter_bytes"), int),
            seconds=number(metadata.get("seconds")),
        ),
        error=error_public(model.error),
        created_at=model.created_at,
        updated_at=model.updated_at,
        links={"self": model_path(model.id), "job": job_path(model.id)},
    )
