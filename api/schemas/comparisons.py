"""Comparisons: one prompt set through several model configurations, scored side by side
(the request, the ratings, and the report as a job's result)."""

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from api.schemas.generations import AdapterIn

if TYPE_CHECKING:
    from api.domain.commands import ComparisonCommand, RatingCommand

ModelName = Annotated[str, Field(pattern=r"^[a-z0-9-]{1,40}$",
                                 description="The column's name (unique).",
                                 examples=["sdxl-product"])]
_UPLOAD = r"^upl_[A-Za-z0-9_-]{1,64}$"


class ComparedPromptIn(BaseModel):
    """A row: the prompt (moderated: a flagged row is recorded as blocked, not generated)
    and optional photos (upload ids) for the models that use them."""

    model_config = ConfigDict(extra="forbid")

    prompt: str = Field(examples=["a white linen shirt on a model, studio light"])
    negative_prompt: str | None = None
    reference_image: str | None = Field(
        default=None, pattern=_UPLOAD,
        description="ControlNet columns follow its edges/depth (without one, their cell is "
        "skipped).")
    person_image: str | None = Field(
        default=None, pattern=_UPLOAD,
        description="try_on columns dress this person (without one, their cell is skipped).")


class ControlSpecIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["canny", "depth"] = "canny"
    strength: float = Field(default=0.8, ge=0.0, le=2.0, strict=True)


class ComparedModelIn(BaseModel):
    """A column: one model configuration."""

    model_config = ConfigDict(extra="forbid")

    name: ModelName
    type: Literal["sdxl", "try_on", "bedrock", "openai"] = Field(
        description="sdxl: the SDXL base (+ your product/concept models, + ControlNet); "
        "try_on: the try-on model on each row's person_image (+ a style model); bedrock: an "
        "Amazon Bedrock image model; openai: the OpenAI Images API (where a key is set).")
    variant: Literal["base", "turbo"] = "base"
    adapters: list[AdapterIn] = Field(default_factory=list, max_length=5,
                                      description="sdxl: your ready product/concept models.")
    control: ControlSpecIn | None = Field(
        default=None, description="sdxl: ControlNet on each row's reference_image.")
    style_model_id: str | None = Field(default=None, description="try_on: your style model.")
    model_id: str | None = Field(
        default=None, description="bedrock: the model id (default amazon.nova-canvas-v1:0); "
        "it must be in the price table.", examples=["amazon.nova-canvas-v1:0"])
    model: str | None = Field(default=None, description="openai: the model (default "
                              "gpt-image-1).")

    @model_validator(mode="after")
    def _fields_of_type(self) -> "ComparedModelIn":
        misplaced = {
            "adapters": bool(self.adapters) and self.type != "sdxl",
            "control": self.control is not None and self.type != "sdxl",
            "style_model_id": self.style_model_id is not None and self.type != "try_on",
            "model_id": self.model_id is not None and self.type != "bedrock",
            "model": self.model is not None and self.type != "openai",
        }
        wrong = [name for name, bad in misplaced.items() if bad]
        if wrong:
            raise ValueError(f"{', '.join(wrong)} do(es) not apply to type {self.type!r}")
        return self


COMPARISON_EXAMPLES = {
    "catalogue": {
        "summary": "SDXL base vs your product model vs ControlNet",
        "value": {
            "prompts": [
                {"prompt": "a white linen shirt on a model, studio light",
                 "reference_image": "upl_9f2c4e1ab37d4c0e8a61"},
                {"prompt": "a denim jacket on a mannequin"},
                {"prompt": "a red silk scarf, flat lay"},
            ],
            "models": [
                {"name": "sdxl", "type": "sdxl"},
                {"name": "sdxl-product", "type": "sdxl",
                 "adapters": [{"model_id": "prd_Xq3v9t0bN2kLmP4rS8uW1y", "weight": 0.8}]},
                {"name": "controlnet", "type": "sdxl",
                 "control": {"type": "canny", "strength": 0.8}},
                {"name": "nova", "type": "bedrock", "model_id": "amazon.nova-canvas-v1:0"},
            ],
            "seed": 42,
            "steps": 30,
        },
    },
    "from_file": {
        "summary": "Prompts from an uploaded CSV (prompt, reference_image, ...)",
        "value": {"prompts_upload": "upl_3q2-7xPq9lR0aB1cD2eF3g",
                  "models": [{"name": "sdxl", "type": "sdxl"},
                             {"name": "gpt-image", "type": "openai"}]},
    },
}


