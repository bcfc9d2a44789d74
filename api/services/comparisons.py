"""Model comparisons: one prompt set through several model configurations, scored side by
side (issue 12): ``/v1/comparisons``.

A comparison *is* its job (``cmp_…``, kind ``comparison``), run as a batch on the
``TrainingLauncher`` port (``comparison_runs.py``), because it is minutes to hours of GPU
work that must not hold an endpoint or a Lambda. ``Comparisons.request`` checks the rows
and models, moderates each prompt (a flagged row is sent marked ``blocked``: the run
records it and generates nothing), resolves every adapter to the tenant's own ready model
(``tenant_models.resolve_adapter``: another tenant's id is 404), prices each column from
the settings' table, and stores ``spec.json`` with the rows' photos under
``{tenant}/jobs/{id}/spec/`` in uploads (the run's ``train`` channel). Ratings (one object per
rater, the latest wins) sit beside the report's images in results, under ``ratings/``;
reading a comparison fills ``summary[].human_win_rate`` from them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import secrets
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from api.domain.errors import (
    Conflict,
    ContentFlagged,
    NotFound,
    RequestValidationFailed,
    UnknownUpload,
)
from api.domain.job_data import ComparisonPrompt, ComparisonRequest, ComparisonResult
from api.domain.jobs import Job, JobKind, JobStatus, new_id, utcnow
from api.domain.ratings import Pick, Rating
from api.services.comparison_runs import results_prefix, training_spec, with_human_rates
from api.services.prompts import check_range
from api.services.tenant_models import resolve_adapter

if TYPE_CHECKING:
    from api.domain.commands import ComparedModel, ComparisonCommand, RatingCommand
    from api.ports import JobStore, ObjectStore, TrainingLauncher
    from api.services.generation import GenerationRules
    from api.services.images import ImageLoader
    from api.services.jobs import JobCore
    from api.services.prompts import PromptGate
    from api.settings import Settings

SPEC_FILE = "spec.json"
RATINGS_DIR = "ratings/"
# The tenant model kinds each model type applies: SDXL takes product LoRAs and concept
# embeddings, try-on a style LoRA on the inpainting base.
SDXL_ADAPTER_KINDS = frozenset({"product", "concept"})
STYLE_KINDS = frozenset({"style"})
DEFAULT_BEDROCK_MODEL, DEFAULT_OPENAI_MODEL = "amazon.nova-canvas-v1:0", "gpt-image-1"
MAX_GUIDANCE = 20.0
MAX_ADAPTER_WEIGHT = 2.0
RATER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._@-]{0,63}$")


def find_comparison(jobs: JobStore, tenant: str, comparison_id: str) -> Job:
    """The tenant's comparison; another tenant's id (or any other job's) is not found."""
    job = jobs.get(tenant, comparison_id)
    if job is None or job.kind is not JobKind.COMPARISON:
        raise NotFound(f"no comparison {comparison_id}")
    return job


def read_prompt_rows(text: str, *, jsonl: bool) -> list[dict[str, str | None]]:
    """Rows of a prompts file: CSV with a ``prompt`` column (and optional
    ``negative_prompt``, ``reference_image``, ``person_image`` upload ids), or JSONL objects
    with the same keys; 422 naming every bad line."""
    keys = ("prompt", "negative_prompt", "reference_image", "person_image")
    rows: list[dict[str, str | None]] = []
    problems: list[str] = []
    if jsonl:
        for line, raw in enumerate(text.splitlines(), start=1):
            if not raw.strip():
                continue
            try:
                row = json.loads(raw)
                if not isinstance(row, dict) or not isinstance(row.get("prompt"), str):
                    raise ValueError
            except ValueError:
                problems.append(f"line {line}: not a JSON object with a prompt")
                continue
            rows.append({k: (str(row[k]) if row.get(k) is not None else None) for k in keys})
    else:
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        columns = {name.strip().lower(): name for name in reader.fieldnames or []}
        if "prompt" not in columns:
            raise RequestValidationFailed(
                f"the CSV needs a header with a prompt column; it has {sorted(columns)}")
        for row in reader:
            rows.append({k: ((row.get(columns[k]) or "").strip() or None) if k in columns
                         else None for k in keys})  # fmt: skip
    if problems:
        raise RequestValidationFailed("; ".join(problems[:20]))
    return rows


class Comparisons:
    """``/v1/comparisons``: create (check, moderate, resolve, store the spec, queue the
    run), read (with the human win rates), list, delete, rate."""

    def __init__(
        self,
        *,
        jobs: JobStore,
        uploads: ObjectStore,
        results: ObjectStore,
        artifacts: ObjectStore,
        training: TrainingLauncher,
        images: ImageLoader,
        prompts: PromptGate,
        rules: GenerationRules,
        core: JobCore,
        settings: Settings,
    ) -> None:
        self._jobs = jobs
        self._uploads = uploads
        self._results = results
        self._artifacts = artifacts
        self._training = training
        self._images = images
        self._prompts = prompts
        self._rules = rules
        self._core = core
        self._settings = settings

    # --- create ---
    def request(self, tenant: str, command: ComparisonCommand) -> Job:
        """Check everything, store ``spec.json`` and the rows' photos, queue the run.

        Nothing is stored before the whole request passed; what was stored for a request
        that then fails (a store or the queue down) is removed again.
        """
        from api.domain.commands import ComparedPrompt, ImageSource

        s = self._settings
        callback = self._rules.callback(command.callback_url)
        rows = list(command.prompts)
        if command.prompts_upload is not None:
            rows += [ComparedPrompt(prompt=r["prompt"] or "", negative_prompt=r["negative_prompt"],
                                    reference_image=r["reference_image"],
                                    person_image=r["person_image"])
                     for r in self._prompt_file(tenant, command.prompts_upload)]  # fmt: skip
        if not 1 <= len(rows) <= s.comparison_max_prompts:
            raise RequestValidationFailed(
                f"{len(rows)} prompt(s); a comparison takes 1-{s.comparison_max_prompts}")
        if not 1 <= len(command.models) <= s.comparison_max_models:
            raise RequestValidationFailed(
                f"{len(command.models)} model(s); a comparison takes 1-{s.comparison_max_models}")
        names = [m.name for m in command.models]
        if len(set(names)) != len(names):
            raise RequestValidationFailed("model names must be unique")
        steps = command.steps if command.steps is not None else min(
            s.comparison_default_steps, s.max_inference_steps)
        check_range(steps, low=1, high=s.max_inference_steps, field="steps")
        check_range(command.guidance, low=0.0, high=MAX_GUIDANCE, field="guidance")
        models = [self._model_spec(tenant, model) for model in command.models]

        prompts: list[ComparisonPrompt] = []
        photos: dict[str, tuple[bytes, str]] = {}  # file name in the spec folder -> image
        for n, row in enumerate(rows):
            where = f"prompts[{n}]"
            text = self._prompts.clean(row.prompt, field=f"{where}.prompt", moderate=False)
            negative = None
            if row.negative_prompt and row.negative_prompt.strip():
                negative = self._prompts.clean(
                    row.negative_prompt, field=f"{where}.negative_prompt", moderate=False)
            blocked: list[str] | None = None
            try:
                self._prompts.moderate(text, field=f"{where}.prompt")
            except ContentFlagged as flagged:
                blocked = [str(r) for r in flagged.extensions.get("reasons", [])] or ["flagged"]
            keys: dict[str, str | None] = {"reference": None, "person": None}
            for role, upload in (("reference", row.reference_image), ("person", row.person_image)):
                if upload is None:
                    continue
                image = self._images.load(tenant, ImageSource(upload_id=upload),
                                          field=f"{where}.{role}_image")
                name = f"p{n}-{role}.{image.extension}"
                photos[name] = (image.data, image.content_type)
                keys[role] = name
            prompts.append(ComparisonPrompt(prompt=text, negative_prompt=negative,
                                            reference_key=keys["reference"],
                                            person_key=keys["person"], blocked=blocked))
        if all(p.blocked for p in prompts):
            raise ContentFlagged("every prompt was flagged by moderation: nothing to compare")

        job = Job.new(tenant=tenant, kind=JobKind.COMPARISON, request={},
                      # As other jobs': its images in results expire with it.
                      ttl_days=s.job_ttl_days, callback_url=callback)
        job = replace(job, id=new_id("cmp"))
        spec_prefix = results_prefix(job) + "spec/"
        request = ComparisonRequest(
            prompts=prompts,
            models=models,
            seed=command.seed if command.seed is not None else secrets.randbelow(2**31),
            steps=steps,
            guidance=command.guidance,
            size=command.size,
            spec_prefix=spec_prefix,
            prices_as_of=s.comparison_prices_as_of,
        )
        try:
            for name, (data, content_type) in photos.items():
                self._uploads.put(spec_prefix + name, data, content_type=content_type)
            self._uploads.put(spec_prefix + SPEC_FILE, json.dumps(run_spec(request)).encode(),
                              content_type="application/json")
            return self._core.submit(replace(job, request=request.model_dump(mode="json")))
        except Exception:
            self._uploads.delete_prefix(spec_prefix)  # no orphaned inputs
            raise

    def _prompt_file(self, tenant: str, upload_id: str) -> list[dict[str, str | None]]:
        """An uploaded prompts file (CSV or JSONL, told apart by its first character)."""
        from api.services.images import upload_key
        from api.services.uploads import check_text_upload

        if not re.fullmatch(r"upl_[A-Za-z0-9_-]{16,64}", upload_id):
            raise UnknownUpload("prompts_upload is not an upload id")
        try:
            data = self._uploads.get(upload_key(tenant, upload_id))
        except NotFound as exc:
            raise UnknownUpload(f"no upload {upload_id} (or it has expired)") from exc
        # S3 took the bytes as they came: checked here, at first use (as images are).
        text = check_text_upload(data, max_bytes=self._settings.max_upload_bytes)
        return read_prompt_rows(text, jsonl=text.lstrip("\ufeff \n").startswith("{"))

    def _model_spec(self, tenant: str, model: ComparedModel) -> dict[str, Any]:
        """The run's entry for one column: adapters resolved, price from the table."""
        s = self._settings
        instance = {"instance_type": s.comparison_instance_type,
                    "usd_per_hour": s.comparison_instance_usd_per_hour.get(
                        s.comparison_instance_type)}  # fmt: skip
        base: dict[str, Any] = {"name": model.name, "type": model.type}
        if model.type == "sdxl":
            if len({a.model_id for a in model.adapters}) != len(model.adapters):
                raise RequestValidationFailed(f"{model.name}: each model may appear once")
            adapters = []
            for use in model.adapters:
                if not 0.0 <= use.weight <= MAX_ADAPTER_WEIGHT:
                    raise RequestValidationFailed(
                        f"{model.name}: an adapter weight is 0-{MAX_ADAPTER_WEIGHT} here")
                found = resolve_adapter(self._jobs, tenant, use.model_id, SDXL_ADAPTER_KINDS)
                adapters.append({"key": _tenant_relative(tenant, found.key), "type": found.type,
                                 "weight": use.weight, "token": found.token})
            control = ({"type": model.control_type, "strength": model.control_strength}
                       if model.control_type else None)
            return {**base, "variant": model.variant, "adapters": adapters,
                    "control": control, "price": instance}  # fmt: skip
        if model.type == "try_on":
            style = None
            if model.style_model_id:
                found = resolve_adapter(self._jobs, tenant, model.style_model_id, STYLE_KINDS)
                style = {"key": _tenant_relative(tenant, found.key), "weight": 1.0,
                         "token": found.token}
            return {**base, "style": style, "price": instance}
        hosted = (model.model_id or DEFAULT_BEDROCK_MODEL if model.type == "bedrock"
                  else model.model or DEFAULT_OPENAI_MODEL)  # fmt: skip
        price = s.comparison_hosted_usd_per_image.get(hosted)
        if price is None:
            raise RequestValidationFailed(
                f"{model.name}: {hosted} is not in the price table (known: "
                f"{', '.join(sorted(s.comparison_hosted_usd_per_image))})")
        key = "model_id" if model.type == "bedrock" else "model"
        return {**base, key: hosted, "price": {"usd_per_image": price}}

    # --- read, list, delete ---
    def get(self, tenant: str, comparison_id: str) -> Job:
        """The comparison, its summary's human win rates filled from the ratings."""
        return self.rated(find_comparison(self._jobs, tenant, comparison_id))

    def rated(self, job: Job) -> Job:
        """``job`` (a comparison already read for its tenant) with the human win rates of
        the ratings so far in its summary: what every single-job read shows."""
        if job.result is None:
            return job
        return replace(job, result=with_human_rates(job.result, self._ratings(job)))

    def list(self, tenant: str, *, limit: int) -> list[Job]:
        return self._jobs.list(tenant, kind=JobKind.COMPARISON, limit=limit)

    def delete(self, tenant: str, comparison_id: str) -> None:
        """Stop the run if it still runs, delete its inputs, images and ratings, then the
        record last, so a retried delete finishes what a failed one began."""
        job = find_comparison(self._jobs, tenant, comparison_id)
        spec = training_spec(job)
        if not job.status.terminal:
            self._training.stop(spec)
        self._artifacts.delete_prefix(spec.output_prefix)
        self._uploads.delete_prefix(spec.input_prefix)
        self._results.delete_prefix(results_prefix(job))
        self._jobs.delete(job.tenant, job.id)

    # --- ratings ---
    def rate(self, tenant: str, comparison_id: str, command: RatingCommand) -> Job:
        """Record a rater's picks (replacing theirs); the comparison with fresh rates.

        409 until the comparison succeeded; 422 for an unknown prompt or model, a prompt
        picked twice, or a pick of a cell with no image.
        """
        job = find_comparison(self._jobs, tenant, comparison_id)
        if job.status is not JobStatus.SUCCEEDED or job.result is None:
            raise Conflict(f"comparison {comparison_id} is {job.status.value}; rate it once "
                           "it succeeded")
        if not RATER.match(command.rater):
            raise RequestValidationFailed("rater: 1-64 letters, digits, spaces or ._@-")
        result = ComparisonResult.model_validate(job.result)
        pickable = {(c.prompt, c.model) for c in result.cells if c.image is not None}
        models = {str(m.get("name")) for m in result.models}
        seen: set[int] = set()
        problems: list[str] = []
        for n, (prompt, model) in enumerate(command.picks):
            if not 0 <= prompt < len(result.prompts):
                problems.append(f"picks[{n}]: no prompt {prompt}")
            elif model not in models:
                problems.append(f"picks[{n}]: no model {model!r}")
            elif prompt in seen:
                problems.append(f"picks[{n}]: prompt {prompt} picked twice")
            elif (prompt, model) not in pickable:
                problems.append(f"picks[{n}]: {model} has no image for prompt {prompt}")
            seen.add(prompt)
        if problems:
            raise RequestValidationFailed("; ".join(problems[:20]))
        # One object per rater (their later ratings replace it): raters never race.
        rating = {"rater": command.rater, "rated_at": utcnow().isoformat(),
                  "picks": [{"prompt": p, "model": m} for p, m in command.picks]}
        self._results.put(_rating_key(job, command.rater), json.dumps(rating).encode(),
                          content_type="application/json")
        return replace(job, result=with_human_rates(job.result, self._ratings(job)))

    def _ratings(self, job: Job) -> tuple[Rating, ...]:
        """Every rater's latest rating, as stored."""
        found: list[Rating] = []
        for key in self._results.keys(results_prefix(job) + RATINGS_DIR):
            try:
                data = json.loads(self._results.get(key))
                found.append(Rating(rater=str(data["rater"]), picks=tuple(
                    Pick(int(p["prompt"]), str(p["model"])) for p in data["picks"])))
            except NotFound:
                continue  # deleted since it was listed
        return tuple(found)


def _rating_key(job: Job, rater: str) -> str:
    """A rater's object: named by a digest, as a rater's name is free text."""
    digest = hashlib.sha256(rater.encode()).hexdigest()[:32]
    return f"{results_prefix(job)}{RATINGS_DIR}{digest}.json"


def run_spec(req: ComparisonRequest) -> dict[str, Any]:
    """spec.json (the run's contract, ``sagemaker_containers/comparison/spec.py``): every
    row (a flagged one with why: the run records it blocked, generates nothing), photos
    named relative to the spec's folder."""
    return {
        "version": 1,
        "seed": req.seed,
        "steps": req.steps,
        "guidance": req.guidance,
        "size": req.size,
        "prompts": [
            {"prompt": p.prompt, "negative_prompt": p.negative_prompt,
             "reference_image": p.reference_key, "person_image": p.person_key,
             "blocked": "flagged: " + ", ".join(p.blocked) if p.blocked else None}
            for p in req.prompts
        ],
        "models": req.models,
    }  # fmt: skip


def _tenant_relative(tenant: str, key: str) -> str:
    """An adapter key relative to the tenant's own prefix: the run sees that prefix only
    (its ``adapters`` channel on AWS, the tenant's artifacts folder locally)."""
    if not key.startswith(f"{tenant}/"):
        raise NotFound("no such model")  # never another tenant's files
    return key.removeprefix(f"{tenant}/")
