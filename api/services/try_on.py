"""Try-on: mask the garment region (given, or found by CLIPSeg), then inpaint it.

The garment is described (``garment_prompt``: the SD 2 inpainting model), photographed
(``garment_image``: SDXL inpainting with an IP-Adapter), or both; the inpainting
container picks the model and composites at the photo's full resolution. Without a
mask, ``category`` names the region CLIPSeg looks for (``auto``: read from the words).

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
from api.domain.job_data import (
    DeliveredVariant,
    StoredImage,
    TryOnImage,
    TryOnRequest,
    TryOnResult,
    TryOnState,
    stored,
)
from api.domain.jobs import Job, JobKind
from api.domain.outcomes import JobRef, OutputReady
from api.services.jobs import HandedOff, OutcomeRefused
from api.services.model_inputs import for_model, image_size, mask_at
from api.services.outputs import expect, model_image
from api.services.renditions import render
from api.services.tenant_models import ResolvedAdapter, resolve_adapter

if TYPE_CHECKING:
    from collections.abc import Mapping

    from api.domain.commands import GarmentCategory, TryOnCommand
    from api.ports import JobStore, ModelRuntime, ObjectStore
    from api.services.generation import GenerationRules
    from api.services.images import ImageLoader
    from api.services.jobs import Completion, JobCore
    from api.services.outputs import ResultImages
    from api.services.prompts import PromptGate

# Garment words -> the region CLIPSeg should find on the person, most specific first.
# The model kinds a try-on applies (LoRAs on the SD 2 inpainting base).
STYLE_KINDS = frozenset({"style"})
_MASK_REGIONS = (
    (("dress", "gown", "jumpsuit", "romper"), "dress"),
    (("coat", "jacket", "blazer", "parka", "cardigan"), "jacket"),
    (("jeans", "trousers", "pants", "chinos", "leggings", "shorts"), "pants"),
    (("skirt",), "skirt"),
    (("hoodie", "sweater", "jumper", "sweatshirt", "pullover"), "sweater"),
    (("shirt", "t-shirt", "tee", "blouse", "top", "polo", "tank"), "shirt"),
)


# A named category -> the region it replaces (the names hosted try-on APIs use).
CATEGORY_REGIONS = {
    "tops": "upper body clothes",
    "bottoms": "lower body clothes",
    "one-pieces": "clothes",
}


def default_mask_prompt(garment_prompt: str) -> str:
    """The clothing region a garment replaces: 'a red linen shirt' -> 'shirt'."""
    words = set(re.findall(r"[a-z-]+", garment_prompt.lower()))
    for names, region in _MASK_REGIONS:
        if words.intersection(names):
            return region
    return "clothes"


def region_prompt(category: GarmentCategory, garment_prompt: str | None) -> str:
    """What CLIPSeg looks for when no mask is given: the category's region, or for
    ``auto`` the garment's words (a photo alone, without words: all clothes)."""
    if category == "auto":
        return default_mask_prompt(garment_prompt or "")
    return CATEGORY_REGIONS[category]


def input_prefix(job: Job) -> str:
    return f"{job.tenant}/jobs/{job.id}"


