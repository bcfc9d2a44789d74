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

from api.domain import training_recipes
from api.domain.errors import Conflict, NotFound
from api.domain.job_data import AvatarTrainingRequest, AvatarTrainingResult, NoState, stored
from api.domain.jobs import Job, JobKind, JobStatus, new_id
from api.domain.outcomes import TrainingFinished
from api.ports import TrainingSpec
from api.services.avatar_photos import PHOTO_CONTENT_TYPE, photo_name
from api.services.jobs import HandedOff, OutcomeRefused

if TYPE_CHECKING:
    from api.domain.commands import AvatarCommand
    from api.ports import AvatarRegistry, JobStore, ObjectStore, TrainingLauncher
    from api.services.avatar_photos import PhotoChecker
    from api.services.generation import GenerationRules
    from api.services.jobs import Completion, JobCore
    from api.settings import Settings

TRAINING_KIND = "avatar"
# An avatar's status, as clients see it, by its training job's status.
AVATAR_STATUS: dict[JobStatus, str] = {
    JobStatus.QUEUED: "queued",
    JobStatus.RUNNING: "training",
    JobStatus.SUCCEEDED: "ready",
    JobStatus.FAILED: "failed",
    JobStatus.CANCELED: "canceled",
}


def avatar_prefix(tenant: str, avatar_id: str) -> str:
    """The avatar's own prefix, the same in uploads, artifacts and results."""
    return f"{tenant}/avatars/{avatar_id}/"


def avatar_request(avatar: Job) -> AvatarTrainingRequest:
    """An avatar's typed request (what it was trained on and how)."""
    return AvatarTrainingRequest.model_validate(avatar.request)


def avatar_result(avatar: Job) -> AvatarTrainingResult | None:
    """A trained avatar's typed result; ``None`` until its training succeeded."""
    return None if avatar.result is None else AvatarTrainingResult.model_validate(avatar.result)


class AvatarModels:
    """``/v1/avatar-models``: create (queue training), read, list, delete.

    Parameters
    ----------
    jobs
        The avatar records (an avatar is its training job).
    uploads, artifacts, results
        Where an avatar's photos, training output and generated images live.
    training
        Stopped when an avatar is deleted mid-training.
    registry
        Serves trained avatars; unregistered on delete.
    photos
        Checks and normalises the photo set.
    rules
        Checks the callback URL.
    core
        Records and queues the training job.
    settings
        Training parameters, photo limits and the record's lifetime.
    """

    def __init__(
        self,
        *,
        jobs: JobStore,
        uploads: ObjectStore,
        artifacts: ObjectStore,
        results: ObjectStore,
        training: TrainingLauncher,
        registry: AvatarRegistry,
        photos: PhotoChecker,
        rules: GenerationRules,
        core: JobCore,
        settings: Settings,
    ) -> None:
        self._jobs = jobs
        self._uploads = uploads
        self._artifacts = artifacts
        self._results = results
        self._training = training
        self._registry = registry
        self._photos = photos
        self._rules = rules
        self._core = core
        self._settings = settings

    def request(self, tenant: str, req: AvatarCommand) -> Job:
        """Validate the photos, store them under the avatar's prefix, then queue its training.

        Nothing is stored before every photo has passed, so a rejected request leaves
        neither photos nor a record behind; photos stored for a request that then fails
        (a store or the queue down) are removed again.
        """
        settings = self._settings
        callback = self._rules.callback(req.callback_url)
        photos = self._photos.accept(tenant, list(req.photos))
        token = settings.avatar_instance_token
        job = Job.new(
            tenant=tenant,
            kind=JobKind.AVATAR_TRAINING,
            request={},
            ttl_days=settings.avatar_ttl_days,
            callback_url=callback,
        )
        avatar = replace(job, id=new_id("avt"))
        prefix = avatar_prefix(tenant, avatar.id)
        request = AvatarTrainingRequest(
            name=req.name,
            subject_class=req.subject_class,
            token=token,
            instance_prompt=f"a photo of {token} {req.subject_class}",
            photo_prefix=prefix,
            photo_count=len(photos),
            min_photo_side=settings.avatar_min_photo_side,
            steps=settings.avatar_train_steps,
            resolution=settings.avatar_resolution,
            rank=settings.avatar_lora_rank,
            seed=secrets.randbelow(2**31),
        )
        try:
            for index, data in enumerate(photos):
                self._uploads.put(prefix + photo_name(index), data, content_type=PHOTO_CONTENT_TYPE)
            return self._core.submit(replace(avatar, request=request.model_dump(mode="json")))
        except Exception:
            self._uploads.delete_prefix(prefix)  # no orphaned photos
            raise

    def get(self, tenant: str, avatar_id: str) -> Job:
        """The tenant's avatar; another tenant's id (or any other job's) is not found."""
        return find_avatar(self._jobs, tenant, avatar_id)

    def list(self, tenant: str, *, limit: int) -> list[Job]:
        """The tenant's avatars, newest first."""
        return self._jobs.list(tenant, kind=JobKind.AVATAR_TRAINING, limit=limit)

    def ready(self, tenant: str, avatar_id: str) -> Job:
        """The avatar, if it can generate; ``Conflict`` (409) while training or after failure."""
        return ready_avatar(self._jobs, tenant, avatar_id)

    def delete(self, tenant: str, avatar_id: str) -> None:
        """Stop its training, delete its served model, artifacts, photos and images, then
        the record.

        The record goes last: if a store fails midway the avatar is still there, and a retry
        of the delete finishes the job instead of leaving unreachable artifacts.
        """
        avatar = self.get(tenant, avatar_id)
        if not avatar.status.terminal:
            self._training.stop(training_spec(avatar))
        prefix = avatar_prefix(tenant, avatar_id)
        self._registry.unregister(tenant=tenant, avatar_id=avatar_id)
        self._artifacts.delete_prefix(prefix)
        self._results.delete_prefix(prefix)
        self._uploads.delete_prefix(prefix)
        self._jobs.delete(tenant, avatar_id)


