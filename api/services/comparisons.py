"""Model comparisons: one prompt set through several model configurations, scored side by
side (issue 12).

A comparison *is* its job (``cmp_…``, kind ``comparison``), run as a batch on the
``TrainingLauncher`` port (run kind ``comparison``: a SageMaker training job on AWS, a
child process locally), because it is hours of GPU work that must not hold an endpoint
or a Lambda. ``Comparisons.request`` checks the rows and models, moderates each prompt (a
flagged row is recorded as ``blocked`` and not sent), resolves every adapter to the
tenant's own ready model (``tenant_models.resolve_adapter``: another tenant's id is 404),
prices each column from the settings' table, and stores ``spec.json`` with the rows'
photos under ``{tenant}/jobs/{id}/spec/`` in uploads (the run's ``train`` channel).

When the run ends, ``ComparisonJob.complete`` reads ``report.json`` and its images
(an artifacts prefix locally, the training job's output archive on AWS), moderates each
image, and stores them in results under ``{tenant}/jobs/{id}/``: they expire with the job
there (the results bucket's lifecycle, the local sweeper), where the never-expiring
models bucket would keep them forever; the run's own output is then deleted. Ratings
(one per rater, the latest wins) sit beside them in ``ratings.json``; the comparison's
view fills ``summary[].human_win_rate`` from them (``api/domain/ratings.py``).
"""

from __future__ import annotations

import csv
import io
import json
import re
import secrets
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from api.domain.errors import (
    Conflict,
    ContentFlagged,
    ModelInvocationFailed,
    NotFound,
    RequestValidationFailed,
    UnknownUpload,
)
from api.domain.job_data import (
    ComparisonCell,
    ComparisonPrompt,
    ComparisonRequest,
    ComparisonResult,
    NoState,
    StoredImage,
    stored,
)
from api.domain.jobs import Job, JobKind, JobStatus, new_id, utcnow
from api.domain.outcomes import TrainingFinished
from api.domain.ratings import Pick, Rating, human_win_rates
from api.ports import TrainingSpec
from api.services.jobs import HandedOff, OutcomeRefused
from api.services.prompts import check_range
from api.services.tenant_models import resolve_adapter

if TYPE_CHECKING:
    from collections.abc import Sequence

    from api.domain.commands import ComparedModel, ComparisonCommand, RatingCommand
    from api.ports import JobStore, Moderator, ObjectStore, TrainingLauncher
    from api.services.generation import GenerationRules
    from api.services.images import ImageLoader
    from api.services.jobs import Completion, JobCore
    from api.services.outputs import ResultImages
    from api.services.prompts import PromptGate
    from api.settings import Settings

RUN_KIND = "comparison"
SPEC_FILE = "spec.json"
REPORT_FILE = "report.json"
RATINGS_FILE = "ratings.json"
# The grid as one PNG (the run's report writer draws it).
CONTACT_SHEET = "contact-sheet.png"
# The tenant model kinds each model type applies: SDXL takes product LoRAs and concept
# embeddings, try-on a style LoRA on the inpainting base.
SDXL_ADAPTER_KINDS = frozenset({"product", "concept"})
STYLE_KINDS = frozenset({"style"})
DEFAULT_BEDROCK_MODEL, DEFAULT_OPENAI_MODEL = "amazon.nova-canvas-v1:0", "gpt-image-1"
MAX_GUIDANCE = 20.0
MAX_ADAPTER_WEIGHT = 2.0
RATER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._@-]{0,63}$")
# A file the run names (``images/p0-sdxl.png``): relative, no way out of its folder.
_RUN_PATH = re.compile(r"^(?!.*\.\.)[A-Za-z0-9_-][A-Za-z0-9._/-]{0,199}$")
CELL_STATUSES = frozenset({"succeeded", "failed", "skipped", "blocked"})


def output_prefix(tenant: str, comparison_id: str) -> str:
    """Where the run writes (artifacts): removed once its report is stored."""
    return f"{tenant}/comparisons/{comparison_id}/"


def results_prefix(job: Job) -> str:
    """Where the report's images and the ratings are kept (results: expire with the job)."""
    return f"{job.tenant}/jobs/{job.id}/"


def find_comparison(jobs: JobStore, tenant: str, comparison_id: str) -> Job:
    """The tenant's comparison; another tenant's id (or any other job's) is not found."""
    job = jobs.get(tenant, comparison_id)
    if job is None or job.kind is not JobKind.COMPARISON:
        raise NotFound(f"no comparison {comparison_id}")
    return job


