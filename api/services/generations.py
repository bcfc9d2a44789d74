"""Generations: SDXL text-to-image with tenant adapters, ControlNet or img2img (a job).

``RequestGeneration`` (``POST /v1/generations``) moderates the prompt, checks the options,
resolves each ``adapters[].model_id`` to the tenant's ready model (``tenant_models``:
another tenant's or an unknown id is 404, not ready 409, a kind generation cannot use 422)
and stores the input photos under the job's prefix before the job is recorded. The
``generation`` kind's ``execute`` submits the request to the generation model
asynchronously (the async endpoint on AWS, in process locally with step progress);
``complete`` moderates and stores the images, whichever runtime reported them.
"""

from __future__ import annotations

import base64
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from api.domain.errors import Conflict, ModelInvocationFailed, RequestValidationFailed
from api.domain.job_data import (
    GeneratedImage,
    GenerationAdapter,
    GenerationRequest,
    GenerationResult,
    GenerationState,
    StoredImage,
    stored,
)
from api.domain.jobs import Job, JobKind
from api.domain.outcomes import JobRef, OutputReady
from api.services.jobs import HandedOff, OutcomeRefused
from api.services.outputs import expect, model_image
from api.services.renditions import render
from api.services.tenant_models import resolve_adapter

if TYPE_CHECKING:
    from api.domain.commands import GenerationCommand
    from api.ports import JobStore, ModelRuntime, ObjectStore
    from api.services.generation import GenerationRules
    from api.services.images import ImageLoader
    from api.services.jobs import Completion, JobCore
    from api.services.outputs import ResultImages
    from api.services.prompts import PromptGate

MODEL = "generation"
# The tenant model kinds whose adapters fit the SDXL base.
ADAPTER_KINDS = frozenset({"product", "concept"})
# SDXL-Turbo: distilled for 1-4 steps without classifier-free guidance.
TURBO_DEFAULT_STEPS, TURBO_MAX_STEPS = 4, 8


def input_prefix(job: Job) -> str:
    return f"{job.tenant}/jobs/{job.id}"


class RequestGeneration:
    """``POST /v1/generations``: validate, resolve adapters, store inputs, enqueue."""

    def __init__(self, *, jobs: JobStore, uploads: ObjectStore, images: ImageLoader,
                 prompts: PromptGate, rules: GenerationRules, core: JobCore,
                 job_ttl_days: int) -> None:
        self._jobs = jobs
        self._uploads = uploads
        self._images = images
        self._prompts = prompts
        self._rules = rules
        self._core = core
        self._ttl = job_ttl_days

    def __call__(self, tenant: str, req: GenerationCommand) -> Job:
        prompt = self._prompts.clean(req.prompt, field="prompt")
        options = req.options
        turbo = req.variant == "turbo"
        if turbo:
            if options.steps is not None and options.steps > TURBO_MAX_STEPS:
                raise RequestValidationFailed(
                    f"steps must be at most {TURBO_MAX_STEPS} with variant 'turbo'")
            # Turbo runs without guidance; few steps unless asked.
            options = replace(options, guidance_scale=0.0,
                              steps=options.steps or TURBO_DEFAULT_STEPS)
        params = self._rules.check(options)
        if len({use.model_id for use in req.adapters}) != len(req.adapters):
            raise RequestValidationFailed("each model may appear once in adapters")
        adapters = [self._adapter(tenant, use.model_id, use.weight) for use in req.adapters]
        control = (self._images.load(tenant, req.control.image, field="control.image")
                   if req.control is not None else None)
        image = self._images.load(tenant, req.image) if req.image is not None else None
        if image is not None and int(params.steps * req.strength) < 1:
            raise RequestValidationFailed("steps × strength must be at least 1 step")

        job = Job.new(tenant=tenant, kind=JobKind.GENERATION, request={}, ttl_days=self._ttl,
                      callback_url=params.callback_url)
        prefix = input_prefix(job)
        control_key = f"{prefix}/control-input.{control.extension}" if control else None
        image_key = f"{prefix}/input.{image.extension}" if image else None
        request = GenerationRequest(
            prompt=prompt,
            variant=req.variant,
            size=req.size,
            adapters=adapters,
            control_key=control_key,
            control_type=req.control.type if req.control else None,
            control_strength=req.control.strength if req.control else 0.8,
            image_key=image_key,
            strength=req.strength,
            **params.job_fields(),
        )
        try:
            if control is not None and control_key is not None:
                self._uploads.put(control_key, control.data, content_type=control.content_type)
            if image is not None and image_key is not None:
                self._uploads.put(image_key, image.data, content_type=image.content_type)
            return self._core.submit(replace(job, request=request.model_dump(mode="json")))
        except Exception:
            self._uploads.delete_prefix(prefix + "/")  # no orphaned inputs
            raise

    def _adapter(self, tenant: str, model_id: str, weight: float) -> GenerationAdapter:
        resolved = resolve_adapter(self._jobs, tenant, model_id, ADAPTER_KINDS)
        if resolved.type == "textual_inversion" and not resolved.token:
            raise Conflict(f"concept model {model_id} has no token")
        return GenerationAdapter(model_id=model_id, kind=resolved.kind, key=resolved.key,
                                 type=resolved.type, weight=weight, token=resolved.token)


