"""Try-on: mask the garment region (given, or found by CLIPSeg), then inpaint it.

``request_try_on`` validates everything and records the job (inputs first, so the job
record holds object keys, never megabytes of base64); ``run_try_on`` is the job's
execution; ``finish_try_on`` turns the inpainting output into the result, in the same
process locally or, on AWS, in the Lambda that receives the async endpoint's output.
"""

from __future__ import annotations

import base64
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from api.domain.errors import ModelInputRejected, ModelInvocationFailed, RequestValidationFailed
from api.domain.jobs import Job, JobKind
from api.services import jobs
from api.services.generation import generation_params
from api.services.images import load_image
from api.services.outputs import expect, model_image, store_moderated_images, store_result
from api.services.prompts import clean_prompt

if TYPE_CHECKING:
    from api.bootstrap import Container
    from api.schemas.try_ons import TryOnCreate

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


def request_try_on(container: Container, tenant: str, req: TryOnCreate) -> Job:
    """Validate, store the inputs under the job's prefix, then create and enqueue the job."""
    settings = container.settings
    garment = clean_prompt(container, req.garment_prompt, field="garment_prompt")
    mask_prompt = (
        clean_prompt(container, req.mask_prompt, field="mask_prompt")
        if req.mask_prompt is not None
        else default_mask_prompt(garment)
    )
    options = generation_params(container, req)
    image = load_image(container, tenant, req.image)
    mask = load_image(container, tenant, req.mask, field="mask") if req.mask is not None else None
    if mask is not None and (mask.width, mask.height) != (image.width, image.height):
        raise RequestValidationFailed(
            f"mask is {mask.width}x{mask.height};"
            f" it must match the image, {image.width}x{image.height}"
        )

    job = Job.new(
        tenant=tenant,
        kind=JobKind.TRY_ON,
        request={},
        ttl_days=settings.job_ttl_days,
        callback_url=options.callback_url,
    )
    prefix = input_prefix(job)
    image_key = f"{prefix}/image.{image.extension}"
    mask_key = f"{prefix}/mask.{mask.extension}" if mask is not None else None
    request = {
        "image_key": image_key,
        "mask_key": mask_key,
        "mask_prompt": None if mask is not None else mask_prompt,
        "garment_prompt": garment,
        **options.as_request(),
    }
    try:
        container.uploads.put(image_key, image.data, content_type=image.content_type)
        if mask is not None and mask_key is not None:
            container.uploads.put(mask_key, mask.data, content_type=mask.content_type)
        return jobs.submit(container, replace(job, request=request))
    except Exception:
        container.uploads.delete_prefix(prefix + "/")  # no orphaned inputs
        raise


def run_try_on(container: Container, job: Job) -> Job | None:
    """Execute a running try-on job; ``None`` when its output arrives later (AWS async)."""
    req = job.request
    image = container.uploads.get(req["image_key"])
    if req.get("mask_key"):
        mask = container.uploads.get(req["mask_key"])
    else:
        mask = _auto_mask(container, image, req["mask_prompt"])
    store_result(container, f"{input_prefix(job)}/mask.png", mask)
    payload: dict[str, Any] = {
        "image": _b64(image),
        "mask": _b64(mask),
        "prompt": req["garment_prompt"],
        "num_images": req["n"],
        "seed": req["seed"],
        "steps": req["steps"],
        "guidance_scale": req["guidance_scale"],
    }
    if req.get("negative_prompt"):
        payload["negative_prompt"] = req["negative_prompt"]
    output = container.runtime.submit("inpainting", payload, job=job)
    return None if output is None else _finish(container, job, output)


def finish_try_on(container: Container, job: Job, output: dict[str, Any]) -> Job:
    """Moderate and store the inpainting output, then end the job (never raises)."""
    return jobs.guarded(container, job, lambda: _finish(container, job, output))


def _finish(container: Container, job: Job, output: dict[str, Any]) -> Job:
    images = expect(output, "images", list, model="inpainting")
    if not images:
        raise ModelInvocationFailed("inpainting returned no images")
    prefix = input_prefix(job)
    kept, withheld = store_moderated_images(container, f"{prefix}/", images)
    seed = output.get("seed")
    result = {
        "images": kept,
        "mask": {"key": f"{prefix}/mask.png"},
        "seed": seed if isinstance(seed, int) else job.request.get("seed"),
        "withheld": withheld,
    }
    return jobs.succeed(container, job, result)


def _auto_mask(container: Container, image: bytes, prompt: str) -> bytes:
    out = container.runtime.invoke("clipseg", {"image": _b64(image), "prompts": [prompt]})
    masks = expect(out, "masks", list, model="clipseg")
    first = masks[0] if masks and isinstance(masks[0], dict) else {}
    mask = model_image(first.get("mask"), what="mask")
    if float(expect(first, "coverage", (int, float), model="clipseg")) <= 0.0:
        raise ModelInputRejected(
            f"the mask prompt {prompt!r} matched nothing in the image;"
            " send another mask_prompt or a mask"
        )
    return mask


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
