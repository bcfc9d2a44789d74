"""Tenant models: ``style``, ``product`` and ``concept`` adapters trained on captioned images.

One resource family with avatars (``/v1/models``, ``kind``): like an avatar, a model *is*
its training job (``sty_…``/``prd_…``/``cpt_…``, kinds ``style_training``,
``product_training``, ``concept_training``), so ``GET /v1/jobs/{id}`` shows the training
and the AWS training-events Lambda finishes it. Its images and ``metadata.jsonl`` (the
ImageFolder layout train.py reads) sit under ``{tenant}/models/{id}/data/`` in uploads,
its adapter files under ``{tenant}/models/{id}/`` in artifacts (on AWS the training
output archive is unpacked there when the training ends), so serving fetches every
kind's adapter the same way, and deleting a model is one prefix per store.
"""

from __future__ import annotations

import csv
import io
import json
import re
import secrets
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from api.domain import training_recipes
from api.domain.errors import ModelInvocationFailed, NotFound, RequestValidationFailed
from api.domain.job_data import NoState, TenantModelResult, TenantModelTrainingRequest, stored
from api.domain.jobs import Job, JobKind, new_id
from api.domain.outcomes import TrainingFinished
from api.ports import TrainingSpec
from api.services.archives import archive_files
from api.services.avatars import _json_safe
from api.services.jobs import HandedOff, OutcomeRefused
from api.services.tenant_models import remove_trained_model

if TYPE_CHECKING:
    from api.domain.commands import TenantModelCommand
    from api.ports import JobStore, ObjectStore, TrainingLauncher
    from api.services.generation import GenerationRules
    from api.services.images import ImageLoader
    from api.services.jobs import Completion, JobCore
    from api.settings import Settings

METADATA = "metadata.jsonl"  # Hugging Face ImageFolder's captions file
MODEL_FILE = "model.json"
MAX_ROWS = 1000
# A LoRA kind's token is a plain rare word; a concept's is a new vocabulary entry.
LORA_TOKEN = re.compile(r"^[a-z][a-z0-9]{1,15}$")
CONCEPT_TOKEN = re.compile(r"^<[a-z0-9][a-z0-9-]{0,30}>$")
WORD = re.compile(r"^[a-z][a-z -]{0,39}$")


@dataclass(frozen=True, slots=True)
class ModelKind:
    """One kind of tenant model: its job kind, id prefix, training run and adapter type."""

    name: str
    job_kind: JobKind
    prefix: str
    adapter_type: str  # how serving applies it: "lora" | "textual_inversion"
    default_token: str


KINDS: dict[str, ModelKind] = {
    "style": ModelKind("style", JobKind.STYLE_TRAINING, "sty", "lora", "sks"),
    "product": ModelKind("product", JobKind.PRODUCT_TRAINING, "prd", "lora", "vtrprod"),
    "concept": ModelKind(
        "concept", JobKind.CONCEPT_TRAINING, "cpt", "textual_inversion", "<vitrine-concept>"
    ),
}
BY_JOB_KIND = {kind.job_kind: kind for kind in KINDS.values()}


def model_prefix(tenant: str, model_id: str) -> str:
    return f"{tenant}/models/{model_id}/"


def find_model(jobs: JobStore, tenant: str, model_id: str) -> Job:
    """The tenant's style/product/concept model; another tenant's id (or any other job's)
    is not found."""
    job = jobs.get(tenant, model_id)
    if job is None or job.kind not in BY_JOB_KIND:
        raise NotFound(f"no model {model_id}")
    return job


def model_request(job: Job) -> TenantModelTrainingRequest:
    return TenantModelTrainingRequest.model_validate(job.request)


def model_result(job: Job) -> TenantModelResult | None:
    return None if job.result is None else TenantModelResult.model_validate(job.result)


def training_spec(job: Job) -> TrainingSpec:
    """The run for a model: its kind's train.py hyperparameters, as strings."""
    kind = BY_JOB_KIND[job.kind]
    req = model_request(job)
    hyperparameters = training_recipes.hyperparameters(
        kind.name,
        token=req.token,
        max_train_steps=req.steps,
        resolution=req.resolution,
        seed=req.seed,
        # Exactly the images stored, held to the checks the API made.
        min_images=req.images,
        max_images=req.images,
        rank=req.rank,
        class_name=req.class_name or None,
        with_prior_preservation="true" if req.prior_preservation else None,
        initializer_token=req.initializer or None,
    )
    return TrainingSpec(
        kind=kind.name,
        job_id=job.id,
        tenant=job.tenant,
        input_prefix=req.data_prefix,
        output_prefix=model_prefix(job.tenant, job.id),
        hyperparameters=hyperparameters,
    )


