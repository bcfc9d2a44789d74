"""Domain objects → response schemas: the HTTP layer's views of jobs and avatars.

Also the job JSON a webhook carries (the composition root hands ``job_json`` to the job
core), so a webhook shows exactly what ``GET /v1/jobs/{id}`` shows.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from api.domain.job_data import AttributeModelTrainingRequest
from api.errors import PROBLEM_BASE
from api.schemas.attribute_models import AttributeModelPublic, AttributeTrainingPublic
from api.schemas.attributes import AttributeModelResult
from api.schemas.avatars import AvatarModelPublic, AvatarTrainingPublic
from api.schemas.jobs import JobErrorPublic, JobPublic, WebhookDeliveryPublic
from api.services.attribute_models import STATUS, model_result
from api.services.avatars import AVATAR_STATUS, avatar_request, avatar_result, number, numbers
from api.services.jobs import job_path

if TYPE_CHECKING:
    from api.domain.jobs import Job, JobError
    from api.services.outputs import ResultImages


def avatar_path(avatar_id: str) -> str:
    return f"/v1/avatar-models/{avatar_id}"


def attribute_model_path(model_id: str) -> str:
    return f"/v1/attribute-models/{model_id}"


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
    """

    def __init__(self, *, outputs: ResultImages) -> None:
        self._outputs = outputs

    def job(self, job: Job) -> JobPublic:
        """The client's view: stored object keys become fresh short-lived URLs."""
        return JobPublic(
            id=job.id,
            kind=job.kind,
            status=job.status,
            created_at=job.created_at,
            updated_at=job.updated_at,
            result=None if job.result is None else self.with_urls(job.result),
            error=error_public(job.error),
            webhook=None if job.webhook is None else WebhookDeliveryPublic(**asdict(job.webhook)),
            links={"self": job_path(job.id)},
        )

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
