"""A comparison's ``spec.json``: one prompt set × model configurations, parsed and validated.

Written by the API (from ``POST /v1/comparisons``) or the CLI (from a prompts file and
``models.yaml``); read by ``run.py``. Image paths are relative to the spec's folder (the
``train`` channel on SageMaker) unless absolute; adapter keys resolve under
``--adapters_dir``. A model is one of four ``type``\\ s:

- ``sdxl``: the SDXL base (``variant`` base/turbo) + tenant ``adapters`` + an optional
  ``control`` (ControlNet on each prompt's ``reference_image``);
- ``try_on``: the inpainting model on each prompt's ``person_image`` (+ a ``style``);
- ``bedrock``: an Amazon Bedrock image model (``model_id``: Nova Canvas, Titan Image v2);
- ``openai``: OpenAI's Images API (``model``), when ``OPENAI_API_KEY`` is set.

pydantic does the checking; ``SpecError`` carries its message (one line per problem).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

VERSION: Literal[1] = 1
NAME = re.compile(r"^[a-z0-9-]{1,40}$")
MAX_SEED = 2**32 - 1


class SpecError(ValueError):
    """The spec cannot be run as written (the message says why, for the job's failure)."""


class _Strict(BaseModel):
    # The contract is fixed: an unknown field is a typo or a version mismatch, not noise.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Price(_Strict):
    """What one image costs: the instance's hourly price × the model seconds it took
    (SageMaker models), or the provider's price per image (hosted ones)."""

    instance_type: str | None = None
    usd_per_hour: float | None = Field(default=None, ge=0)
    usd_per_image: float | None = Field(default=None, ge=0)

    def cost(self, model_seconds: float) -> float | None:
        if self.usd_per_image is not None:
            return self.usd_per_image
        if self.usd_per_hour is not None:
            return self.usd_per_hour * model_seconds / 3600
        return None


class Adapter(_Strict):
    key: str = Field(min_length=1, max_length=512)
    type: Literal["lora", "textual_inversion"] = "lora"
    weight: float = Field(default=1.0, ge=0, le=2)
    token: str | None = None


class Control(_Strict):
    type: Literal["canny", "depth"] = "canny"
    strength: float = Field(default=0.8, ge=0, le=2)


class Style(_Strict):
    """A try-on style model (a LoRA on the inpainting base), by adapter key."""

    key: str = Field(min_length=1, max_length=512)
    weight: float = Field(default=1.0, ge=0, le=2)
    token: str | None = None


class _Model(_Strict):
    name: str
    label: str | None = None
    price: Price = Field(default_factory=Price)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not NAME.match(value):
            raise ValueError("a model name is 1-40 of a-z, 0-9 and '-'")
        return value

    @property
    def display(self) -> str:
        """The label the report shows: the spec's, else what the model is."""
        return self.label or self.describe()

    def describe(self) -> str:
        return self.name


class SdxlModel(_Model):
    type: Literal["sdxl"]
    variant: Literal["base", "turbo"] = "base"
    adapters: list[Adapter] = Field(default_factory=list, max_length=5)
    control: Control | None = None

    def describe(self) -> str:
        parts = [f"SDXL {self.variant}"]
        parts += ["LoRA" if a.type == "lora" else "concept" for a in self.adapters]
        if self.control is not None:
            parts.append(f"ControlNet {self.control.type}")
        return " + ".join(parts)


class TryOnModel(_Model):
    type: Literal["try_on"]
    style: Style | None = None
    # What CLIPSeg looks for in a row without a mask_image (the region a garment replaces).
    mask_prompt: str | None = Field(default=None, max_length=200)

    def describe(self) -> str:
        return "Try-on + style" if self.style else "Try-on"

    @field_validator("style", mode="before")
    @classmethod
    def _style_key(cls, value: Any) -> Any:
        return {"key": value} if isinstance(value, str) else value


class BedrockModel(_Model):
    type: Literal["bedrock"]
    model_id: str = "amazon.nova-canvas-v1:0"
    region: str | None = None

    def describe(self) -> str:
        return f"Bedrock {self.model_id}"


class OpenAIModel(_Model):
    type: Literal["openai"]
    model: str = "gpt-image-1"

    def describe(self) -> str:
        return f"OpenAI {self.model}"


ModelConfig = Annotated[SdxlModel | TryOnModel | BedrockModel | OpenAIModel,
                        Field(discriminator="type")]


class PromptItem(_Strict):
    prompt: str = Field(min_length=1, max_length=2000)
    negative_prompt: str | None = Field(default=None, max_length=2000)
    reference_image: str | None = None  # ControlNet's input photo
    person_image: str | None = None  # the try-on's person photo
    mask_image: str | None = None  # try-on: white = replace (else CLIPSeg finds the clothes)
    # Set by the API when its moderation refused the prompt: the row is not generated.
    blocked: str | None = None

    @field_validator("negative_prompt", "reference_image", "person_image", "mask_image",
                     "blocked", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        # CSV cells are empty strings where JSON has null.
        return None if value == "" else value


class Spec(_Strict):
    version: Literal[1] = VERSION
    seed: int = Field(default=42, ge=0, le=MAX_SEED)
    steps: int = Field(default=30, ge=1, le=100)
    guidance: float = Field(default=7.0, ge=0, le=30)
    size: Literal["square", "portrait", "landscape"] = "square"
    # An explicit side in pixels (tests, tiny models); ``size``'s aspect keeps applying.
    width: int | None = Field(default=None, ge=32, le=2048)
    height: int | None = Field(default=None, ge=32, le=2048)
    prompts: list[PromptItem] = Field(min_length=1, max_length=500)
    models: list[ModelConfig] = Field(min_length=1, max_length=16)
    tiny_models: bool = False

    @field_validator("prompts", mode="before")
    @classmethod
    def _bare_prompts(cls, value: Any) -> Any:
        # An inline list may name prompts alone: "a linen shirt" is {"prompt": ...}.
        if isinstance(value, list):
            return [{"prompt": item} if isinstance(item, str) else item for item in value]
        return value

    @model_validator(mode="after")
    def _unique_names(self) -> Spec:
        names = [model.name for model in self.models]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"model names must be unique: {', '.join(duplicates)}")
        return self


def parse(data: Any) -> Spec:
    """``data`` (spec.json's content) as a ``Spec``; ``SpecError`` says what is wrong."""
    try:
        return Spec.model_validate(data)
    except ValidationError as error:
        raise SpecError(_describe(error)) from error


def load(path: Path) -> Spec:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SpecError(f"cannot read the spec {path}: {error}") from error
    return parse(data)


def resolve(base_dir: Path, path: str | None) -> Path | None:
    """An image path of the spec: absolute as given, else under the spec's folder."""
    if path is None:
        return None
    candidate = Path(path)
    return candidate if candidate.is_absolute() else Path(base_dir) / candidate


def _describe(error: ValidationError) -> str:
    lines = []
    for problem in error.errors(include_url=False):
        where = ".".join(str(part) for part in problem["loc"]) or "spec"
        lines.append(f"{where}: {problem['msg']}")
    return "invalid comparison spec: " + "; ".join(lines)