def read_rows(command: TenantModelCommand) -> list[tuple[str, str]]:
    """``(upload id, caption)`` rows from a CSV (``image,caption``) or JSONL
    (``{"image": ..., "caption": ...}``) text; 422 naming every bad line."""
    rows: list[tuple[str, str]] = []
    problems: list[str] = []
    if command.csv is not None:
        reader = csv.DictReader(io.StringIO(command.csv.lstrip("\ufeff")))
        columns = {name.strip().lower(): name for name in reader.fieldnames or []}
        image = columns.get("image") or columns.get("upload_id")
        caption = columns.get("caption") or columns.get("text")
        if image is None or caption is None:
            raise RequestValidationFailed(
                f"the CSV needs a header with image (or upload_id) and caption (or text); "
                f"it has {sorted(columns)}"
            )
        for line, row in enumerate(reader, start=2):
            rows.append(((row.get(image) or "").strip(), (row.get(caption) or "").strip()))
            if not rows[-1][0]:
                problems.append(f"line {line}: no image")
    elif command.jsonl is not None:
        for line, text in enumerate(command.jsonl.splitlines(), start=1):
            if not text.strip():
                continue
            try:
                row = json.loads(text)
                rows.append((str(row["image"]).strip(), str(row.get("caption") or "").strip()))
            except (ValueError, KeyError, TypeError):
                problems.append(f"line {line}: not a JSON object with image and caption")
    if len(rows) > MAX_ROWS:
        raise RequestValidationFailed(f"at most {MAX_ROWS} rows")
    if problems:
        raise RequestValidationFailed("; ".join(problems[:20]))
    return rows


class TenantModels:
    """``/v1/models`` for the style, product and concept kinds: create (check and store
    the captioned set, queue training), read, list, delete."""

    def __init__(
        self,
        *,
        jobs: JobStore,
        uploads: ObjectStore,
        artifacts: ObjectStore,
        training: TrainingLauncher,
        images: ImageLoader,
        rules: GenerationRules,
        core: JobCore,
        settings: Settings,
    ) -> None:
        self._jobs = jobs
        self._uploads = uploads
        self._artifacts = artifacts
        self._training = training
        self._images = images
        self._rules = rules
        self._core = core
        self._settings = settings

    def request(self, tenant: str, command: TenantModelCommand) -> Job:
        """Check every image and caption, store them as train.py's set, queue training.

        Nothing is stored before the whole set passed (a bad set is a 4xx naming every
        problem, before any model loads); what was stored for a request that then fails
        (a store or the queue down) is removed again.
        """
        from api.domain.commands import ImageSource

        s = self._settings
        kind = KINDS[command.kind]
        callback = self._rules.callback(command.callback_url)
        token = self._token(kind, command.token)
        pairs: list[tuple[ImageSource, str]] = [(i.image, i.caption) for i in command.images]
        pairs += [(ImageSource(upload_id=image), text) for image, text in read_rows(command)]
        if not s.model_min_images <= len(pairs) <= s.model_max_images:
            raise RequestValidationFailed(
                f"{len(pairs)} image(s); a {kind.name} model needs "
                f"{s.model_min_images}-{s.model_max_images}"
            )
        checked, problems = [], []
        for n, (source, caption) in enumerate(pairs):
            label = source.upload_id or f"images[{n}]"
            if not caption.strip():
                problems.append(f"{label}: empty caption")
            elif len(caption.split()) > s.model_max_caption_words:
                problems.append(f"{label}: caption over {s.model_max_caption_words} words")
            image = self._images.load(tenant, source, field=f"image {label}")
            if min(image.width, image.height) < s.model_min_image_side:
                problems.append(
                    f"{label}: {image.width}x{image.height} is smaller than "
                    f"{s.model_min_image_side} px"
                )
            checked.append((image, caption.strip()))
        if problems:
            raise RequestValidationFailed("training set rejected: " + "; ".join(problems[:20]))
        job = Job.new(
            tenant=tenant,
            kind=kind.job_kind,
            request={},
            ttl_days=s.model_ttl_days,
            callback_url=callback,
        )
        model = replace(job, id=new_id(kind.prefix))
        data_prefix = model_prefix(tenant, model.id) + "data/"
        steps, resolution, rank, base = self._recipe(kind.name)
        request = TenantModelTrainingRequest(
            name=command.name,
            data_prefix=data_prefix,
            images=len(checked),
            token=token,
            base=base,
            steps=steps,
            resolution=resolution,
            rank=rank,
            seed=secrets.randbelow(2**31),
            class_name=command.class_name if kind.name == "style" else None,
            prior_preservation=command.prior_preservation and kind.name == "style",
            initializer=(command.initializer or "clothing") if kind.name == "concept" else None,
        )
        lines = []
        try:
            for n, (image, caption) in enumerate(checked):
                name = f"image-{n:04d}.{image.extension}"
                self._uploads.put(data_prefix + name, image.data, content_type=image.content_type)
                lines.append(json.dumps({"file_name": name, "text": caption}))
            self._uploads.put(
                data_prefix + METADATA,
                ("\n".join(lines) + "\n").encode(),
                content_type="application/jsonl",
            )
            return self._core.submit(replace(model, request=request.model_dump(mode="json")))
        except Exception:
            self._uploads.delete_prefix(data_prefix)  # no orphaned training data
            raise

    def _token(self, kind: ModelKind, token: str | None) -> str:
        chosen = token or kind.default_token
        pattern = CONCEPT_TOKEN if kind.name == "concept" else LORA_TOKEN
        if not pattern.match(chosen):
            shape = "<lowercase-words>" if kind.name == "concept" else "a lowercase word"
            raise RequestValidationFailed(f"token {chosen!r}: a {kind.name} token is {shape}")
        return chosen

    def _recipe(self, kind: str) -> tuple[int, int, int | None, str]:
        s = self._settings
        if kind == "style":
            return s.style_train_steps, s.style_resolution, s.style_lora_rank, s.style_base_model_id
        if kind == "product":
            return (s.product_train_steps, s.product_resolution, s.product_lora_rank,
                    s.sdxl_base_model_id)  # fmt: skip
        return s.concept_train_steps, s.concept_resolution, None, s.sdxl_base_model_id

    def get(self, tenant: str, model_id: str) -> Job:
        return find_model(self._jobs, tenant, model_id)

    def list(self, tenant: str, *, kind: str, limit: int) -> list[Job]:
        """The tenant's models of ``kind``, newest first."""
        return self._jobs.list(tenant, kind=KINDS[kind].job_kind, limit=limit)

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


