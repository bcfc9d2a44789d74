"""Registering a training run started outside the API as a tenant model.

``python -m model_artifacts train`` launches the same training job the API would (the
recipe in ``api/domain/training_recipes.py``); ``register`` turns its output into what
an API-trained model is, through the kind's own completion step: for a style, product
or concept (``TenantModelTrainingJob.complete``) the adapter files under
``{tenant}/models/{id}/`` in artifacts, for an avatar (``AvatarTrainingJob.complete``)
its archive under the multi-model endpoint's prefix, for an attribute model
(``AttributeModelTrainingJob.complete``) its figures, the adapter staying in the output
archive the attributes endpoint loads by key; and a succeeded model record of the tenant,
which ``/v1/models`` (``/v1/attribute-models``) lists and the models' requests use. A tenant model's
files go first and its record last, so a record never names files that are not there;
an avatar's record goes first (its completion checks the avatar still exists) and is
removed again when registering fails. Registering twice is refused (409).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from api.domain.errors import Conflict, RequestValidationFailed
from api.domain.job_data import (
    AttributeModelTrainingRequest,
    AvatarTrainingRequest,
    NoState,
    TenantModelTrainingRequest,
)
from api.domain.jobs import Job, JobKind, JobStatus, new_id
from api.domain.outcomes import JobRef, TrainingFinished
from api.domain.training_recipes import recipe
from api.services.attribute_models import TRAINING_KIND as ATTRIBUTES
from api.services.attribute_models import AttributeModelTrainingJob
from api.services.avatars import TRAINING_KIND as AVATAR
from api.services.avatars import AvatarTrainingJob
from api.services.models import KINDS, TenantModelTrainingJob

if TYPE_CHECKING:
    from api.ports import AvatarRegistry, JobStore, ObjectStore, TrainingLauncher
    from api.settings import Settings


@dataclass(frozen=True, slots=True)
class FinishedRun:
    """A completed training job, as SageMaker describes it."""

    training_job: str
    tenant: str
    kind: str  # the run kind (its vitrine:kind tag)
    model_id: str | None  # its vitrine:job-id tag: the model's id when it is one
    model_artifacts: str  # s3://<models bucket>/…/model.tar.gz
    data: str  # where its training data was (a key prefix in uploads, or an s3:// URI)
    hyperparameters: dict[str, str]
    name: str


def register_run(
    run: FinishedRun,
    *,
    jobs: JobStore,
    artifacts: ObjectStore,
    training: TrainingLauncher,
    registry: AvatarRegistry,
    settings: Settings,
) -> Job:
    """Store ``run``'s adapter and record it as ``run.tenant``'s model; the record.

    Raises ``RequestValidationFailed`` for a kind ``/v1/models`` does not serve, and
    ``Conflict`` when the model is registered already.
    """
    if run.kind == AVATAR:
        model_id = _model_id(run, "avt", jobs)
        avatars = AvatarTrainingJob(jobs=jobs, training=training, registry=registry)
        return _register_avatar(run, model_id, jobs=jobs, avatars=avatars, settings=settings)
    if run.kind == ATTRIBUTES:
        model_id = _model_id(run, "atm", jobs)
        trained = AttributeModelTrainingJob(training=training, artifacts=artifacts)
        return _register_attribute_model(run, model_id, jobs=jobs, trained=trained,
                                         settings=settings)  # fmt: skip
    kind = KINDS.get(run.kind)
    if kind is None:
        raise RequestValidationFailed(
            f"{run.kind} runs are not registered as tenant models; register takes "
            f"{', '.join(sorted([AVATAR, ATTRIBUTES, *KINDS]))}"
        )
    model_id = _model_id(run, kind.prefix, jobs)
    hp = _hyperparameters(run)
    base = settings.style_base_model_id if kind.name == "style" else settings.sdxl_base_model_id
    request = TenantModelTrainingRequest(
        name=run.name,
        data_prefix=run.data,
        images=0,  # from model.json, below
        token=hp.get("token") or kind.default_token,
        base=base,
        steps=int(hp["max_train_steps"]),
        resolution=int(hp["resolution"]),
        rank=int(hp["rank"]) if "rank" in hp else None,
        seed=int(hp["seed"]),
        class_name=hp.get("class_name") if kind.name == "style" else None,
        prior_preservation=hp.get("with_prior_preservation") == "true",
        initializer=hp.get("initializer_token") if kind.name == "concept" else None,
    )
    job, finished = _record(run, model_id, kind.job_kind, ttl_days=settings.model_ttl_days)
    # The kind's own completion: the archive's files under the model's prefix.
    result = TenantModelTrainingJob(training=training, artifacts=artifacts).complete(
        job, request, NoState(), finished
    )
    images = result.get("metadata", {}).get("images")
    request = request.model_copy(update={"images": int(images) if images else 0})
    jobs.create(replace(job, request=request.model_dump(mode="json")))
    jobs.transition(run.tenant, model_id, JobStatus.RUNNING)
    return jobs.transition(run.tenant, model_id, JobStatus.SUCCEEDED, result=result)


def _register_avatar(run: FinishedRun, model_id: str, *, jobs: JobStore,
                     avatars: AvatarTrainingJob, settings: Settings) -> Job:  # fmt: skip
    hp = _hyperparameters(run)
    token, subject, resolution = hp["instance_token"], hp["class_name"], int(hp["resolution"])
    request = AvatarTrainingRequest(
        name=run.name,
        subject_class=subject,
        token=token,
        instance_prompt=hp.get("instance_prompt") or f"a photo of {token} {subject}",
        photo_prefix=run.data,
        photo_count=int(hp["max_photos"]),  # the CLI sets min = max = the photos uploaded
        min_photo_side=int(hp.get("min_photo_side") or max(1, resolution // 2)),
        steps=int(hp["max_train_steps"]),
        resolution=resolution,
        rank=int(hp["rank"]),
        seed=int(hp["seed"]),
    )
    job, finished = _record(run, model_id, JobKind.AVATAR_TRAINING,
                            ttl_days=settings.avatar_ttl_days)
    jobs.create(replace(job, request=request.model_dump(mode="json")))
    running = jobs.transition(run.tenant, model_id, JobStatus.RUNNING)
    try:
        result = avatars.complete(running, request, NoState(), finished)
    except Exception:
        jobs.delete(run.tenant, model_id)  # no record of an avatar that is not served
        raise
    return jobs.transition(run.tenant, model_id, JobStatus.SUCCEEDED, result=result)


def _register_attribute_model(run: FinishedRun, model_id: str, *, jobs: JobStore,
                              trained: AttributeModelTrainingJob, settings: Settings) -> Job:
    """A BLIP-2 adapter: its figures from ``training.json`` (its completion step), its
    attributes the ones train.py scored; the adapter stays in the output archive, which
    the attributes endpoint loads by key (as for an API-trained model)."""
    hp = _hyperparameters(run)
    request = AttributeModelTrainingRequest(
        name=run.name, data_prefix=run.data, rows=0, images=0, attributes=[],
        steps=int(hp["max_steps"]), epochs=int(hp["epochs"]), rank=int(hp["rank"]),
        validation_fraction=float(hp["validation_fraction"]), seed=int(hp["seed"]),
    )  # fmt: skip
    job, finished = _record(run, model_id, JobKind.ATTRIBUTE_MODEL_TRAINING,
                            ttl_days=settings.attribute_model_ttl_days)
    result = trained.complete(job, request, NoState(), finished)
    request = request.model_copy(update={
        "attributes": sorted(result["accuracy"]),
        "rows": int(result["train_examples"]) + int(result["validation_examples"]),
        "steps": int(result["steps"]) or request.steps,
    })  # fmt: skip
    jobs.create(replace(job, request=request.model_dump(mode="json")))
    jobs.transition(run.tenant, model_id, JobStatus.RUNNING)
    return jobs.transition(run.tenant, model_id, JobStatus.SUCCEEDED, result=result)


def _record(run: FinishedRun, model_id: str, kind: JobKind, *,
            ttl_days: int) -> tuple[Job, TrainingFinished]:
    """The model's record (not stored yet) and the outcome its kind's completion takes:
    what an API-launched training would have when its EventBridge event arrived."""
    job = replace(Job.new(tenant=run.tenant, kind=kind, request={}, ttl_days=ttl_days),
                  id=model_id)
    finished = TrainingFinished(JobRef(run.tenant, model_id, kind=kind),
                                artifacts=run.model_artifacts, training_job=run.training_job)
    return job, finished


def _model_id(run: FinishedRun, prefix: str, jobs: JobStore) -> str:
    """The run's ``vitrine:job-id`` when it is a model id of its kind, else a new one."""
    found = run.model_id if (run.model_id or "").startswith(f"{prefix}_") else None
    model_id = found or new_id(prefix)
    if jobs.get(run.tenant, model_id) is not None:
        raise Conflict(f"model {model_id} is registered already")
    return model_id


def _hyperparameters(run: FinishedRun) -> dict[str, str]:
    """The run's recipe hyperparameters: its defaults, overridden by what the job set."""
    run_recipe = recipe(run.kind)
    known = {h.name for h in run_recipe.hyperparameters}
    return {**run_recipe.defaults(),
            **{k: v for k, v in run.hyperparameters.items() if k in known}}  # fmt: skip
