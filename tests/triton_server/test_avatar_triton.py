"""The avatar Triton model in a real Triton server: load, infer, unload, like an MME.

The avatars are trained (2 steps), packed with ``model_artifacts pack-avatar`` (the
production MME layout) and extracted into the server's repository; requests go through
the AWS adapter's KServe-v2 codec (``api.adapters.aws.triton``), so the codec is
checked against the real server too.
"""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING, Any

import httpx
import numpy as np
import pytest
from PIL import Image
from triton_support import TritonServer, install_avatar, write_photos

from api.adapters.aws.triton import BINARY_JSON, decode_response, encode_request

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow

RESOLUTION = 32
LOAD_TIMEOUT_S = 180.0


@pytest.fixture(scope="module")
def avatars(triton_server: TritonServer, avatar_base: Path,
            tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Two trained avatars installed in the repository (not loaded): label → model name."""
    from model_artifacts.pack import pack_avatar
    from sagemaker_containers.avatar import train

    work = tmp_path_factory.mktemp("avatars")
    names = {}
    for label, seed in (("alice", 1), ("bob", 2)):
        photos = write_photos(work / f"{label}-photos", 10, seed)
        out = work / f"{label}-adapter"
        train.main(train.parse_args([
            "--pretrained_model_name_or_path", str(avatar_base), "--instance_data_dir",
            str(photos), "--output_dir", str(out), "--resolution", str(RESOLUTION),
            "--max_train_steps", "2", "--learning_rate", "0.05", "--seed", str(seed)]))
        archive = pack_avatar(out, work / "mme-prefix", tenant="tenant-a", avatar_id=label)
        names[label] = install_avatar(triton_server, archive)
    return names


def _control(server: TritonServer, name: str, action: str) -> httpx.Response:
    return httpx.post(f"{server.url}/v2/repository/models/{name}/{action}",
                      timeout=LOAD_TIMEOUT_S)


def _infer(server: TritonServer, name: str, request: dict[str, Any]) -> httpx.Response:
    body, _ = encode_request(request)
    # Plain Triton announces the JSON header's length in a header; SageMaker's Triton
    # carries it in the content type instead (what the codec writes).
    return httpx.post(f"{server.url}/v2/models/{name}/infer", content=body,
                      headers={"Inference-Header-Content-Length": str(len(body))},
                      timeout=LOAD_TIMEOUT_S)


def _generate(server: TritonServer, name: str, request: dict[str, Any]) -> dict[str, Any]:
    response = _infer(server, name, request)
    assert response.status_code == 200, response.text[:500]
    header_size = response.headers["Inference-Header-Content-Length"]
    return decode_response(response.content, f"{BINARY_JSON};json-header-size={header_size}")


def _pngs(output: dict[str, Any]) -> list[Image.Image]:
    images = []
    for encoded in output["images"]:
        image = Image.open(io.BytesIO(base64.b64decode(encoded)))
        assert image.format == "PNG"
        images.append(image.convert("RGB"))
    return images


def _ready(server: TritonServer, name: str) -> bool:
    return httpx.get(f"{server.url}/v2/models/{name}/ready", timeout=10).status_code == 200


def test_avatars_load_serve_and_unload_on_demand(
    triton_server: TritonServer, avatars: dict[str, str]
) -> None:
    server, alice, bob = triton_server, avatars["alice"], avatars["bob"]
    request = {"prompt": "a photo of sks person", "num_images": 2, "seed": 11, "steps": 2,
               "guidance_scale": 5.0, "negative_prompt": "blurry"}

    # Given both avatars in the repository and none loaded (explicit model control)
    index = httpx.post(f"{server.url}/v2/repository/index", timeout=10).json()
    assert {entry["name"] for entry in index} == {alice, bob}
    assert not _ready(server, alice) and not _ready(server, bob)

    # When the endpoint loads alice and a request arrives for her
    assert _control(server, alice, "load").status_code == 200, server.log_tail()
    first = _generate(server, alice, request)

    # Then two PNGs come back at the trained resolution, with the seed used
    alice_images = _pngs(first)
    assert first["seed"] == 11
    assert [image.size for image in alice_images] == [(RESOLUTION, RESOLUTION)] * 2

    # When bob is loaded beside her, the same request gives other images
    assert _control(server, bob, "load").status_code == 200, server.log_tail()
    bob_images = _pngs(_generate(server, bob, request))
    difference = np.abs(np.asarray(alice_images[0], dtype=np.int16)
                        - np.asarray(bob_images[0], dtype=np.int16)).mean()
    assert difference > 1.0
    # ...and alice still answers exactly as before (same seed, her own adapter)
    again = _pngs(_generate(server, alice, request))
    assert np.array_equal(np.asarray(again[0]), np.asarray(alice_images[0]))

    # Bad input is the caller's 400 with the model's message
    bad = _infer(server, bob, {"prompt": "a photo of sks person", "steps": 0})
    assert bad.status_code == 400 and "steps" in bad.text

    # When the endpoint evicts alice, she is gone and bob keeps serving
    assert _control(server, alice, "unload").status_code == 200
    assert not _ready(server, alice)
    assert _infer(server, alice, request).status_code in (400, 404)
    assert len(_pngs(_generate(server, bob, {"prompt": "a photo of sks person",
                                             "steps": 2}))) == 1
