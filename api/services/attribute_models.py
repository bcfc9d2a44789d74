"""Attribute models: a LoRA adapter on the shared BLIP-2 base, tuned on a tenant's labels.

Like an avatar, an attribute model *is* its training job (``atm_…``, kind
``attribute_model_training``): ``GET /v1/jobs/{id}`` shows the training, and the AWS
training-events Lambda finishes it. Its labelled images and ``train.csv`` sit under
``{tenant}/attribute-models/{id}/data/`` in uploads (train.py's ``train`` channel), the
adapter under ``{tenant}/attribute-models/{id}/`` in artifacts; deleting the model is
one prefix per store. ``POST /v1/attributes`` with its ``model_id`` sends the adapter's
key to the BLIP-2 handler, which applies it on its warm base.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from api.domain import training_recipes
from api.domain.errors import Conflict, ModelInvocationFailed, NotFound
from api.domain.job_data import (
    AttributeModelTrainingRequest,
    AttributeModelTrainingResult,
    NoState,
    stored,
)
from api.domain.jobs import Job, JobKind, JobStatus, new_id
from api.domain.outcomes import TrainingFinished
from api.ports import TrainingSpec
from api.services.archives import archive_files
from api.services.attribute_data import labelled, read_csv, training_csv
from api.services.avatars import AVATAR_STATUS
from api.services.jobs import HandedOff, OutcomeRefused
from api.services.tenant_models import remove_trained_model

if TYPE_CHECKING:
    from api.domain.commands import AttributeModelCommand
    from api.ports import JobStore, ObjectStore, TrainingLauncher
    from api.services.generation import GenerationRules
    from api.services.images import ImageLoader
    from api.services.jobs import Completion, JobCore
    from api.services.taxonomies import Taxonomies
    from api.settings import Settings

TRAINING_KIND = "blip2"
STATUS = AVATAR_STATUS  # queued, training, ready, failed, canceled
_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg"}


def model_prefix(tenant: str, model_id: str) -> str:
    return f"{tenant}/attribute-models/{model_id}/"


def find_model(jobs: JobStore, tenant: str, model_id: str) -> Job:
    """The tenant's attribute model; another tenant's id (or any other job's) is not found."""
    job = jobs.get(tenant, model_id)
    if job is None or job.kind is not JobKind.ATTRIBUTE_MODEL_TRAINING:
        raise NotFound(f"no attribute model {model_id}")
    return job


def model_result(job: Job) -> AttributeModelTrainingResult | None:
    return None if job.result is None else AttributeModelTrainingResult.model_validate(job.result)


def adapter_key(jobs: JobStore, tenant: str, model_id: str) -> str:
    """The ready model's adapter key; ``Conflict`` (409) while training or after failure."""
    job = find_model(jobs, tenant, model_id)
    result = model_result(job)
    if job.status is not JobStatus.SUCCEEDED or result is None:
        state = STATUS[job.status]
        raise Conflict(f"attribute model {model_id} is {state}; it can answer once it is ready")
    if result.model_artifacts:
        # A SageMaker training job's output archive: the handler unpacks it by its key.
        return result.model_artifacts.removeprefix("s3://").partition("/")[2]
    return model_prefix(tenant, model_id).rstrip("/")  # the local artifacts folder


def training_spec(job: Job) -> TrainingSpec:
    """The run for a model: train.py's hyperparameters, as strings."""
    req = AttributeModelTrainingRequest.model_validate(job.request)
    return TrainingSpec(
        kind=TRAINING_KIND,
        job_id=job.id,
        tenant=job.tenant,
        input_prefix=req.data_prefix,
        output_prefix=model_prefix(job.tenant, job.id),
        hyperparameters=training_recipes.hyperparameters(
            TRAINING_KIND,
            max_steps=req.steps,
            epochs=req.epochs,
            rank=req.rank,
            validation_fraction=req.validation_fraction,
            seed=req.seed,
        ),
    )


class AttributeModels:
    """``/v1/attribute-models``: create (store the data, queue training), read, list, delete."""

    def __init__(
        self,
        *,
        jobs: JobStore,
        uploads: ObjectStore,
        artifacts: ObjectStore,
        training: TrainingLauncher,
        images: ImageLoader,
        taxonomies: Taxonomies,
        rules: GenerationRules,
        core: JobCore,
        settings: Settings,
    ) -> None:
        self._jobs = jobs
        self._uploads = uploads
        self._artifacts = artifacts
        self._training = training
        self._images = images
        self._taxonomies = taxonomies
        self._rules = rules
        self._core = core
        self._settings = settings

    def request(self, tenant: str, req: AttributeModelCommand) -> Job:
        """Check the rows and their images, store them as train.py's data, queue training.

        Nothing is stored before every row and image passed; what was stored for a
        request that then fails (a store or the queue down) is removed again.
        """
        from api.domain.commands import ImageSource

        s = self._settings
        callback = self._rules.callback(req.callback_url)
        spec = self._taxonomies.find(tenant, req.taxonomy).spec if req.taxonomy else None
        raw = read_csv(req.csv) if req.csv is not None else list(req.rows)
        rows = labelled(raw, spec, req.product_type)
        order = list(dict.fromkeys(row.upload_id for row in rows))
        checked = [
            self._images.load(tenant, ImageSource(upload_id=upload), field=f"image {upload}")
            for upload in order
        ]
        job = Job.new(
            tenant=tenant,
            kind=JobKind.ATTRIBUTE_MODEL_TRAINING,
            request={},
            ttl_days=s.attribute_model_ttl_days,
            callback_url=callback,
        )
        model = replace(job, id=new_id("atm"))
        data_prefix = model_prefix(tenant, model.id) + "data/"
        paths = {
            # Flat, beside train.csv: the training channel is one folder.
            upload: f"image-{n}.{_EXTENSIONS.get(image.content_type, 'png')}"
            for n, (upload, image) in enumerate(zip(order, checked, strict=True))
        }
        request = AttributeModelTrainingRequest(
            name=req.name,
            data_prefix=data_prefix,
            rows=len(rows),
            images=len(order),
            attributes=list(dict.fromkeys(row.attribute for row in rows)),
            taxonomy=req.taxonomy,
            product_type=req.product_type,
            steps=s.attribute_train_steps,
            epochs=s.attribute_train_epochs,
            rank=s.attribute_lora_rank,
            validation_fraction=s.attribute_validation_fraction,
            seed=secrets.randbelow(2**31),
        )
        try:
            for upload, image in zip(order, checked, strict=True):
                self._uploads.put(
                    data_prefix + paths[upload], image.data, content_type=image.content_type
                )
            self._uploads.put(
                data_prefix + "train.csv", training_csv(rows, paths), content_type="text/csv"
            )
            return self._core.submit(replace(model, request=request.model_dump(mode="json")))
        except Exception:
            self._uploads.delete_prefix(data_prefix)  # no orphaned training data
            raise

    def get(self, tenant: str, model_id: str) -> Job:
        return find_model(self._jobs, tenant, model_id)

    def list(self, tenant: str, *, limit: int) -> list[Job]:
        """The tenant's attribute models, newest first."""
        return self._jobs.list(tenant, kind=JobKind.ATTRIBUTE_MODEL_TRAINING, limit=limit)

    def delete(self, tenant: str, model_id: str) -> None:
        """Stop its training, delete its adapter and data, then the record."""
        job = self.get(tenant, model_id)
        remove_trained_model(
            job,
            training_spec(job),
            training=self._training,
            artifacts=self._artifacts,
            uploads=self._uploads,
            jobs=self._jobs,
        )


class AttributeModelTrainingJob:
    """The kind's steps: launch (``execute``); read the figures and record the adapter's
    key (``complete``, on ``TrainingFinished``)."""

    def __init__(self, *, training: TrainingLauncher, artifacts: ObjectStore) -> None:
        self._training = training
        self._artifacts = artifacts

    def execute(
        self, job: Job, req: AttributeModelTrainingRequest, state: NoState
    ) -> HandedOff[NoState]:
        self._training.launch(training_spec(job))
        return HandedOff()

    def complete(
        self, job: Job, req: AttributeModelTrainingRequest, state: NoState, outcome: Completion
    ) -> dict[str, Any]:
        if not isinstance(outcome, TrainingFinished):
            refused = type(outcome).__name__
            raise OutcomeRefused(f"an attribute model training does not take {refused}")
        metrics = outcome.metadata
        if not metrics and outcome.artifacts.startswith("s3://"):
            key = outcome.artifacts.removeprefix("s3://").partition("/")[2]
            metrics = _archived_metrics(self._artifacts.get(key))
        accuracy = metrics.get("accuracy")
        if not isinstance(accuracy, dict):
            raise ModelInvocationFailed("attribute training reported no accuracy")
        figures = {str(k): float(v) for k, v in accuracy.items() if isinstance(v, int | float)}
        result = AttributeModelTrainingResult(
            model_id=job.id,
            accuracy={k: v for k, v in figures.items() if k != "__overall__"},
            overall_accuracy=figures.get("__overall__"),
            train_examples=int(metrics.get("train_examples", 0)),
            validation_examples=int(metrics.get("validation_examples", 0)),
            validation_images=int(metrics.get("validation_images", 0)),
            steps=int(metrics.get("steps", 0)),
            training_job=outcome.training_job or None,
            model_artifacts=outcome.artifacts if outcome.artifacts.startswith("s3://") else None,
        )
        return stored(result)


def _archived_metrics(archive: bytes) -> dict[str, Any]:
    """``training.json`` out of a training output archive (``{}`` when it has none)."""
    import json

    found = archive_files(archive, keep=lambda path: path.rsplit("/", 1)[-1] == "training.json")
    data = json.loads(next(iter(found.values()))) if found else {}
    return data if isinstance(data, dict) else {}
