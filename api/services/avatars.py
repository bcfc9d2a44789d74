"""Avatar models: DreamBooth-LoRA training on a subject's photos, and their lifecycle.

An avatar *is* its training job: one job record of kind ``avatar_training`` whose id
(``avt_…``) is the avatar id. So no second table is needed, ``GET /v1/jobs/{id}`` shows
the training too, and the AWS training-events Lambda finishes it without knowing what an
avatar is. The record lives until the avatar is deleted (``avatar_ttl_days``).

Everything an avatar owns sits under ``{tenant}/avatars/{id}/`` in each store (photos
in uploads, the adapter in artifacts, generated images in results), plus the model the
multi-model endpoint serves, ``{mme_prefix}{tenant}/{id}.tar.gz`` in artifacts, so
deleting an avatar is one prefix per store and leaves nothing behind.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from api.domain.errors import Conflict, NotFound
from api.domain.jobs import Job, JobKind, JobStatus, new_id
from api.errors import PROBLEM_BASE
from api.ports import TrainingSpec
from api.schemas.avatars import AvatarModelPublic, AvatarStatus, AvatarTrainingPublic
from api.schemas.jobs import JobErrorPublic
from api.services import jobs
from api.services.avatar_photos import PHOTO_CONTENT_TYPE, accept_photos, photo_name
from api.services.webhooks import validate_callback_url

if TYPE_CHECKING:
    from api.bootstrap import Container
    from api.schemas.avatars import AvatarModelCreate

TRAINING_KIND = "avatar"
_STATUS: dict[JobStatus, AvatarStatus] = {
    JobStatus.QUEUED: "queued",
    JobStatus.RUNNING: "training",
    JobStatus.SUCCEEDED: "ready",
    JobStatus.FAILED: "failed",
    JobStatus.CANCELED: "canceled",
}


def avatar_path(avatar_id: str) -> str:
    return f"/v1/avatar-models/{avatar_id}"


def avatar_prefix(tenant: str, avatar_id: str) -> str:
    """The avatar's own prefix, the same in uploads, artifacts and results."""
    return f"{tenant}/avatars/{avatar_id}/"


def target_model(tenant: str, avatar_id: str) -> str:
    """The multi-model endpoint's ``TargetModel`` for an avatar (and its key under the prefix)."""
    return f"{tenant}/{avatar_id}.tar.gz"


def serving_key(container: Container, tenant: str, avatar_id: str) -> str:
    """Where the served model lives in the artifacts store: under the MME prefix."""
    return container.settings.mme_prefix + target_model(tenant, avatar_id)


def request_avatar(container: Container, tenant: str, req: AvatarModelCreate) -> Job:
    """Validate the photos, store them under the avatar's prefix, then queue its training.

    Nothing is stored before every photo has passed, so a rejected request leaves
    neither photos nor a record behind; photos stored for a request that then fails
    (a store or the queue down) are removed again.
    """
    settings = container.settings
    callback = (
        validate_callback_url(req.callback_url, profile=settings.profile)
        if req.callback_url is not None
        else None
    )
    photos = accept_photos(container, tenant, req.photos)
    token = settings.avatar_instance_token
    subject = f"{token} {req.subject_class}"
    job = Job.new(
        tenant=tenant,
        kind=JobKind.AVATAR_TRAINING,
        request={},
        ttl_days=settings.avatar_ttl_days,
        callback_url=callback,
    )
    avatar = replace(job, id=new_id("avt"))
    prefix = avatar_prefix(tenant, avatar.id)
    request = {
        "name": req.name,
        "subject_class": req.subject_class,
        "token": token,
        "instance_prompt": f"a photo of {subject}",
        "photo_prefix": prefix,
        "photo_count": len(photos),
        "min_photo_side": settings.avatar_min_photo_side,
        "steps": settings.avatar_train_steps,
        "resolution": settings.avatar_resolution,
        "rank": settings.avatar_lora_rank,
        "seed": secrets.randbelow(2**31),
    }
    try:
        for index, data in enumerate(photos):
            container.uploads.put(prefix + photo_name(index), data, content_type=PHOTO_CONTENT_TYPE)
        return jobs.submit(container, replace(avatar, request=request))
    except Exception:
        container.uploads.delete_prefix(prefix)  # no orphaned photos
        raise


def get_avatar(container: Container, tenant: str, avatar_id: str) -> Job:
    """The tenant's avatar; another tenant's id (or any other job's) is not found."""
    job = container.jobs.get(tenant, avatar_id)
    if job is None or job.kind is not JobKind.AVATAR_TRAINING:
        raise NotFound(f"no avatar model {avatar_id}")
    return job