def training_spec(job: Job) -> TrainingSpec:
    """The run: ``spec.json`` in the input prefix says everything; no hyperparameters."""
    req = ComparisonRequest.model_validate(job.request)
    return TrainingSpec(
        kind=RUN_KIND,
        job_id=job.id,
        tenant=job.tenant,
        input_prefix=req.spec_prefix,
        output_prefix=output_prefix(job.tenant, job.id),
        hyperparameters={},
    )


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
        job = find_comparison(self._jobs, tenant, comparison_id)
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
        ratings = self._stored_ratings(job)
        ratings[command.rater] = {
            "picks": [{"prompt": p, "model": m} for p, m in command.picks],
            "rated_at": utcnow().isoformat(),
        }
        self._results.put(results_prefix(job) + RATINGS_FILE,
                          json.dumps({"raters": ratings}).encode(),
                          content_type="application/json")  # fmt: skip
        return replace(job, result=with_human_rates(job.result, self._ratings(job)))

    def _stored_ratings(self, job: Job) -> dict[str, Any]:
        try:
            data = json.loads(self._results.get(results_prefix(job) + RATINGS_FILE))
        except NotFound:
            return {}
        raters = data.get("raters") if isinstance(data, dict) else None
        return raters if isinstance(raters, dict) else {}

    def _ratings(self, job: Job) -> tuple[Rating, ...]:
        return tuple(
            Rating(rater=rater, picks=tuple(Pick(int(p["prompt"]), str(p["model"]))
                                            for p in entry.get("picks", [])))
            for rater, entry in self._stored_ratings(job).items()
        )  # fmt: skip


def with_human_rates(result: dict[str, Any], ratings: Sequence[Rating]) -> dict[str, Any]:
    """``result`` with each summary row's ``human_win_rate``/``human_picks`` and the
    number of raters."""
    summary = [row for row in result.get("summary", []) if isinstance(row, dict)]
    rates, counts = human_win_rates(ratings, [str(row.get("model")) for row in summary])
    return {
        **result,
        "summary": [{**row, "human_win_rate": rates[str(row.get("model"))],
                     "human_picks": counts[str(row.get("model"))]} for row in summary],
        "ratings": {"raters": len(ratings)},
    }  # fmt: skip


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


