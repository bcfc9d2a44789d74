"""Tenant adapters on the warm SDXL base: LoRAs and textual-inversion concepts by key.

The files (the training jobs' output, ``api``'s contract with the trainers):

- ``lora``: ``pytorch_lora_weights.safetensors`` in diffusers' format (as
  ``save_lora_weights`` writes it), loaded with ``load_lora_weights(adapter_name=…)``;
  a request's LoRAs are combined with ``set_adapters(names, weights)``, the others
  stay loaded but inactive;
- ``textual_inversion``: ``learned_embeds.safetensors`` with ``clip_l`` and ``clip_g``
  (SDXL's convention), loaded into ``text_encoder``/``tokenizer`` and
  ``text_encoder_2``/``tokenizer_2`` under the adapter's token. A concept's token is
  added to the prompt when the prompt does not use it; its weight is not applied (an
  embedding has no strength; the token's place in the prompt is the control).

Keys resolve under ``$VITRINE_ADAPTERS_DIR`` or are fetched from ``$VITRINE_ADAPTERS_URI``
(``common.adapters``). At most ``$VITRINE_GENERATION_MAX_ADAPTERS`` (default 8) stay
loaded; the least recently used one not in the current request is unloaded first.
Callers hold the model's lock around ``activate`` and the pipeline call.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from sagemaker_containers.common import adapters as common
from sagemaker_containers.common.errors import InvalidInput

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

LORA_WEIGHTS = "pytorch_lora_weights.safetensors"
EMBEDDINGS = "learned_embeds.safetensors"
METADATA = "model.json"
AdapterType = Literal["lora", "textual_inversion"]
FILES: dict[str, str] = {"lora": LORA_WEIGHTS, "textual_inversion": EMBEDDINGS}


@dataclass(frozen=True, slots=True)
class AdapterRequest:
    key: str
    type: AdapterType = "lora"
    weight: float = 1.0
    token: str | None = None  # textual inversion: the placeholder token


class Adapters:
    """The adapters loaded on one SDXL pipeline, an LRU by key."""

    def __init__(self, pipeline: Any, *, root: Path | None = None, uri: str | None = None,
                 max_adapters: int | None = None) -> None:
        self.pipeline = pipeline
        self.files = common.AdapterFiles(
            root if root is not None else common.env_path("VITRINE_ADAPTERS_DIR"),
            uri if uri is not None else os.environ.get("VITRINE_ADAPTERS_URI"),
        )
        self.loaded = common.Lru(max_adapters or int(
            os.environ.get("VITRINE_GENERATION_MAX_ADAPTERS", common.DEFAULT_MAX_ADAPTERS)))
        self._tokens: dict[str, str] = {}  # key -> token, for textual inversions
        self.loads = 0  # adapters loaded from files (tests, metrics)

    def activate(self, requests: Sequence[AdapterRequest], prompt: str) -> str:
        """Load what ``requests`` name, make exactly their LoRAs active at their weights;
        return the prompt with any missing concept token added."""
        loras: list[tuple[str, float]] = []
        for request in requests:
            self._ensure(request)
            if request.type == "lora":
                loras.append((common.adapter_name(request.key, "lora"), request.weight))
            elif request.token and request.token not in prompt:
                prompt = f"{request.token}, {prompt}"
        for old in self.loaded.overflow(keep=[r.key for r in requests]):
            self._unload(old)
        if loras:
            self.pipeline.enable_lora()
            self.pipeline.set_adapters([n for n, _ in loras], [w for _, w in loras])
        elif self._lora_keys():
            self.pipeline.disable_lora()
        return prompt

    def _lora_keys(self) -> list[str]:
        return [key for key in self.loaded.keys if key not in self._tokens]

    def _ensure(self, request: AdapterRequest) -> None:
        name = FILES[request.type]
        try:
            folder = self.files.find(request.key, (name,), (METADATA,))
        except common.AdapterNotFound as error:
            raise InvalidInput(str(error)) from error
        stamp = common.stamp_of(folder, (name,))
        if self.loaded.is_current(request.key, stamp):
            return
        if request.key in self.loaded:
            self._unload(request.key)  # retrained: load afresh
        if request.type == "lora":
            self._load_lora(request.key, folder / name)
        else:
            self._load_embeddings(request, folder / name)
        self.loaded.add(request.key, stamp)
        self.loads += 1

    def _load_lora(self, key: str, weights: Path) -> None:
        with warnings.catch_warnings():
            # peft's note on a second adapter in one model: several are the point here.
            warnings.filterwarnings("ignore", message=".*peft_config.*")
            try:
                self.pipeline.load_lora_weights(str(weights.parent), weight_name=weights.name,
                                                adapter_name=common.adapter_name(key, "lora"))
            except (ValueError, KeyError, RuntimeError) as error:
                # Weights for another base (shapes, module names): the request's fault.
                raise InvalidInput(f"adapter {key!r} does not fit this base model") from error

    def _load_embeddings(self, request: AdapterRequest, weights: Path) -> None:
        from safetensors.torch import load_file

        if not request.token:
            raise InvalidInput(f"adapter {request.key!r}: a textual inversion needs a 'token'")
        for key, token in list(self._tokens.items()):
            if token == request.token:
                self._unload(key)  # one embedding per token
        state = load_file(str(weights))
        if not {"clip_l", "clip_g"} <= set(state):
            raise InvalidInput(f"adapter {request.key!r} lacks clip_l/clip_g embeddings")
        pipe = self.pipeline
        try:
            pipe.load_textual_inversion(state["clip_l"], token=request.token,
                                        text_encoder=pipe.text_encoder, tokenizer=pipe.tokenizer)
            pipe.load_textual_inversion(state["clip_g"], token=request.token,
                                        text_encoder=pipe.text_encoder_2,
                                        tokenizer=pipe.tokenizer_2)
        except (ValueError, RuntimeError) as error:
            raise InvalidInput(f"adapter {request.key!r} does not fit this base model") from error
        self._tokens[request.key] = request.token

    def _unload(self, key: str) -> None:
        pipe = self.pipeline
        token = self._tokens.pop(key, None)
        if token is not None:
            for tokenizer, encoder in ((pipe.tokenizer, pipe.text_encoder),
                                       (pipe.tokenizer_2, pipe.text_encoder_2)):
                if token in tokenizer.get_vocab():
                    pipe.unload_textual_inversion(token, tokenizer=tokenizer,
                                                  text_encoder=encoder)
        else:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message=".*was active which is now deleted")
                pipe.delete_adapters(common.adapter_name(key, "lora"))
        self.loaded.remove(key)