class TenantModelTrainingJob:
    """The three kinds' steps: launch (``execute``); on ``TrainingFinished``, put the
    adapter files under the model's prefix (a SageMaker output archive is unpacked)
    and record what serving needs (``complete``)."""

    def __init__(self, *, training: TrainingLauncher, artifacts: ObjectStore) -> None:
        self._training = training
        self._artifacts = artifacts

    def execute(
        self, job: Job, req: TenantModelTrainingRequest, state: NoState
    ) -> HandedOff[NoState]:
        self._training.launch(training_spec(job))
        return HandedOff()

    def complete(
        self, job: Job, req: TenantModelTrainingRequest, state: NoState, outcome: Completion
    ) -> dict[str, Any]:
        if not isinstance(outcome, TrainingFinished):
            refused = type(outcome).__name__
            raise OutcomeRefused(f"a model training does not take {refused}")
        kind = BY_JOB_KIND[job.kind]
        prefix = model_prefix(job.tenant, job.id)
        metadata = outcome.metadata
        if outcome.artifacts.startswith("s3://"):
            key = outcome.artifacts.removeprefix("s3://").partition("/")[2]
            metadata = self._unpack(self._artifacts.get(key), prefix) or metadata
        result = TenantModelResult(
            model_id=job.id,
            kind=kind.name,
            artifacts=prefix,
            token=req.token,
            base=req.base,
            adapter_type=kind.adapter_type,
            metadata=_json_safe(metadata),
            training_job=outcome.training_job or None,
            model_artifacts=outcome.artifacts if outcome.artifacts.startswith("s3://") else None,
        )
        return stored(result)

    def _unpack(self, archive: bytes, prefix: str) -> dict[str, Any]:
        """The archive's flat files under ``prefix`` (adapters are a few MB: the Lambda
        does it); ``model.json``'s figures."""
        found: dict[str, Any] = {}
        # Only the adapter's own (top-level) files: never a path out of the prefix.
        own = archive_files(archive, keep=lambda path: "/" not in path and not path.startswith("."))
        for name, data in own.items():
            self._artifacts.put(prefix + name, data, content_type="application/octet-stream")
            if name == MODEL_FILE:
                loaded = json.loads(data)
                found = loaded if isinstance(loaded, dict) else {}
        if not found:
            raise ModelInvocationFailed("the training output has no model.json")
        return found