class ComparisonJob:
    """The kind's steps: launch the run (``execute``); on ``TrainingFinished`` store the
    report's images and figures (``complete``)."""

    def __init__(self, *, training: TrainingLauncher, artifacts: ObjectStore,
                 outputs: ResultImages, moderator: Moderator) -> None:
        self._training = training
        self._artifacts = artifacts
        self._outputs = outputs
        self._moderator = moderator

    def execute(self, job: Job, req: ComparisonRequest, state: NoState) -> HandedOff[NoState]:
        self._training.launch(training_spec(job))
        return HandedOff()

    def complete(self, job: Job, req: ComparisonRequest, state: NoState,
                 outcome: Completion) -> dict[str, Any]:
        if not isinstance(outcome, TrainingFinished):
            raise OutcomeRefused(f"a comparison does not take {type(outcome).__name__}")
        files = self._run_files(job, outcome)
        try:
            report = json.loads(files(REPORT_FILE) or b"null")
        except ValueError as exc:
            raise ModelInvocationFailed("the comparison wrote an unreadable report") from exc
        if not isinstance(report, dict):
            raise ModelInvocationFailed("the comparison wrote no report")
        result = self._result(job, req, report, files)
        # The run's own output is copied: nothing stays in the never-expiring store.
        self._artifacts.delete_prefix(output_prefix(job.tenant, job.id))
        data = stored(result.model_copy(update={"training_job": outcome.training_job or None}))
        return with_human_rates(data, ())

    def _run_files(self, job: Job, outcome: TrainingFinished) -> Any:
        """A reader of the run's output files by relative path (``None``: not there)."""
        if outcome.artifacts.startswith("s3://"):
            archive = self._artifacts.get(outcome.artifacts.removeprefix("s3://").partition("/")[2])
            members = _archive_files(archive)
            return members.get
        prefix = outcome.artifacts

        def read(path: str) -> bytes | None:
            try:
                return self._artifacts.get(prefix + path)
            except NotFound:
                return None

        return read

    def _result(self, job: Job, req: ComparisonRequest, report: dict[str, Any],
                files: Any) -> ComparisonResult:
        """report.json with its files in results: each cell's image moderated, the rows'
        photos (``inputs/``) and the contact sheet; paths become keys (URLs in the view).
        A blocked row is the request's (moderation's reasons), whatever the run says."""
        prefix = results_prefix(job)
        names = [str(m["name"]) for m in req.models]
        cells: dict[tuple[int, str], ComparisonCell] = {}
        for raw in report.get("cells", []):
            if not isinstance(raw, dict) or raw.get("model") not in names:
                continue
            row = raw.get("prompt")
            if not isinstance(row, int) or not 0 <= row < len(req.prompts):
                raise ModelInvocationFailed("the comparison reported a prompt it was not given")
            status = raw.get("status") if raw.get("status") in CELL_STATUSES else "failed"
            cells[row, raw["model"]] = self._cell(
                ComparisonCell.model_validate({**raw, "image": None, "status": status}),
                raw.get("image"), files, prefix)
        for row, asked in enumerate(req.prompts):
            for name in names:
                if asked.blocked or (row, name) not in cells:
                    why = ("prompt flagged: " + ", ".join(asked.blocked) if asked.blocked
                           else "the run reported no result")
                    cells[row, name] = ComparisonCell(
                        prompt=row, model=name, status="blocked" if asked.blocked else "failed",
                        moderation="blocked_prompt" if asked.blocked else "not_checked",
                        error=why)  # fmt: skip
        prompts = []
        for row, asked in enumerate(req.prompts):
            entry: dict[str, Any] = {"index": row, "prompt": asked.prompt,
                                     "negative_prompt": asked.negative_prompt,
                                     "blocked": ", ".join(asked.blocked) if asked.blocked
                                     else None}  # fmt: skip
            reported = next((p for p in report.get("prompts", [])
                             if isinstance(p, dict) and p.get("index") == row), {})  # fmt: skip
            for field in ("reference_image", "person_image"):
                entry[field] = self._stored(reported.get(field), files, prefix)
            prompts.append(entry)
        sheet = self._stored(CONTACT_SHEET, files, prefix)
        return ComparisonResult(
            version=int(report.get("version", 1)),
            tiny_models=report.get("tiny_models"),
            seed=report.get("seed"),
            scorer=report.get("scorer") or {},
            prompts=prompts,
            models=[m for m in report.get("models", []) if isinstance(m, dict)],
            cells=[cells[row, name] for row in range(len(req.prompts)) for name in names],
            summary=[r for r in report.get("summary", []) if isinstance(r, dict)],
            contact_sheet=StoredImage.model_validate(sheet) if sheet else None,
        )

    def _cell(self, cell: ComparisonCell, path: Any, files: Any, prefix: str) -> ComparisonCell:
        """A reported cell with its image moderated and stored (or why it has none)."""
        path = path if isinstance(path, str) and _RUN_PATH.match(path) else None
        data = files(path) if path is not None else None
        if path is None or data is None:
            if cell.status == "succeeded":
                return cell.model_copy(update={"status": "failed",
                                               "error": "the run stored no image"})
            return cell
        verdict = self._moderator.check_image(data)
        if verdict.flagged:
            return cell.model_copy(update={
                "status": "blocked", "moderation": "withheld",
                "error": "withheld by moderation: " + ", ".join(verdict.reasons)})
        self._outputs.store(prefix + path, data)
        # The deployment's moderator passed it (the run may have checked nothing).
        moderation = "passed" if cell.moderation == "not_checked" else cell.moderation
        return cell.model_copy(update={"image": StoredImage(key=prefix + path),
                                       "moderation": moderation})

    def _stored(self, path: Any, files: Any, prefix: str) -> dict[str, str] | None:
        """A run file (a row's photo, the contact sheet) copied to results, as a key."""
        if not isinstance(path, str) or not _RUN_PATH.match(path):
            return None
        data = files(path)
        if data is None:
            return None
        self._outputs.store(prefix + path, data)
        return {"key": prefix + path}


def _archive_files(archive: bytes) -> dict[str, bytes]:
    """A training output archive's files by relative path (none outside it)."""
    import tarfile

    found: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(archive), mode="r:gz") as tar:
        for member in tar.getmembers():
            name = member.name.removeprefix("./")
            if not member.isfile() or not _RUN_PATH.match(name):
                continue
            source = tar.extractfile(member)
            if source is not None:
                found[name] = source.read()
    return found
