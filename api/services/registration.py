"""Registering a training run started outside the API as a tenant model.

``python -m model_artifacts train`` launches the same training job the API would (the
recipe in ``api/domain/training_recipes.py``); ``register`` turns its output into what
an API-trained model is: the adapter files under ``{tenant}/models/{id}/`` in artifacts
(unpacked by the kind's own completion step, ``TenantModelTrainingJob.complete``) and a
succeeded model record of the tenant, which ``/v1/models`` lists and generations use.
The files go first and the record last, so a record never names files that are not
there; registering twice is refused (409).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from api.domain.errors import Conflict, RequestValidationFailed
from api.domain.job_data import NoState, TenantModelTrainingRequest
from api.domain.jobs import Job, JobStatus, new_id
from api.domain.outcomes import JobRef, TrainingFinished
from api.domain.training_recipes import recipe
from api.services.models import KINDS, TenantModelTrainingJob

if TYPE_CHECKING:
    from api.ports import JobStore, ObjectStore, TrainingLauncher
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
    settings: Settings,
) -> Job:
    """Store ``run``'s adapter and record it as ``run.tenant``'s model; the record.

    Raises ``RequestValidationFailed`` for a kind ``/v1/models`` does not serve, and
    ``Conflict`` when the model is registered already.
    """
    kind = KINDS.get(run.kind)
    if kind is None:
        raise RequestValidationFailed(
            f"{run.kind} runs are not registered as tenant models; register takes "
            f"{', '.join(sorted(KINDS))}"
        )
    model_id = run.model_id if (run.model_id or "").startswith(f"{kind.prefix}_") else None
    model_id = model_id or new_id(kind.prefix)
    if jobs.get(run.tenant, model_id) is not None:
        raise Conflict(f"model {model_id} is registered already")
    run_recipe = recipe(run.kind)
    known = {h.name for h in run_recipe.hyperparameters}
    hp = {**run_recipe.defaults(),
          **{k: v for k, v in run.hyperparameters.items() if k in known}}  # fmt: skip
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
    job = replace(
        Job.new(tenant=run.tenant, kind=kind.job_kind, request={},
                ttl_days=settings.model_ttl_days),
        id=model_id,
    )  # fmt: skip
    finished = TrainingFinished(
        JobRef(run.tenant, model_id, kind=kind.job_kind),
        artifacts=run.model_artifacts,
        training_job=run.training_job,
    )
    # The kind's own completion: the archive's files under the model's prefix.
    result = TenantModelTrainingJob(training=training, artifacts=artifacts).complete(
        job, request, NoState(), finished
    )
    images = result.get("metadata", {}).get("images")
    request = request.model_copy(update={"images": int(images) if images else 0})
    jobs.create(replace(job, request=request.model_dump(mode="json")))
    jobs.transition(run.tenant, model_id, JobStatus.RUNNING)
    return jobs.transition(run.tenant, model_id, JobStatus.SUCCEEDED, result=result)