def list_avatars(container: Container, tenant: str, *, limit: int) -> list[Job]:
    """The tenant's avatars, newest first."""
    return container.jobs.list(tenant, kind=JobKind.AVATAR_TRAINING, limit=limit)


def delete_avatar(container: Container, tenant: str, avatar_id: str) -> None:
    """Stop its training, delete its artifacts, photos and images, then the record.

    The record goes last: if a store fails midway the avatar is still there, and a retry
    of the delete finishes the job instead of leaving unreachable artifacts.
    """
    avatar = get_avatar(container, tenant, avatar_id)
    if not avatar.status.terminal:
        container.training.stop(training_spec(avatar))
    prefix = avatar_prefix(tenant, avatar_id)
    container.artifacts.delete_prefix(serving_key(container, tenant, avatar_id))
    container.artifacts.delete_prefix(prefix)
    container.results.delete_prefix(prefix)
    container.uploads.delete_prefix(prefix)
    container.jobs.delete(tenant, avatar_id)


def training_spec(avatar: Job) -> TrainingSpec:
    """The training run for an avatar; hyperparameters are ``train.py``'s, as strings."""
    req = avatar.request
    count = str(req["photo_count"])
    return TrainingSpec(
        kind=TRAINING_KIND,
        job_id=avatar.id,
        tenant=avatar.tenant,
        input_prefix=req["photo_prefix"],
        output_prefix=avatar_prefix(avatar.tenant, avatar.id),
        hyperparameters={
            "instance_token": req["token"],
            "class_name": req["subject_class"],
            "instance_prompt": req["instance_prompt"],
            "max_train_steps": str(req["steps"]),
            "resolution": str(req["resolution"]),
            "rank": str(req["rank"]),
            "seed": str(req["seed"]),
            # Exactly the photos stored, held to the checks the API made.
            "min_photos": count,
            "max_photos": count,
            "min_photo_side": str(req["min_photo_side"]),
        },
    )


def run_avatar_training(container: Container, avatar: Job) -> Job | None:
    """Execute a running avatar job; ``None`` while training continues elsewhere (AWS)."""
    metadata = container.training.launch(training_spec(avatar))
    if metadata is None:
        return None  # the training-events handler finishes the job
    result = {
        "avatar_id": avatar.id,
        "target_model": target_model(avatar.tenant, avatar.id),
        "metadata": _json_safe(metadata),
    }
    return jobs.succeed(container, avatar, result)


def avatar_view(avatar: Job) -> AvatarModelPublic:
    """The client's view of an avatar record."""
    req = avatar.request
    result = avatar.result or {}
    metadata: dict[str, Any] = result.get("metadata") or {}
    error = None
    if avatar.error is not None:
        error = JobErrorPublic(
            type=PROBLEM_BASE + avatar.error.type,
            title=avatar.error.title,
            detail=avatar.error.detail,
        )
    return AvatarModelPublic(
        id=avatar.id,
        name=req["name"],
        subject_class=req["subject_class"],
        token=req["token"],
        subject=f"{req['token']} {req['subject_class']}",
        status=_STATUS[avatar.status],
        photo_count=req["photo_count"],
        training=AvatarTrainingPublic(
            steps=req["steps"],
            resolution=req["resolution"],
            rank=req["rank"],
            loss_curve=_numbers(metadata.get("loss_curve")),
            final_loss=_number(metadata.get("final_loss")),
            adapter_bytes=_number(metadata.get("adapter_bytes"), int),
            seconds=_number(metadata.get("seconds")),
        ),
        error=error,
        created_at=avatar.created_at,
        updated_at=avatar.updated_at,
        links={
            "self": avatar_path(avatar.id),
            "job": jobs.job_path(avatar.id),
            "generations": f"{avatar_path(avatar.id)}/generations",
        },
    )


def ready_avatar(container: Container, tenant: str, avatar_id: str) -> Job:
    """The avatar, if it can generate; ``Conflict`` (409) while training or after failure."""
    avatar = get_avatar(container, tenant, avatar_id)
    if avatar.status is not JobStatus.SUCCEEDED:
        state = _STATUS[avatar.status]
        raise Conflict(f"avatar model {avatar_id} is {state}; it can generate once it is ready")
    return avatar



# avatar.json comes from the training container: show what is well-formed, skip the rest.
def _number(value: Any, kind: type[float] | type[int] = float) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return kind(value)


def _numbers(value: Any) -> list[float] | None:
    if not isinstance(value, list):
        return None
    numbers = [_number(v) for v in value]
    return None if None in numbers else numbers


def _json_safe(value: Any) -> Any:
    """``value`` with NaN/infinity (a diverged loss) as ``None``: JSON has no such numbers."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value