class GenerationJob:
    """The generation kind's steps: submit (``execute``), moderate and store (``complete``)."""

    def __init__(self, *, uploads: ObjectStore, runtime: ModelRuntime,
                 outputs: ResultImages) -> None:
        self._uploads = uploads
        self._runtime = runtime
        self._outputs = outputs

    def execute(self, job: Job, req: GenerationRequest, state: GenerationState
                ) -> HandedOff[GenerationState]:
        payload: dict[str, Any] = {
            "prompt": req.prompt,
            "num_images": req.n,
            "seed": req.seed,
            "steps": req.steps,
            "guidance_scale": req.guidance_scale,
            "variant": req.variant,
            "size": req.size,
            "adapters": [{"key": a.key, "type": a.type, "weight": a.weight, "token": a.token}
                         for a in req.adapters],
        }
        if req.negative_prompt:
            payload["negative_prompt"] = req.negative_prompt
        if req.control_key:
            payload["control"] = {"image": _b64(self._uploads.get(req.control_key)),
                                  "type": req.control_type or "canny",
                                  "strength": req.control_strength}
        if req.image_key:
            payload["image"] = _b64(self._uploads.get(req.image_key))
            payload["strength"] = req.strength
        ref = JobRef(job.tenant, job.id, kind=JobKind.GENERATION)
        return HandedOff(GenerationState(
            submission=self._runtime.submit_async(MODEL, payload, job=ref)))

    def complete(self, job: Job, req: GenerationRequest, state: GenerationState,
                 outcome: Completion) -> dict[str, Any]:
        if not isinstance(outcome, OutputReady):
            raise OutcomeRefused(f"a generation does not take {type(outcome).__name__}")
        expected = state.submission.output_location if state.submission else None
        if expected and outcome.location != expected:
            raise OutcomeRefused("the output location does not match the submission")
        output = outcome.output
        images = expect(output, "images", list, model=MODEL)
        if not images:
            raise ModelInvocationFailed("generation returned no images")
        prefix = input_prefix(job)
        control = None
        if output.get("control_image") is not None:
            control = StoredImage(key=f"{prefix}/control.png")
            self._outputs.store(control.key, model_image(output["control_image"],
                                                         what="control image"))
        passed, withheld = self._outputs.moderated(images)
        kept = []
        for index, data in passed:
            try:
                full, _ = render(data, fmt="png", quality=90, sides={})
            except (OSError, ValueError) as exc:
                raise ModelInvocationFailed("generation returned an unreadable image") from exc
            key = f"{prefix}/image-{index}.{full.extension}"
            self._outputs.store(key, full.data, full.content_type)
            kept.append(GeneratedImage(key=key, width=full.width, height=full.height))
        seed, width, height = output.get("seed"), output.get("width"), output.get("height")
        return stored(GenerationResult(
            images=kept,
            seed=seed if isinstance(seed, int) else req.seed,
            withheld=withheld,
            width=width if isinstance(width, int) else None,
            height=height if isinstance(height, int) else None,
            control_image=control,
            adapters=[a.model_id for a in req.adapters],
        ))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
