"""Training recipes: one definition of each training run kind, for every launcher.

A recipe says what the training image runs for a kind (its ``train.py`` under the code
baked into the image), which channel receives the training data, which setting names
the base checkpoint (the ``base`` channel: the one its endpoint serves, so adapters
always match their base), and the hyperparameters ``train.py`` takes from a launcher,
with their defaults (``train.py``'s own) and bounds. The API's SageMaker launcher, the
services that build a run's hyperparameters and ``python -m model_artifacts train``
all read these tables; nothing else restates them.

Standard library only: the API Lambda imports this module on its request path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from api.domain.errors import RequestValidationFailed

if TYPE_CHECKING:
    from collections.abc import Mapping

# Where the training image keeps this repository's ``sagemaker_containers`` (see
# sagemaker_containers/docker/training.Dockerfile): the SageMaker training toolkit runs
# ``sagemaker_program`` from ``sagemaker_submit_directory``, as the SageMaker SDK sets them.
CODE_DIR = "/opt/vitrine/sagemaker_containers"
PROGRAM, SUBMIT_DIRECTORY = "sagemaker_program", "sagemaker_submit_directory"

Type = Literal["int", "float", "str", "bool"]
_TRUE, _FALSE = frozenset({"true", "1", "yes"}), frozenset({"false", "0", "no"})


@dataclass(frozen=True, slots=True)
class Hyperparameter:
    """One ``--name value`` argument of ``train.py`` a launcher may set."""

    name: str
    type: Type
    default: str | None  # train.py's default; None: train.py derives it
    help: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()

    def check(self, value: str) -> str:
        """``value`` as SageMaker passes it (a string), or ``RequestValidationFailed``."""
        text = str(value).strip()
        if self.type == "bool":
            if text.lower() not in _TRUE | _FALSE:
                raise RequestValidationFailed(f"{self.name}: expected true or false, got {text!r}")
            return "true" if text.lower() in _TRUE else "false"
        if self.type == "str":
            if not text or (self.choices and text not in self.choices):
                allowed = f"one of {', '.join(self.choices)}" if self.choices else "a value"
                raise RequestValidationFailed(f"{self.name}: expected {allowed}, got {text!r}")
            return text
        try:
            number = int(text) if self.type == "int" else float(text)
        except ValueError:
            wrong = f"{self.name}: expected {self.type}, got {text!r}"
            raise RequestValidationFailed(wrong) from None
        if self.minimum is not None and number < self.minimum:
            raise RequestValidationFailed(f"{self.name}: at least {self.minimum:g}")
        if self.maximum is not None and number > self.maximum:
            raise RequestValidationFailed(f"{self.name}: at most {self.maximum:g}")
        return text


@dataclass(frozen=True, slots=True)
class TrainingRecipe:
    """A training run kind (``TrainingSpec.kind``, the job's ``vitrine:kind`` tag)."""

    kind: str
    entry_point: str  # under CODE_DIR
    input_channel: str
    base_setting: str  # the Settings field holding the base channel's s3:// URI
    steps: str | None  # the hyperparameter that bounds the run's steps (progress), if any
    hyperparameters: tuple[Hyperparameter, ...]

    def defaults(self) -> dict[str, str]:
        return {h.name: h.default for h in self.hyperparameters if h.default is not None}

    def checked(self, values: Mapping[str, str]) -> dict[str, str]:
        """``values`` checked against the recipe: every name known, every value in bounds."""
        known = {h.name: h for h in self.hyperparameters}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise RequestValidationFailed(
                f"{self.kind} training takes no hyperparameter {', '.join(unknown)}; "
                f"it takes {', '.join(sorted(known))}"
            )
        return {name: known[name].check(value) for name, value in values.items()}

    def sagemaker_hyperparameters(self, values: Mapping[str, str]) -> dict[str, str]:
        """A training job's ``HyperParameters``: the checked values and the entry point."""
        return {**self.checked(values), PROGRAM: self.entry_point, SUBMIT_DIRECTORY: CODE_DIR}


def _int(name: str, default: int | None, help: str, lo: int = 1, hi: int | None = None
         ) -> Hyperparameter:  # fmt: skip
    return Hyperparameter(name, "int", None if default is None else str(default), help, lo, hi)


def _float(name: str, default: float, help: str, lo: float, hi: float | None = None
           ) -> Hyperparameter:  # fmt: skip
    return Hyperparameter(name, "float", str(default), help, lo, hi)


def _str(name: str, default: str | None, help: str, *choices: str) -> Hyperparameter:
    return Hyperparameter(name, "str", default, help, choices=choices)


def _bool(name: str, help: str) -> Hyperparameter:
    return Hyperparameter(name, "bool", "false", help)


# What the tenant-model scripts share (sagemaker_containers/common/tuning.py's parser).
def _tuning(*, token: str, resolution: int, steps: int, learning_rate: float
            ) -> tuple[Hyperparameter, ...]:  # fmt: skip
    return (
        _str("token", token or None, "the word the captions name the model by"),
        _int("max_train_steps", steps, "optimiser steps", hi=20_000),
        _int("resolution", resolution, "training square side (a multiple of 8)", lo=8, hi=1024),
        _float("learning_rate", learning_rate, "AdamW learning rate", lo=0),
        _int("train_batch_size", 1, "images per step", hi=64),
        _int("seed", 0, "random seed", lo=0),
        _int("min_images", 1, "fewest images the set may hold"),
        _int("max_images", 1000, "most images the set may hold"),
        _int("min_image_side", None, "shortest image side (default: resolution // 2)"),
    )


_LORA = (
    _int("rank", 4, "LoRA rank", hi=128),
    _int("lora_alpha", None, "LoRA alpha (default: rank)"),
)

RECIPES: dict[str, TrainingRecipe] = {
    "avatar": TrainingRecipe(
        "avatar", "avatar/train.py", "instance", "avatar_base_model_uri", "max_train_steps", (
            _str("instance_token", "sks", "the rare token that names the subject"),
            _str("class_name", "person", "the subject's class: person, woman, man"),
            _str("instance_prompt", None, "default: 'a photo of {token} {class}'"),
            _bool("with_prior_preservation", "DreamBooth prior preservation"),
            _int("max_train_steps", 400, "optimiser steps", hi=10_000),
            _int("resolution", 512, "training square side (a multiple of 8)", lo=8, hi=1024),
            _float("learning_rate", 1e-4, "AdamW learning rate", lo=0),
            _int("rank", 4, "LoRA rank", hi=128),
            _int("seed", 0, "random seed", lo=0),
            _int("min_photos", 10, "fewest photos"),
            _int("max_photos", 15, "most photos"),
            _int("min_photo_side", None, "shortest photo side (default: resolution // 2)"),
            _str("adapter_dtype", "fp16", "the saved adapter's dtype", "fp32", "fp16", "bf16"),
            _str("mixed_precision", "no", "fp16 needs a CUDA GPU", "no", "fp16", "bf16"),
            _bool("gradient_checkpointing", "trade compute for memory"),
        )),  # fmt: skip
    "blip2": TrainingRecipe(
        "blip2", "blip2/train.py", "train", "blip2_base_model_uri", "max_steps", (
            _int("max_steps", -1, "stop after this many optimiser steps (-1: epochs decide)",
                 lo=-1),
            _int("epochs", 3, "passes over the training rows", hi=50),
            _int("rank", 8, "LoRA rank", hi=128),
            _float("validation_fraction", 0.1, "rows held out to score accuracy", lo=0, hi=0.9),
            _float("learning_rate", 1e-4, "AdamW learning rate", lo=0),
            _int("batch_size", 8, "rows per step", hi=256),
            _str("save_dtype", "fp16", "the saved adapter's dtype", "fp32", "fp16", "bf16"),
            _int("seed", 0, "random seed", lo=0),
        )),  # fmt: skip
    "style": TrainingRecipe(
        "style", "style/train.py", "train", "style_base_model_uri", "max_train_steps", (
            *_tuning(token="sks", resolution=512, steps=800, learning_rate=1e-4), *_LORA,
            _str("class_name", "garment", "the style class's noun, e.g. skirt"),
            _bool("with_prior_preservation", "DreamBooth prior preservation"),
        )),  # fmt: skip
    "product": TrainingRecipe(
        "product", "product/train.py", "train", "sdxl_base_model_uri", "max_train_steps", (
            *_tuning(token="", resolution=1024, steps=1000, learning_rate=1e-4), *_LORA,
        )),  # fmt: skip
    "concept": TrainingRecipe(
        "concept", "concept/train.py", "train", "sdxl_base_model_uri", "max_train_steps", (
            *_tuning(token="<vitrine-concept>", resolution=1024, steps=500, learning_rate=5e-3),
            _str("initializer_token", "clothing", "the word the new token starts from"),
        )),  # fmt: skip
    # A comparison (issue 12): spec.json in ``train`` says everything, no hyperparameters;
    # its other channels (inpainting, CLIP, the tenant's adapters) the launcher adds.
    "comparison": TrainingRecipe(
        "comparison", "comparison/run.py", "train", "sdxl_base_model_uri", None, ()),
}

# The names ``python -m model_artifacts train`` takes: the attribute models' run is blip2.
CLI_KINDS = {"avatar": "avatar", "style": "style", "product": "product", "concept": "concept",
             "attributes": "blip2"}  # fmt: skip


def recipe(kind: str) -> TrainingRecipe:
    """The recipe of run kind ``kind``; ``RequestValidationFailed`` for an unknown one."""
    found = RECIPES.get(kind)
    if found is None:
        raise RequestValidationFailed(f"no training kind {kind!r}; one of {', '.join(RECIPES)}")
    return found


def hyperparameters(kind: str, **values: object) -> dict[str, str]:
    """A run's hyperparameters as strings (``None`` values left out), checked."""
    return recipe(kind).checked({k: str(v) for k, v in values.items() if v is not None})
