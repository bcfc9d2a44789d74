"""A comparison's run and its report: the ``comparison`` job kind's steps.

``ComparisonJob.execute`` launches the run (``TrainingSpec`` kind ``comparison``: a
SageMaker training job on AWS, a child process locally). When it ends,
``ComparisonJob.complete`` reads ``report.json`` and its files (an artifacts prefix
locally, the training job's output archive on AWS), moderates each image and stores them
in results under ``{tenant}/jobs/{id}/``: they expire with the job there (the results
bucket's lifecycle, the local sweeper), where the never-expiring models bucket would keep
them forever; the run's own output is then deleted. File paths become stored keys, which
the job view signs as URLs.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from api.domain.errors import ModelInvocationFailed, NotFound
from api.domain.job_data import (
    ComparisonCell,
    ComparisonRequest,
    ComparisonResult,
    NoState,
    StoredImage,
    stored,
)
from api.domain.outcomes import TrainingFinished
from api.domain.ratings import human_win_rates
from api.ports import TrainingSpec
from api.services.archives import archive_files
from api.services.jobs import HandedOff, OutcomeRefused

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from api.domain.jobs import Job
    from api.domain.ratings import Rating
    from api.ports import Moderator, ObjectStore, TrainingLauncher
    from api.services.jobs import Completion
    from api.services.outputs import ResultImages

    RunFiles = Callable[[str], bytes | None]
    """A run's output file by its relative path (``None``: not there)."""

RUN_KIND = "comparison"
REPORT_FILE = "report.json"
# The grid as one PNG (the run's report writer draws it).
CONTACT_SHEET = "contact-sheet.png"
# A file the run names (``images/p0-sdxl.png``): relative, no way out of its folder.
_RUN_PATH = re.compile(r"^(?!.*\.\.)[A-Za-z0-9_-][A-Za-z0-9._/-]{0,199}$")
CELL_STATUSES = frozenset({"succeeded", "failed", "skipped", "blocked"})


def output_prefix(tenant: str, comparison_id: str) -> str:
    """Where the run writes (artifacts): removed once its report is stored."""
    return f"{tenant}/comparisons/{comparison_id}/"


def results_prefix(job: Job) -> str:
    """Where the report's images and the ratings are kept (results: expire with the job)."""
    return f"{job.tenant}/jobs/{job.id}/"


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
        try:
            _raise_if_nothing_ran(report)
        except ModelInvocationFailed:
            self._artifacts.delete_prefix(output_prefix(job.tenant, job.id))  # job ends here
            raise
        result = self._result(job, req, report, files)
        # The run's own output is copied: nothing stays in the never-expiring store.
        self._artifacts.delete_prefix(output_prefix(job.tenant, job.id))
        data = stored(result.model_copy(update={"training_job": outcome.training_job or None}))
        return with_human_rates(data, ())

    def _run_files(self, job: Job, outcome: TrainingFinished) -> RunFiles:
        """The run's output files: the training job's archive (AWS), or the artifacts
        prefix the local launcher stored them under."""
        expected = output_prefix(job.tenant, job.id)
        uri = outcome.artifacts
        key = uri.removeprefix("s3://").partition("/")[2] if uri.startswith("s3://") else uri
        if not key.startswith(expected):  # another job's output is never this report
            raise OutcomeRefused(f"output {uri} is not under {expected}")
        if uri.startswith("s3://"):
            archived = self._artifacts.get(key)
            return archive_files(archived, keep=lambda path: bool(_RUN_PATH.match(path))).get
        prefix = key

        def read(path: str) -> bytes | None:
            try:
                return self._artifacts.get(prefix + path)
            except NotFound:
                return None

        return read

    def _result(self, job: Job, req: ComparisonRequest, report: dict[str, Any],
                files: RunFiles) -> ComparisonResult:
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

    def _cell(self, cell: ComparisonCell, path: Any, files: RunFiles,
              prefix: str) -> ComparisonCell:
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

    def _stored(self, path: Any, files: RunFiles, prefix: str) -> dict[str, str] | None:
        """A run file (a row's photo, the contact sheet) copied to results, as a key."""
        if not isinstance(path, str) or not _RUN_PATH.match(path):
            return None
        data = files(path)
        if data is None:
            return None
        self._outputs.store(prefix + path, data)
        return {"key": prefix + path}


def _raise_if_nothing_ran(report: dict[str, Any]) -> None:
    """A failing column is the report's to show, but when every cell that was tried failed
    (no model, no CLIP, no provider: the deployment's fault) there is nothing to compare:
    the job fails, naming each column's reason, instead of 'succeeding' with an empty grid."""
    cells = [c for c in report.get("cells") or [] if isinstance(c, dict)]
    tried = [c for c in cells if c.get("status") in ("succeeded", "failed")]
    if not tried or any(c.get("status") == "succeeded" for c in tried):
        return
    reasons = sorted({f"{c.get('model')}: {c.get('error') or 'failed'}" for c in tried})
    raise ModelInvocationFailed("no model produced an image (" + "; ".join(reasons) + ")")
