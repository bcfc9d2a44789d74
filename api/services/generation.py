"""Validating the options of an image-generating job against the deployment's limits."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from api.services.prompts import check_range
from api.services.webhooks import validate_callback_url

if TYPE_CHECKING:
    from api.domain.commands import GenerationInput
    from api.services.prompts import PromptGate
    from api.settings import Settings

DEFAULT_STEPS = 30


@dataclass(frozen=True, slots=True)
class GenerationParams:
    """A generating job's options, checked against the settings and defaulted."""

    negative_prompt: str | None
    n: int
    seed: int
    steps: int
    guidance_scale: float
    callback_url: str | None

    def job_fields(self) -> dict[str, Any]:
        """The ``GenerationFields`` of a job's typed request (the callback is the job's)."""
        return {
            "negative_prompt": self.negative_prompt,
            "n": self.n,
            "seed": self.seed,
            "steps": self.steps,
            "guidance_scale": self.guidance_scale,
        }


class GenerationRules:
    """Checks generation options against the settings.

    Parameters
    ----------
    prompts
        Cleans the negative prompt (never moderated: it names what is unwanted).
    settings
        Image count and step limits, the profile (which callback URLs are allowed).
    """

    def __init__(self, *, prompts: PromptGate, settings: Settings) -> None:
        self._prompts = prompts
        self._settings = settings

    def check(self, req: GenerationInput) -> GenerationParams:
        """Check ``req``; a seed is drawn when none was given, so the job records the one
        that reproduces it."""
        settings = self._settings
        negative = None
        if req.negative_prompt is not None and req.negative_prompt.strip():
            negative = self._prompts.clean(
                req.negative_prompt, field="negative_prompt", moderate=False
            )
        check_range(req.n, low=1, high=settings.max_images_per_request, field="n")
        default = min(DEFAULT_STEPS, settings.max_inference_steps)
        steps = req.steps if req.steps is not None else default
        check_range(steps, low=1, high=settings.max_inference_steps, field="steps")
        return GenerationParams(
            negative_prompt=negative,
            n=req.n,
            seed=req.seed if req.seed is not None else secrets.randbelow(2**31),
            steps=steps,
            guidance_scale=req.guidance_scale,
            callback_url=self.callback(req.callback_url),
        )

    def callback(self, url: str | None) -> str | None:
        if url is None:
            return None
        return validate_callback_url(url, allow_loopback=self._settings.callback_loopback_allowed())