class ComparisonCreate(BaseModel):
    """A prompt set (inline, or an uploaded CSV/JSONL) x model configurations."""

    model_config = ConfigDict(extra="forbid")

    prompts: list[ComparedPromptIn] = Field(default_factory=list, max_length=50)
    prompts_upload: str | None = Field(
        default=None, pattern=_UPLOAD,
        description="An uploaded prompts file: CSV with a prompt column (and optional "
        "negative_prompt, reference_image, person_image), or JSONL objects with those keys.")
    models: list[ComparedModelIn] = Field(min_length=1, max_length=8)
    seed: int | None = Field(default=None, ge=0, le=2**32 - 1,
                             description="The same for every model that takes one (drawn "
                             "when not given; the result names it).")
    steps: int | None = Field(default=None, ge=1, description="Diffusion steps (default 30).")
    guidance: float = Field(default=7.0, ge=0.0, le=20.0)
    size: Literal["square", "portrait", "landscape"] = "square"
    callback_url: str | None = Field(default=None,
                                     description="Receives the terminal job event (webhook).")

    @model_validator(mode="after")
    def _some_prompts(self) -> "ComparisonCreate":
        if not self.prompts and self.prompts_upload is None:
            raise ValueError("give prompts or prompts_upload")
        return self

    def command(self) -> "ComparisonCommand":
        from api.domain.commands import (
            AdapterUse,
            ComparedModel,
            ComparedPrompt,
            ComparisonCommand,
        )

        return ComparisonCommand(
            prompts=tuple(ComparedPrompt(p.prompt, p.negative_prompt, p.reference_image,
                                         p.person_image) for p in self.prompts),
            prompts_upload=self.prompts_upload,
            models=tuple(
                ComparedModel(
                    name=m.name, type=m.type, variant=m.variant,
                    adapters=tuple(AdapterUse(a.model_id, a.weight) for a in m.adapters),
                    control_type=m.control.type if m.control else None,
                    control_strength=m.control.strength if m.control else 0.8,
                    style_model_id=m.style_model_id, model_id=m.model_id, model=m.model,
                ) for m in self.models
            ),
            seed=self.seed, steps=self.steps, guidance=self.guidance, size=self.size,
            callback_url=self.callback_url,
        )  # fmt: skip


class PickIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    prompt: int = Field(ge=0, description="The row's index.", examples=[0])
    model: ModelName


class RatingsIn(BaseModel):
    """A rater's best image per prompt; their later ratings replace these."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"rater": "alice", "picks": [
            {"prompt": 0, "model": "sdxl-product"}, {"prompt": 1, "model": "sdxl"}]}]},
    )

    rater: str = Field(min_length=1, max_length=64, examples=["alice"])
    picks: list[PickIn] = Field(min_length=1, max_length=50)

    def command(self) -> "RatingCommand":
        from api.domain.commands import RatingCommand

        return RatingCommand(rater=self.rater, picks=tuple((p.prompt, p.model) for p in self.picks))


# --- the result (``JobPublic.result`` of a succeeded comparison: report.json) ---
def _url(value: object) -> object:
    """A stored file as the job view signs it (``{"url": ...}``), as report.json names
    files: a plain string (here a short-lived URL, there a relative path)."""
    return value.get("url") if isinstance(value, dict) else value


FileUrl = Annotated[str | None, BeforeValidator(_url),
                    Field(description="A short-lived URL (fresh on every read).")]

class Stats(BaseModel):
    mean: float | None = None
    p50: float | None = None
    p95: float | None = None


class CostFigures(BaseModel):
    per_image: float | None = Field(default=None, description="USD, from the price table.")
    total: float | None = None


class ComparedPromptPublic(BaseModel):
    index: int
    prompt: str
    negative_prompt: str | None = None
    reference_image: FileUrl = None
    person_image: FileUrl = None
    blocked: str | None = Field(default=None, description="Why moderation flagged the prompt "
                                "(its row was not generated).")


class ComparedModelPublic(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str
    type: str
    label: str | None = None
    error: str | None = Field(default=None, description="Why the whole column failed.")


class ComparisonCellPublic(BaseModel):
    """One image of the grid and its figures, or why there is none."""

    prompt: int
    model: str
    status: Literal["succeeded", "failed", "skipped", "blocked"]
    image: FileUrl = None
    seed: int | None = None
    clip_score: float | None = Field(default=None, description="Prompt alignment (CLIP score, "
                                     "100 x cosine): not product fidelity.")
    model_seconds: float | None = Field(default=None, description="Inside the model call.")
    wall_seconds: float | None = Field(default=None, description="From the run's start "
                                      "(queueing behind earlier cells and loading included).")
    cost_usd: float | None = None
    moderation: str = Field(description="passed, blocked_prompt, blocked_by_provider, "
                            "withheld (the output image), not_checked.")
    error: str | None = None


class ModelSummaryPublic(BaseModel):
    model_config = ConfigDict(extra="allow")

    model: str
    images: int
    failed: int
    clip_score: Stats
    model_seconds: Stats
    wall_seconds: Stats
    cost_usd: CostFigures
    clip_win_rate: float | None = Field(default=None, description="Share of prompts (with 2+ "
                                        "scored models) where it scored highest; ties split.")
    human_win_rate: float | None = Field(default=None, description="Its share of the raters' "
                                         "picks (null: nobody rated yet).")
    human_picks: int = 0


class ComparisonResultPublic(BaseModel):
    """The report: the grid (prompts x models), per-model summary, scorer."""

    version: int
    tiny_models: bool | None = Field(default=None, description="Tiny random-weight models: "
                                     "the figures test the pipeline, not the models.")
    seed: int | None = None
    scorer: dict[str, str | float | None] = Field(default_factory=dict,
                                          examples=[{"metric": "clip_score",
                                                     "library": "torchmetrics 1.9.0",
                                                     "model": "clip-vit-large-patch14"}])
    prompts: list[ComparedPromptPublic]
    models: list[ComparedModelPublic]
    cells: list[ComparisonCellPublic]
    summary: list[ModelSummaryPublic]
    ratings: dict[str, int] = Field(default_factory=dict, examples=[{"raters": 1}])
    contact_sheet: FileUrl = None
    training_job: str | None = Field(default=None, description="The SageMaker job (aws).")
