"""Try-on: mask the garment region (given, or found by CLIPSeg), then inpaint it.

``RequestTryOn`` validates everything and records the job (inputs first, so the job
record holds object keys, never megabytes of base64). ``TryOnJob`` is the kind's entry
in the job table: ``execute`` masks and submits the inpainting asynchronously;
``complete`` turns the ``OutputReady`` outcome into the result, whether it came from the
in-process runtime or, on AWS, from the async endpoint's SNS notification.
"""

from __future__ import annotations

import base64
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from api.domain.errors import ModelInputRejected, ModelInvocationFailed, RequestValidationFailed
from api.domain.job_data import StoredImage, TryOnRequest, TryOnResult, TryOnState, stored
from api.domain.jobs import Job, JobKind
from api.domain.outcomes import JobRef, OutputReady
from api.services.jobs import HandedOff, OutcomeRefused
from api.services.model_inputs import for_model, image_size, mask_at
from api.services.outputs import expect, model_image

if TYPE_CHECKING:
    from api.domain.commands import TryOnCommand
    from api.ports import ModelRuntime, ObjectStore
    from api.services.generation import GenerationRules
    from api.services.images import ImageLoader
    from api.services.jobs import Completion, JobCore
    from api.services.outputs import ResultImages
    from api.services.prompts import PromptGate

# Garment words -> the region CLIPSeg should find on the person, most specific first.
_MASK_REGIONS = (
    (("dress", "gown", "jumpsuit", "romper"), "dress"),
    (("coat", "jacket", "blazer", "parka", "cardigan"), "jacket"),
    (("jeans", "trousers", "pants", "chinos", "leggings", "shorts"), "pants"),
    (("skirt",), "skirt"),
    (("hoodie", "sweater", "jumper", "sweatshirt", "pullover"), "sweater"),
    (("shirt", "t-shirt", "tee", "blouse", "top", "polo", "tank"), "shirt"),
)


def default_mask_prompt(garment_prompt: str) -> str:
    """The clothing region a garment replaces: 'a red linen shirt' -> 'shirt'."""
    words = set(re.findall(r"[a-z-]+", garment_prompt.lower()))
    for names, region in _MASK_REGIONS:
        if words.intersection(names):
            return region
    return "clothes"


def input_prefix(job: Job) -> str:
    return f"{job.tenant}/jobs/{job.id}"


class RequestTryOn:
    """``POST /v1/try-ons``: validate, store the inputs under the job's prefix, then
    create and enqueue the job."""

    def __init__(
        self,
        *,
        uploads: ObjectStore,
        images: ImageLoader,
        prompts: PromptGate,
        rules: GenerationRules,
        core: JobCore,
        job_ttl_days: int,
    ) -> None:
        self._uploads = uploads
        self._images = images
        self._prompts = prompts
        self._rules = rules
        self._core = core
        self._ttl = job_ttl_days

    def __call__(self, tenant: str, req: TryOnCommand) -> Job:
        garment = self._prompts.clean(req.garment_prompt, field="garment_prompt")
        mask_prompt = (
            self._prompts.clean(req.mask_prompt, field="mask_prompt")
            if req.mask_prompt is not None
            else default_mask_prompt(garment)
        )
        options = self._rules.check(req.options)
        image = self._images.load(tenant, req.image)
        mask = self._images.load(tenant, req.mask, field="mask") if req.mask is not None else None
        if mask is not None and (mask.width, mask.height) != (image.width, image.height):
            raise RequestValidationFailed(
                f"mask is {mask.width}x{mask.height};"
                f" it must match the image, {image.width}x{image.height}"
            )

        job = Job.new(
            tenant=tenant,
            kind=JobKind.TRY_ON,
            request={},
            ttl_days=self._ttl,
            callback_url=options.callback_url,
        )
        prefix = input_prefix(job)
        image_key = f"{prefix}/image.{image.extension}"
        mask_key = f"{prefix}/mask.{mask.extension}" if mask is not None else None
        request = TryOnRequest(
            image_key=image_key,
            mask_key=mask_key,
            mask_prompt=None if mask is not None else mask_prompt,
            garment_prompt=garment,
            **options.job_fields(),
        )
        try:
            self._uploads.put(image_key, image.data, content_type=image.content_type)
            if mask is not None and mask_key is not None:
                self._uploads.put(mask_key, mask.data, content_type=mask.content_type)
            return self._core.submit(replace(job, request=request.model_dump(mode="json")))
        except Exception:
            self._uploads.delete_prefix(prefix + "/")  # no orphaned inputs
            raise


class TryOnJob:
    """The try-on kind's steps: mask and submit (``execute``), store the output (``complete``)."""

    def __init__(
        self, *, uploads: ObjectStore, runtime: ModelRuntime, outputs: ResultImages
    ) -> None:
        self._uploads = uploads
        self._runtime = runtime
        self._outputs = outputs

    def execute(self, job: Job, req: TryOnRequest, state: TryOnState) -> HandedOff[TryOnState]:
        image = self._uploads.get(req.image_key)
        if req.mask_key:
            mask = self._uploads.get(req.mask_key)
        else:
            mask = self._auto_mask(image, req.mask_prompt or "clothes")
        self._outputs.store(f"{input_prefix(job)}/mask.png", mask)
        payload: dict[str, Any] = {
            "image": _b64(image),
            "mask": _b64(mask),
            "prompt": req.garment_prompt,
            "num_images": req.n,
            "seed": req.seed,
            "steps": req.steps,
            "guidance_scale": req.guidance_scale,
        }
        if req.negative_prompt:
            payload["negative_prompt"] = req.negative_prompt
        ref = JobRef(job.tenant, job.id, kind=JobKind.TRY_ON)
        submission = self._runtime.submit_async("inpainting", payload, job=ref)
        return HandedOff(TryOnState(submission=submission))

    def complete(
        self, job: Job, req: TryOnRequest, state: TryOnState, outcome: Completion
    ) -> dict[str, Any]:
        """Moderate and store the inpainting output: the job's result."""
        if not isinstance(outcome, OutputReady):
            raise OutcomeRefused(f"a try-on does not take {type(outcome).__name__}")
        expected = state.submission.output_location if state.submission else None
        if expected and outcome.location != expected:
            raise OutcomeRefused("the output location does not match the submission")
        output = outcome.output
        images = expect(output, "images", list, model="inpainting")
        if not images:
            raise ModelInvocationFailed("inpainting returned no images")
        prefix = input_prefix(job)
        kept, withheld = self._outputs.store_moderated(f"{prefix}/", images)
        seed = output.get("seed")
        result = TryOnResult(
            images=kept,
            mask=StoredImage(key=f"{prefix}/mask.png"),
            seed=seed if isinstance(seed, int) else req.seed,
            withheld=withheld,
        )
        return stored(result)

    def _auto_mask(self, image: bytes, prompt: str) -> bytes:
        # Downscaled for the real-time call (6 MB body limit); the mask comes back scaled
        # to the image. The async inpainting input goes through S3: no such limit.
        sent = for_model(image)
        out = self._runtime.invoke("clipseg", {"image": sent.b64(), "prompts": [prompt]})
        masks = expect(out, "masks", list, model="clipseg")
        first = masks[0] if masks and isinstance(masks[0], dict) else {}
        mask = model_image(first.get("mask"), what="mask")
        mask = mask_at(mask, image_size(image))
        if float(expect(first, "coverage", (int, float), model="clipseg")) <= 0.0:
            raise ModelInputRejected(
                f"the mask prompt {prompt!r} matched nothing in the image;"
                " send another mask_prompt or a mask"
            )
        return mask


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
