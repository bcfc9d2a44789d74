"""Validating the options of an image-generating job against the deployment's limits."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from api.services.prompts import check_range, clean_prompt
from api.services.webhooks import validate_callback_url

if TYPE_CHECKING:
    from api.bootstrap import Container
    from api.schemas.generation import GenerationOptions

DEFAULT_STEPS = 30


@dataclass(frozen=True, slots=True)
class GenerationParams:
    negative_prompt: str | None
    n: int
    seed: int
    steps: int
    guidance_scale: float
    callback_url: str | None

    def as_request(self) -> dict[str, Any]:
        """The job request's generation fields (the callback lives on the job itself)."""
        return {
            "negative_prompt": self.negative_prompt,
            "n": self.n,
            "seed": self.seed,
            "steps": self.steps,
            "guidance_scale": self.guidance_scale,
        }


def generation_params(container: Container, req: GenerationOptions) -> GenerationParams:
    """Check ``req`` against the settings; a seed is drawn when none was given, so the
    job records the one that reproduces it."""
    settings = container.settings
    negative = None
    if req.negative_prompt is not None and req.negative_prompt.strip():
        # Not moderated: negative prompts name exactly what is unwanted.
        negative = clean_prompt(
            container, req.negative_prompt, field="negative_prompt", moderate=False
        )
    check_range(req.n, low=1, high=settings.max_images_per_request, field="n")
    steps = req.steps if req.steps is not None else min(DEFAULT_STEPS, settings.max_inference_steps)
    check_range(steps, low=1, high=settings.max_inference_steps, field="steps")
    callback = (
        validate_callback_url(req.callback_url, profile=settings.profile)
        if req.callback_url is not None
        else None
    )
    return GenerationParams(
        negative_prompt=negative,
        n=req.n,
        seed=req.seed if req.seed is not None else secrets.randbelow(2**31),
        steps=steps,
        guidance_scale=req.guidance_scale,
        callback_url=callback,
    )
