"""KServe v2 (Triton) request/response codec for the avatar multi-model endpoint.

GPU multi-model endpoints run Triton, which speaks tensors, not the containers' JSON
contract. This maps ``{"prompt": ..., "num_images": ..., ...}`` to named shape-[1]
inputs and the binary ``images`` output back to ``{"images": [b64 PNG], "seed": int}``,
so services see the same contract on every runtime (``sagemaker_containers/README.md``).
Binary outputs use Triton's binary tensor extension: a JSON header of
``json-header-size`` bytes, then each BYTES element as a 4-byte little-endian length
and its bytes.
"""

from __future__ import annotations

import base64
import json
import re
import struct
from typing import Any

from api.domain import errors as e

BINARY_JSON = "application/vnd.sagemaker-triton.binary+json"
# Input name -> (Triton datatype, Python type to coerce to); the model's config.pbtxt.
INPUTS: dict[str, tuple[str, type]] = {
    "prompt": ("BYTES", str),
    "negative_prompt": ("BYTES", str),
    "num_images": ("INT32", int),
    "seed": ("INT64", int),
    "steps": ("INT32", int),
    "guidance_scale": ("FP32", float),
}
_HEADER_SIZE = re.compile(r"json-header-size=(\d+)")


def encode_request(payload: dict[str, Any]) -> tuple[bytes, str]:
    """The request body and its content type; unknown or missing fields are refused."""
    unknown = set(payload) - set(INPUTS)
    if unknown:
        raise e.RequestValidationFailed(f"avatar request has unknown fields: {sorted(unknown)}")
    if not payload.get("prompt"):
        raise e.RequestValidationFailed("avatar request needs a prompt")
    inputs = [
        {"name": name, "shape": [1], "datatype": INPUTS[name][0], "data": [INPUTS[name][1](value)]}
        for name, value in payload.items()
        if value is not None
    ]
    header = json.dumps({
        "inputs": inputs,
        "outputs": [
            {"name": "images", "parameters": {"binary_data": True}},
            {"name": "seed", "parameters": {"binary_data": False}},
        ],
    }).encode()
    return header, f"{BINARY_JSON};json-header-size={len(header)}"


def decode_response(body: bytes, content_type: str) -> dict[str, Any]:
    """``{"images": [b64 PNG, ...], "seed": int}`` from a Triton response."""
    match = _HEADER_SIZE.search(content_type or "")
    size = int(match.group(1)) if match else len(body)
    try:
        header = json.loads(body[:size])
        outputs = {out["name"]: out for out in header["outputs"]}
        binary = memoryview(body)[size:]
        images = _bytes_elements(outputs["images"], binary, _offset(outputs, "images"))
        seed_out = outputs["seed"]
        seed = int(seed_out["data"][0]) if "data" in seed_out else _int64(
            seed_out, binary, _offset(outputs, "seed")
        )
    except (ValueError, KeyError, IndexError, TypeError, struct.error) as exc:
        raise e.ModelInvocationFailed("The avatar model returned a malformed response") from exc
    return {"images": [base64.b64encode(png).decode() for png in images], "seed": seed}


def _offset(outputs: dict[str, Any], name: str) -> int:
    """Binary sections follow the header in output order."""
    offset = 0
    for out_name, out in outputs.items():
        if out_name == name:
            return offset
        offset += int(out.get("parameters", {}).get("binary_data_size", 0))
    raise KeyError(name)


def _bytes_elements(output: dict[str, Any], binary: memoryview, offset: int) -> list[bytes]:
    if "data" in output:  # returned as JSON strings (the model sent text)
        return [str(item).encode() for item in output["data"]]
    size = int(output["parameters"]["binary_data_size"])
    chunk, elements, pos = binary[offset : offset + size], [], 0
    if len(chunk) != size:
        raise ValueError("binary section shorter than announced")
    while pos < size:
        (length,) = struct.unpack_from("<I", chunk, pos)
        pos += 4
        if pos + length > size:
            raise ValueError("BYTES element overruns its section")
        elements.append(bytes(chunk[pos : pos + length]))
        pos += length
    return elements


def _int64(output: dict[str, Any], binary: memoryview, offset: int) -> int:
    (value,) = struct.unpack_from("<q", binary, offset)
    return int(value)
