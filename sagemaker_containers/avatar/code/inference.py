"""Avatar handler for the in-process local runtime: the inference-toolkit contract over ``core``.

On AWS avatars are served by Triton (``../triton_model/model.py``) on a multi-model endpoint;
locally ``api/adapters/local/inprocess.py`` drives this file instead, with the same
request and response JSON (``sagemaker_containers/README.md``):

- ``model_fn(model_dir)``: ``model_dir`` is the shared Stable Diffusion base
  (``models/avatar``); it is loaded once per process.
- ``predict_fn(data, model, target_model=...)``: ``target_model`` is the multi-model
  endpoint's ``TargetModel``, ``<tenant>/<avatar>.tar.gz``, resolved under the local
  stand-in for the MME prefix: ``$VITRINE_AVATAR_ADAPTERS_DIR``, by default
  ``$VITRINE_DATA_DIR/artifacts/$VITRINE_MME_PREFIX`` (``.vitrine-data/artifacts/avatars``).
  The archive may be the MME layout (``<name>/1/adapter/...``) or a training job's
  output (adapter files at its root); a directory holding the adapter works too.
  Archives are extracted once into a hidden cache beside them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tarfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sagemaker_containers.avatar import archive, core
from sagemaker_containers.common import images, payload
from sagemaker_containers.common.errors import InvalidInput

ADAPTERS_DIR_ENV = "VITRINE_AVATAR_ADAPTERS_DIR"
EXTRACTED = ".extracted"
# "<tenant>/<avatar>.tar.gz": plain segments only, so a target never leaves the root.
_SEGMENT = r"[A-Za-z0-9_@=+-][A-Za-z0-9._@=+-]{0,254}"
_TARGET = re.compile(rf"^{_SEGMENT}(/{_SEGMENT}){{0,7}}$")
_extract_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class Model:
    generator: core.AvatarGenerator
    adapters_root: Path


@dataclass(frozen=True, slots=True)
class Prediction:
    images: list[Any]
    seed: int



# The header SageMaker sets on requests to a multi-model endpoint's container.
TARGET_MODEL_HEADER = "X-Amzn-SageMaker-Target-Model"


class RequestContext(Protocol):
    """What ``predict_fn`` reads from the toolkit's context (TorchServe's ``Context``)."""

    def get_request_header(self, idx: int, key: str) -> str | None: ...


@dataclass(frozen=True, slots=True)
class HeaderContext:
    """A request context holding just headers (the in-process runtime and tests)."""

    headers: dict[str, str]

    def get_request_header(self, idx: int, key: str) -> str | None:
        return self.headers.get(key)


def default_adapters_root() -> Path:
    configured = os.environ.get(ADAPTERS_DIR_ENV)
    if configured:
        return Path(configured)
    data_dir = Path(os.environ.get("VITRINE_DATA_DIR", ".vitrine-data"))
    return data_dir / "artifacts" / os.environ.get("VITRINE_MME_PREFIX", "avatars/").strip("/")


def model_fn(model_dir: str) -> Model:
    return Model(generator=core.shared_generator(Path(model_dir)),
                 adapters_root=default_adapters_root())


def input_fn(body: bytes | str, content_type: str) -> core.GenerationRequest:
    """``{"prompt", "negative_prompt"?, "num_images"?, "seed"?, "steps"?, "guidance_scale"?}``."""
    return core.parse_request(payload.parse_json(body, content_type))


def predict_fn(
    data: core.GenerationRequest, model: Model, context: RequestContext | None = None
) -> Prediction:
    """Generate with the avatar the request targets.

    The third parameter is the serving stack's request context, as the SageMaker serving
    toolkits pass it; the avatar is the request's ``X-Amzn-SageMaker-Target-Model`` header,
    which SageMaker sends to a multi-model container (the in-process runtime passes the
    same header in a context of its own).
    """
    target_model = context.get_request_header(0, TARGET_MODEL_HEADER) if context else None
    if not target_model:
        raise InvalidInput("avatar requests need a target model (the avatar)")
    adapter_dir = resolve_adapter(model.adapters_root, target_model)
    generated, seed = model.generator.generate(target_model, adapter_dir, data)
    return Prediction(images=generated, seed=seed)


def output_fn(prediction: Prediction, accept: str | None) -> str:
    payload.check_accept(accept)
    encoded = [images.encode_png(image) for image in prediction.images]
    return json.dumps({"images": encoded, "seed": prediction.seed})


def resolve_adapter(root: Path, target_model: str) -> Path:
    """The directory holding ``target_model``'s LoRA weights (extracting it if archived)."""
    if not _TARGET.fullmatch(target_model) or any(
        part in {".", ".."} for part in target_model.split("/")
    ):
        raise InvalidInput(f"invalid target model {target_model[:80]!r}")
    source = root / target_model
    if source.is_dir():
        return _adapter_in(source, target_model)
    # One cache folder per target: a re-uploaded archive replaces the old extraction,
    # and a deleted avatar's extraction goes with it.
    cache = root / EXTRACTED / hashlib.sha256(target_model.encode()).hexdigest()[:32]
    if not source.is_file():
        shutil.rmtree(cache, ignore_errors=True)
        raise InvalidInput(f"unknown target model {target_model!r}")
    stat = source.stat()
    extracted = cache / f"{stat.st_size}-{stat.st_mtime_ns}"
    with _extract_lock:
        if not extracted.is_dir():
            shutil.rmtree(cache, ignore_errors=True)
            scratch = cache / ".partial"
            scratch.mkdir(parents=True)
            with tarfile.open(source, mode="r:*") as archive:
                # The "data" filter refuses absolute paths, "..", links out and devices.
                archive.extractall(scratch, filter="data")
            scratch.rename(extracted)
    return _adapter_in(extracted, target_model)


def _adapter_in(directory: Path, target_model: str) -> Path:
    found = archive.adapter_dir_in(directory)  # a training output, or the MME layout
    if found is None:
        raise InvalidInput(f"target model {target_model!r} holds no avatar adapter")
    return found
