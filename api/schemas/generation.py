"""Options every image-generating job takes (try-on, avatar generation)."""

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from api.domain.commands import GenerationInput


class GenerationOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")

    negative_prompt: str | None = None
    # strict: a number is a JSON number (``true`` or ``"2"`` is 422, not coerced).
    n: int = Field(
        default=1,
        ge=1,
        le=8,
        strict=True,
        description="Images to generate (deployment limit applies).",
    )
    seed: int | None = Field(default=None, ge=0, le=2**32 - 1, strict=True)
    steps: int | None = Field(
        default=None,
        ge=1,
        strict=True,
        description="Denoising steps (default 30, deployment limit applies).",
    )
    guidance_scale: float = Field(default=7.5, ge=0.0, le=20.0, strict=True)
    callback_url: str | None = Field(
        default=None, description="HTTPS URL that receives a signed POST when the job ends."
    )

    def generation_input(self) -> "GenerationInput":
        from api.domain.commands import GenerationInput

        return GenerationInput(
            n=self.n,
            seed=self.seed,
            steps=self.steps,
            guidance_scale=self.guidance_scale,
            negative_prompt=self.negative_prompt,
            callback_url=self.callback_url,
        )
