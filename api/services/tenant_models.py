"""A tenant model (a succeeded training job) resolved to the adapter files a model loads.

A tenant model is its training job: its id is the job's id, its kind the job's kind
(``avatar_training`` → ``avatar``, …). ``resolve_adapter`` looks it up scoped to the
tenant, so another tenant's id, an unknown id or an id of any other job is 404
``not-found`` (never a hint that it exists); a model still training or failed is 409; a
model of a kind the caller cannot use is 422. The key it returns is what the serving
container resolves under ``VITRINE_ADAPTERS_DIR`` / ``VITRINE_ADAPTERS_URI``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from api.domain.errors import Conflict, NotFound, RequestValidationFailed
from api.domain.jobs import JobStatus

if TYPE_CHECKING:
    from collections.abc import Collection

    from api.domain.jobs import Job
    from api.ports import JobStore, ObjectStore, TrainingLauncher, TrainingSpec


# Training job kind -> the model kind it trains.
MODEL_KINDS = {
    "avatar_training": "avatar",
    "style_training": "style",
    "product_training": "product",
    "concept_training": "concept",
}
# How each kind's adapter loads: LoRA weights, or a textual-inversion embedding.
ADAPTER_TYPES = {"avatar": "lora", "style": "lora", "product": "lora",
                 "concept": "textual_inversion"}


@dataclass(frozen=True, slots=True)
class ResolvedAdapter:
    model_id: str
    kind: str
    key: str
    type: str
    token: str | None = None
    base: str | None = None


def resolve_adapter(jobs: JobStore, tenant: str, model_id: str,
                    allowed_kinds: Collection[str]) -> ResolvedAdapter:
    """``tenant``'s ready model ``model_id`` of one of ``allowed_kinds``, as an adapter."""
    job = jobs.get(tenant, model_id)
    kind = MODEL_KINDS.get(str(job.kind)) if job is not None else None
    if job is None or kind is None:
        raise NotFound(f"no model {model_id}")
    if kind not in allowed_kinds:
        raise RequestValidationFailed(
            f"model {model_id} is a {kind} model; this takes {' or '.join(sorted(allowed_kinds))}"
            " models")
    if job.status is not JobStatus.SUCCEEDED or not job.result:
        raise Conflict(f"model {model_id} is {job.status.value}; it can be used once it is ready")
    key = _artifacts_key(job.result)
    if key is None:
        raise Conflict(f"model {model_id} has no stored adapter")
    token = job.result.get("token")
    base = job.result.get("base")
    return ResolvedAdapter(model_id=model_id, kind=kind, key=key, type=ADAPTER_TYPES[kind],
                           token=token if isinstance(token, str) else None,
                           base=base if isinstance(base, str) else None)


def _artifacts_key(result: dict[str, Any]) -> str | None:
    """The adapter files' key: ``artifacts`` (an object prefix, or a SageMaker job's
    ``s3://bucket/…/model.tar.gz``), relative to the artifacts bucket."""
    value = result.get("artifacts") or result.get("model_artifacts")
    if not isinstance(value, str) or not value:
        return None
    if value.startswith("s3://"):
        value = value.removeprefix("s3://").partition("/")[2]
    return value.strip("/") or None


def remove_trained_model(
    job: Job,
    spec: TrainingSpec,
    *,
    training: TrainingLauncher,
    artifacts: ObjectStore,
    uploads: ObjectStore,
    jobs: JobStore,
) -> None:
    """Delete a model that is its training job: stop the training if it still runs, delete
    its adapter and its training data (both under ``spec.output_prefix``), then the record
    last, so a retried delete finishes what a failed one began."""
    if not job.status.terminal:
        training.stop(spec)
    artifacts.delete_prefix(spec.output_prefix)
    uploads.delete_prefix(spec.output_prefix)
    jobs.delete(job.tenant, job.id)