class RequestTryOn:
    """``POST /v1/try-ons``: validate, store the inputs under the job's prefix, then
    create and enqueue the job."""

    def __init__(
        self,
        *,
        uploads: ObjectStore,
        jobs: JobStore,
        images: ImageLoader,
        prompts: PromptGate,
        rules: GenerationRules,
        core: JobCore,
        job_ttl_days: int,
        variant_sides: Mapping[str, int],
    ) -> None:
        self._uploads = uploads
        self._jobs = jobs
        self._images = images
        self._prompts = prompts
        self._rules = rules
        self._core = core
        self._ttl = job_ttl_days
        self._variant_sides = dict(variant_sides)

    def __call__(self, tenant: str, req: TryOnCommand) -> Job:
        if req.garment_prompt is None and req.garment_image is None:
            raise RequestValidationFailed("give garment_prompt, garment_image or both")
        # Another tenant's model (or none) is 404; one still training 409; not a style 422
        # (before moderation: a record lookup, not a model call).
        style = (
            resolve_adapter(self._jobs, tenant, req.style_model_id, STYLE_KINDS)
            if req.style_model_id is not None
            else None
        )
        garment = (
            self._prompts.clean(req.garment_prompt, field="garment_prompt")
            if req.garment_prompt is not None
            else None
        )
        mask_prompt = (
            self._prompts.clean(req.mask_prompt, field="mask_prompt")
            if req.mask_prompt is not None
            else region_prompt(req.category, garment)
        )
        options = self._rules.check(req.options)
        image = self._images.load(tenant, req.image)
        mask = self._images.load(tenant, req.mask, field="mask") if req.mask is not None else None
        if mask is not None and (mask.width, mask.height) != (image.width, image.height):
            raise RequestValidationFailed(
                f"mask is {mask.width}x{mask.height};"
                f" it must match the image, {image.width}x{image.height}"
            )
        # Same checks, limits and tenant scoping as the person photo.
        garment_image = (
            self._images.load(tenant, req.garment_image, field="garment_image")
            if req.garment_image is not None
            else None
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
        garment_key = (
            f"{prefix}/garment.{garment_image.extension}" if garment_image is not None else None
        )
        request = TryOnRequest(
            image_key=image_key,
            mask_key=mask_key,
            mask_prompt=None if mask is not None else mask_prompt,
            garment_prompt=garment,
            garment_key=garment_key,
            garment_strength=req.garment_strength,
            category=req.category,
            output_format=req.output.format,
            quality=req.output.quality,
            variants={name: self._variant_sides[name] for name in req.output.variants},
            style_model_id=req.style_model_id,
            style_adapter=_adapter_entry(style, req.style_weight) if style is not None else None,
            **options.job_fields(),
        )
        try:
            self._uploads.put(image_key, image.data, content_type=image.content_type)
            if mask is not None and mask_key is not None:
                self._uploads.put(mask_key, mask.data, content_type=mask.content_type)
            if garment_image is not None and garment_key is not None:
                self._uploads.put(garment_key, garment_image.data,
                                  content_type=garment_image.content_type)
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
            "num_images": req.n,
            "seed": req.seed,
            "steps": req.steps,
            "guidance_scale": req.guidance_scale,
        }
        if req.garment_prompt:
            payload["prompt"] = req.garment_prompt
        if req.style_adapter:
            # The style LoRA was trained on captions naming its token: prompts name it too.
            token = req.style_adapter.get("token")
            payload["prompt"] = with_token(req.garment_prompt or "", token)
            payload["adapters"] = [req.style_adapter]
        if req.garment_key:
            # The container routes a garment photo to its SDXL + IP-Adapter model.
            payload["garment_image"] = _b64(self._uploads.get(req.garment_key))
            payload["garment_strength"] = req.garment_strength
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
        mask_key = f"{prefix}/mask.png"
        if output.get("mask") is not None:
            # The mask the model blended through (refined: dilated, holes filled, feathered).
            self._outputs.store(mask_key, model_image(output["mask"], what="mask"))
        passed, withheld = self._outputs.moderated(images)
        kept = [self._deliver(prefix, index, data, req) for index, data in passed]
        seed = output.get("seed")
        width, height = output.get("width"), output.get("height")
        result = TryOnResult(
            images=kept,
            mask=StoredImage(key=mask_key),
            seed=seed if isinstance(seed, int) else req.seed,
            withheld=withheld,
            format=req.output_format,
            width=width if isinstance(width, int) else None,
            height=height if isinstance(height, int) else None,
        )
        return stored(result)

    def _deliver(self, prefix: str, index: int, data: bytes, req: TryOnRequest) -> TryOnImage:
        """Store one image in the asked format, with its size variants beside it."""
        try:
            full, variants = render(data, fmt=req.output_format, quality=req.quality,
                                    sides=req.variants)
        except (OSError, ValueError) as exc:
            raise ModelInvocationFailed("inpainting returned an unreadable image") from exc
        key = f"{prefix}/image-{index}.{full.extension}"
        self._outputs.store(key, full.data, full.content_type)
        stored_variants: dict[str, DeliveredVariant] = {}
        for name, variant in variants.items():
            variant_key = f"{prefix}/image-{index}-{name}.{variant.extension}"
            self._outputs.store(variant_key, variant.data, variant.content_type)
            stored_variants[name] = DeliveredVariant(
                key=variant_key, width=variant.width, height=variant.height
            )
        return TryOnImage(key=key, width=full.width, height=full.height,
                          variants=stored_variants)

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


def _adapter_entry(style: ResolvedAdapter, weight: float) -> dict[str, Any]:
    """The container request's adapter entry (the tenant-model contract's shape)."""
    entry: dict[str, Any] = {"key": style.key, "type": style.type, "weight": weight}
    if style.token:
        entry["token"] = style.token
    return entry


def with_token(prompt: str, token: str | None) -> str:
    """``prompt`` naming ``token`` (prepended when it does not), as training captions did."""
    if not token or token in prompt.split():
        return prompt
    return f"{token}, {prompt}" if prompt else token


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
