"""A comparison column: one model configuration that turns a prompt row into one image.

``build(model, context)`` returns the ``Runner`` for a spec model's ``type``; building it
checks what the whole column needs (weights, a key, a client) and raises ``Unavailable``
when it cannot run, so the column's cells say why and the other columns go on. Per cell,
``generate`` returns a ``Generated`` image or raises ``Skipped`` (the row lacks what
this model needs, e.g. no person photo for a try-on) or ``Blocked`` (the provider's
moderation refused it); any other exception fails that cell only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from PIL import Image

    from sagemaker_containers.comparison.spec import ModelConfig, PromptItem, Spec

Moderation = Literal["passed", "blocked_prompt", "blocked_by_provider", "not_checked"]


@dataclass(frozen=True, slots=True)
class Generated:
    image: Image.Image
    model_seconds: float  # inside the model call (or the provider's round trip)
    seed: int | None  # the seed the model used; None where it takes none
    moderation: Moderation = "not_checked"


class Unavailable(RuntimeError):
    """The whole column cannot run (no weights, not configured); the message says why."""


class Skipped(Exception):  # an outcome, not an error
    """This row does not apply to this model (the message says what is missing)."""


class Blocked(Exception):  # an outcome, not an error
    """The provider's content filters refused the prompt or its output."""


class Runner(Protocol):
    def generate(self, item: PromptItem) -> Generated:
        """One image for ``item`` (raises ``Skipped``/``Blocked``, or fails the cell)."""
        ...


@dataclass(slots=True)
class Context:
    """What runners share: the spec, where things are, and injectable clients."""

    spec: Spec
    spec_dir: Path  # relative image paths in the spec resolve here
    base_dir: Path | None = None  # the SDXL text-to-image pipeline (generation/core.py)
    inpainting_dir: Path | None = None  # the try-on model (inpainting/core.py)
    clipseg_dir: Path | None = None  # finds the clothes when a try-on row has no mask
    adapters_dir: Path | None = None  # tenant adapters by key
    env: dict[str, str] = field(default_factory=dict)  # OPENAI_API_KEY, AWS_REGION…
    # Factories for the hosted models' clients (tests pass stubbed ones).
    bedrock_client: Callable[[str | None], Any] | None = None
    http_client: Callable[[], Any] | None = None
    # Loaded local models, shared by every column that uses them (one warm SDXL base).
    loaded: dict[str, Any] = field(default_factory=dict)

    def load_once(self, name: str, loader: Callable[[], Any]) -> Any:
        if name not in self.loaded:
            self.loaded[name] = loader()
        return self.loaded[name]

    def release(self, name: str) -> None:
        """Drop a loaded model (and what it loaded along, e.g. CLIPSeg for try-ons), and
        give its GPU memory back to the next family."""
        dropped = self.loaded.pop(name, None)
        if name == "try_on":
            self.loaded.pop("clipseg", None)
        if dropped is None:
            return
        del dropped
        import gc
        import sys

        gc.collect()
        torch = sys.modules.get("torch")  # loaded only if a local model was
        if torch is not None and torch.cuda.is_available():
            torch.cuda.empty_cache()


def build(model: ModelConfig, context: Context) -> Runner:
    """The runner for ``model`` (``Unavailable`` when its column cannot run at all)."""
    if model.type == "sdxl":
        from sagemaker_containers.comparison.local_runners import SdxlRunner

        return SdxlRunner(model, context)
    if model.type == "try_on":
        from sagemaker_containers.comparison.local_runners import TryOnRunner

        return TryOnRunner(model, context)
    if model.type == "bedrock":
        from sagemaker_containers.comparison.bedrock import BedrockRunner

        return BedrockRunner(model, context)
    from sagemaker_containers.comparison.openai_images import OpenAIRunner

    return OpenAIRunner(model, context)
