"""Triton Python-backend model: one avatar on the GPU multi-model endpoint.

Each avatar is one Triton model (``<name>/config.pbtxt`` + ``<name>/1/``), laid out by
``sagemaker_containers/avatar/archive.py``. Its version directory holds a shim
``model.py`` that imports this class from the serving image (``PYTHONPATH=/opt/vitrine``)
and ``adapter/`` (the LoRA weights and ``avatar.json``): code in the image, weights in
the archive. The base pipeline is read from ``$VITRINE_AVATAR_BASE_DIR`` (baked into the
image; ``base_cache`` can still fill it from ``$VITRINE_AVATAR_BASE_MODEL_URI`` where the
container has S3 access) and held by ``core.shared_generator`` (a module-level cache).
Triton runs each model instance in its own stub process, so "once" means once per
loaded avatar process.

Inputs (KServe v2, all shape [1]): ``prompt`` BYTES; optional ``negative_prompt`` BYTES,
``num_images`` INT32, ``seed`` INT64, ``steps`` INT32, ``guidance_scale`` FP32.
Output: ``images`` BYTES [n], each a PNG file; ``seed`` INT64 [1], the seed used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import triton_python_backend_utils as pb_utils  # provided by the Triton Python backend

from sagemaker_containers.avatar import archive, base_cache, core

OPTIONAL_INPUTS = ("negative_prompt", "num_images", "seed", "steps", "guidance_scale")


def _scalar(request: Any, name: str) -> Any:
    tensor = pb_utils.get_input_tensor_by_name(request, name)
    if tensor is None:
        return None
    values = tensor.as_numpy().reshape(-1)
    if values.size != 1:
        raise ValueError(f"'{name}' must hold exactly one value")
    value = values[0]
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return value.item()  # numpy scalar → int / float


def _error(message: str) -> Any:
    # INVALID_ARG answers HTTP 400; older backends without error codes answer 500.
    code = getattr(pb_utils.TritonError, "INVALID_ARG", None)
    error = pb_utils.TritonError(message) if code is None else pb_utils.TritonError(message, code)
    return pb_utils.InferenceResponse(output_tensors=[], error=error)


class TritonPythonModel:
    """The avatar named by this model's directory, over the shared base."""

    def initialize(self, args: dict[str, str]) -> None:
        model_dir = Path(args["model_repository"])  # <repository>/<name>
        self.adapter_dir = model_dir / args["model_version"] / archive.ADAPTER_FOLDER
        if not (self.adapter_dir / core.ADAPTER_WEIGHTS).is_file():
            raise pb_utils.TritonModelException(
                f"{self.adapter_dir} holds no {core.ADAPTER_WEIGHTS}"
            )
        self.avatar_id = args["model_name"]
        try:
            base_dir = base_cache.ensure_base_from_environment()
        except base_cache.BaseModelUnavailable as exc:
            raise pb_utils.TritonModelException(str(exc)) from exc
        self.generator = core.shared_generator(base_dir)
        # Attach the adapter now, so the first request does not pay for it.
        self.generator.attach(self.avatar_id, self.adapter_dir)

    def execute(self, requests: list[Any]) -> list[Any]:
        responses = []
        for request in requests:
            try:
                fields = {"prompt": _scalar(request, "prompt")}
                fields.update({name: _scalar(request, name) for name in OPTIONAL_INPUTS})
                parsed = core.parse_request({k: v for k, v in fields.items() if v is not None})
            except ValueError as exc:  # bad input is the caller's 400, not a model failure
                responses.append(_error(str(exc)))
                continue
            images, seed = self.generator.generate(self.avatar_id, self.adapter_dir, parsed)
            pngs = np.array([core.png_bytes(image) for image in images], dtype=np.object_)
            responses.append(
                pb_utils.InferenceResponse(
                    output_tensors=[
                        pb_utils.Tensor("images", pngs),
                        pb_utils.Tensor("seed", np.array([seed], dtype=np.int64)),
                    ]
                )
            )
        return responses

    def finalize(self) -> None:
        # Unloading the model (MME eviction) detaches its adapter from the shared base.
        self.generator.evict(self.avatar_id)