def find_avatar(jobs: JobStore, tenant: str, avatar_id: str) -> Job:
    """The tenant's avatar; another tenant's id (or any other job's) is not found."""
    job = jobs.get(tenant, avatar_id)
    if job is None or job.kind is not JobKind.AVATAR_TRAINING:
        raise NotFound(f"no avatar model {avatar_id}")
    return job


def ready_avatar(jobs: JobStore, tenant: str, avatar_id: str) -> Job:
    """The avatar, if it can generate; ``Conflict`` (409) while training or after failure."""
    avatar = find_avatar(jobs, tenant, avatar_id)
    if avatar.status is not JobStatus.SUCCEEDED:
        state = AVATAR_STATUS[avatar.status]
        raise Conflict(f"avatar model {avatar_id} is {state}; it can generate once it is ready")
    return avatar


def training_spec(avatar: Job) -> TrainingSpec:
    """The training run for an avatar; hyperparameters are ``train.py``'s, as strings."""
    req = avatar_request(avatar)
    return TrainingSpec(
        kind=TRAINING_KIND,
        job_id=avatar.id,
        tenant=avatar.tenant,
        input_prefix=req.photo_prefix,
        output_prefix=avatar_prefix(avatar.tenant, avatar.id),
        hyperparameters=training_recipes.hyperparameters(
            TRAINING_KIND,
            instance_token=req.token,
            class_name=req.subject_class,
            instance_prompt=req.instance_prompt,
            max_train_steps=req.steps,
            resolution=req.resolution,
            rank=req.rank,
            seed=req.seed,
            # Exactly the photos stored, held to the checks the API made.
            min_photos=req.photo_count,
            max_photos=req.photo_count,
            min_photo_side=req.min_photo_side,
        ),
    )


class AvatarTrainingJob:
    """The avatar-training kind's steps: launch (``execute``); register the trained
    adapter and report its figures (``complete``, on ``TrainingFinished``)."""

    def __init__(
        self, *, jobs: JobStore, training: TrainingLauncher, registry: AvatarRegistry
    ) -> None:
        self._jobs = jobs
        self._training = training
        self._registry = registry

    def execute(
        self, avatar: Job, req: AvatarTrainingRequest, state: NoState
    ) -> HandedOff[NoState]:
        self._training.launch(training_spec(avatar))
        return HandedOff()

    def complete(
        self, avatar: Job, req: AvatarTrainingRequest, state: NoState, outcome: Completion
    ) -> dict[str, Any]:
        if not isinstance(outcome, TrainingFinished):
            raise OutcomeRefused(f"an avatar training does not take {type(outcome).__name__}")
        # An avatar is its training job: same id.
        registered = self._registry.register(
            tenant=avatar.tenant, avatar_id=avatar.id, artifacts=outcome.artifacts
        )
        if self._jobs.get(avatar.tenant, avatar.id) is None:
            # Deleted while it was being registered: take the served model down again.
            self._registry.unregister(tenant=avatar.tenant, avatar_id=avatar.id)
            raise NotFound(f"avatar model {avatar.id} was deleted")
        result = AvatarTrainingResult(
            avatar_id=avatar.id,
            target_model=registered.target_model,
            metadata=_json_safe(outcome.metadata or registered.metadata),
            training_job=outcome.training_job or None,
            model_artifacts=outcome.artifacts if outcome.training_job else None,
            artifacts=avatar_prefix(avatar.tenant, avatar.id),
            token=req.token,
            base=_base_of(outcome.metadata or registered.metadata),
        )
        return stored(result)


def _base_of(metadata: dict[str, Any]) -> str | None:
    """The base avatar.json names: its hub id, else its folder."""
    base = metadata.get("base_model_id") or metadata.get("base_model")
    return str(base) if base else None


# avatar.json comes from the training container: show what is well-formed, skip the rest.
def number(value: Any, kind: type[float] | type[int] = float) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return kind(value)


def numbers(value: Any) -> list[float] | None:
    if not isinstance(value, list):
        return None
    found = [number(v) for v in value]
    return None if None in found else found


def _json_safe(value: Any) -> Any:
    """``value`` with NaN/infinity (a diverged loss) as ``None``: JSON has no such numbers."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value
