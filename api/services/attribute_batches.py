"""Attribute batches: the same questions about many uploaded images, as one job.

For catalogue back-fill: ``POST /v1/attribute-jobs`` records the images (upload ids) and
the question set (a named taxonomy is copied into the job, so the batch answers from the
taxonomy as it was when asked), and the worker answers image by image through the same
use case as ``POST /v1/attributes``. An image that cannot be read (missing, not an
image) fails on its own line of the result; a backing service that is down fails the job,
so it is retried as a whole.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from api.domain.errors import (
    DependencyTimeout,
    DependencyUnavailable,
    ModelInvocationFailed,
    RequestValidationFailed,
    VitrineError,
)
from api.domain.job_data import (
    AttributeBatchItem,
    AttributeBatchRequest,
    AttributeBatchResult,
    NoState,
    stored,
)
from api.domain.jobs import Job, JobKind
from api.domain.taxonomies import TaxonomySpec
from api.services.attribute_models import adapter_key
from api.services.jobs import Finished

if TYPE_CHECKING:
    from api.domain.commands import AttributeBatchCommand
    from api.ports import JobStore
    from api.services.attributes import ExtractAttributes
    from api.services.generation import GenerationRules
    from api.services.jobs import JobCore
    from api.services.taxonomies import Taxonomies
    from api.settings import Settings

# A dependency down fails the whole job (retried); anything else fails one image.
_WHOLE_JOB = (DependencyUnavailable, DependencyTimeout, ModelInvocationFailed)


class RequestAttributeBatch:
    """``POST /v1/attribute-jobs``: check the request, snapshot the taxonomy, queue the job."""

    def __init__(
        self,
        *,
        jobs: JobStore,
        taxonomies: Taxonomies,
        rules: GenerationRules,
        core: JobCore,
        settings: Settings,
    ) -> None:
        self._jobs = jobs
        self._taxonomies = taxonomies
        self._rules = rules
        self._core = core
        self._settings = settings

    def __call__(self, tenant: str, req: AttributeBatchCommand) -> Job:
        limit = self._settings.attribute_batch_max_images
        if len(req.upload_ids) > limit:
            raise RequestValidationFailed(f"at most {limit} images per attribute job")
        callback = self._rules.callback(req.callback_url)
        spec, name = None, None
        if isinstance(req.taxonomy, str):
            spec, name = self._taxonomies.find(tenant, req.taxonomy).spec, req.taxonomy
        elif req.taxonomy is not None:
            spec, name = req.taxonomy, "inline"
        if req.model_id is not None:
            adapter_key(self._jobs, tenant, req.model_id)  # 404/409 now, not in the worker
        request = AttributeBatchRequest(
            upload_ids=list(dict.fromkeys(req.upload_ids)),
            product_type=req.product_type,
            attributes=list(req.attributes) if req.attributes is not None else None,
            taxonomy=spec.body() if spec is not None else None,
            taxonomy_name=name,
            review_threshold=req.review_threshold,
            model_id=req.model_id,
        )
        job = Job.new(
            tenant=tenant,
            kind=JobKind.ATTRIBUTE_BATCH,
            request=request.model_dump(mode="json"),
            ttl_days=self._settings.job_ttl_days,
            callback_url=callback,
        )
        return self._core.submit(job)


class AttributeBatchJob:
    """The kind's one step: answer every image (``execute``)."""

    def __init__(self, *, extract: ExtractAttributes) -> None:
        self._extract = extract

    def execute(self, job: Job, req: AttributeBatchRequest, state: NoState) -> Finished:
        spec = TaxonomySpec.from_body(req.taxonomy) if req.taxonomy is not None else None
        items = [self._one(job.tenant, req, spec, upload_id) for upload_id in req.upload_ids]
        done = [item for item in items if item.status == "succeeded"]
        result = AttributeBatchResult(
            items=items,
            succeeded=len(done),
            failed=len(items) - len(done),
            needing_review=sum(1 for item in done if item.needs_review),
            taxonomy=req.taxonomy_name,
            model_id=req.model_id,
        )
        return Finished(stored(result))

    def _one(
        self, tenant: str, req: AttributeBatchRequest, spec: TaxonomySpec | None, upload_id: str
    ) -> AttributeBatchItem:
        from api.domain.commands import AttributesCommand, ImageSource

        command = AttributesCommand(
            image=ImageSource(upload_id=upload_id),
            product_type=req.product_type,
            attributes=tuple(req.attributes) if req.attributes is not None else None,
            taxonomy=spec,
            review_threshold=req.review_threshold,
            model_id=req.model_id,
        )
        try:
            found = self._extract(tenant, command)
        except _WHOLE_JOB:
            raise
        except VitrineError as err:
            error = {"type": err.slug, "title": err.title, "detail": err.detail}
            return AttributeBatchItem(upload_id=upload_id, status="failed", error=error)
        answers: dict[str, dict[str, Any]] = {
            name: {"value": a.value, "confidence": a.confidence,
                   "needs_review": a.needs_review, "scores": a.scores}
            for name, a in found.answers.items()
        }  # fmt: skip
        return AttributeBatchItem(
            upload_id=upload_id,
            status="succeeded",
            product_type=found.product_type,
            attributes={name: a.value for name, a in found.answers.items()},
            answers=answers,
            needs_review=[name for name, a in found.answers.items() if a.needs_review],
        )
