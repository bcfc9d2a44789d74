"""The generation handler on the tiny SDXL: real pipelines, real adapter loaders."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from PIL import Image, ImageChops
from tiny_helpers import decode_png, garment_image, png_b64, run

from sagemaker_containers.common.errors import InvalidInput
from sagemaker_containers.generation import control

if TYPE_CHECKING:
    from pathlib import Path
    from types import ModuleType

LORA_A = {"key": "t1/lora-a", "weight": 0.8}
LORA_B = {"key": "t1/lora-b", "type": "lora", "weight": 0.5}
CONCEPT = {"key": "t1/concept-c", "type": "textual_inversion", "token": "<c-1>", "weight": 1}


def generate(generation: tuple[ModuleType, Any], **fields: Any) -> dict[str, Any]:
    handler, model = generation
    return run(handler, model, {"prompt": "a linen dress", "steps": 2, "seed": 3, **fields})


def differs(first: dict[str, Any], second: dict[str, Any]) -> bool:
    a, b = decode_png(first["images"][0]), decode_png(second["images"][0])
    return ImageChops.difference(a, b).getbbox() is not None


def test_text_to_image_with_no_adapters_is_repeatable(generation: Any) -> None:
    first = generate(generation, num_images=2)
    assert (first["width"], first["height"], first["seed"], len(first["images"])) == (64, 64, 3, 2)
    assert decode_png(first["images"][0]).size == (64, 64)
    assert not differs(first, generate(generation, num_images=2))


def test_one_and_three_adapters_change_the_image_and_stay_loaded(generation: Any) -> None:
    _, model = generation
    plain = generate(generation)
    one = generate(generation, adapters=[LORA_A])
    three = generate(generation, adapters=[LORA_A, LORA_B, CONCEPT])
    assert differs(plain, one) and differs(one, three)
    loads = model.base.adapters.loads
    # Warm: the same request again loads nothing and gives the same bytes.
    assert not differs(three, generate(generation, adapters=[LORA_A, LORA_B, CONCEPT]))
    assert model.base.adapters.loads == loads
    # Without adapters the base is back as it was (LoRAs inactive, not unloaded).
    assert not differs(plain, generate(generation))
    # A concept's token is added to a prompt that lacks it.
    assert model.base.adapters.activate([], "x") == "x"


def test_the_lru_unloads_the_least_recently_used(generation: Any,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from sagemaker_containers.generation.adapters import AdapterRequest

    _, model = generation
    adapters = model.base.adapters
    monkeypatch.setattr(adapters.loaded, "max_items", 2)
    for key in ("t1/lora-a", "t1/lora-b"):
        adapters.activate([AdapterRequest(key)], "p")
    concept = AdapterRequest("t1/concept-c", "textual_inversion", token="<c-9>")
    assert adapters.activate([concept], "p") == "<c-9>, p"
    assert adapters.loaded.keys == ["t1/lora-b", "t1/concept-c"]
    assert "<c-9>" in model.base.pipeline.tokenizer_2.get_vocab()
    assert adapters.activate([AdapterRequest("t1/lora-a")], "p") == "p"
    assert adapters.loaded.keys == ["t1/concept-c", "t1/lora-a"]
    adapters.activate([AdapterRequest("t1/lora-b")], "p")
    assert "<c-9>" not in model.base.pipeline.tokenizer.get_vocab()
    assert "<c-9>" not in model.base.pipeline.tokenizer_2.get_vocab()


@pytest.mark.parametrize("adapters", [
    [{"key": "t1/missing"}],
    [{"key": "../t2/lora-a"}],
    [{"key": "t1/concept-c", "type": "textual_inversion"}],  # no token
    [{"key": "t1/lora-a", "type": "other"}],
    [LORA_A, LORA_A],
    [{"key": "t1/lora-a", "weight": 9}],
])
def test_bad_adapters_are_invalid_input(generation: Any, adapters: list[Any]) -> None:
    with pytest.raises(InvalidInput):
        generate(generation, adapters=adapters)


def test_controlnet_canny_restyles_a_photo_and_returns_its_control_image(
        generation: Any) -> None:
    photo = garment_image(48, 40)
    out = generate(generation, control={"image": png_b64(photo), "type": "canny",
                                        "strength": 0.9})
    edges = decode_png(out["control_image"])
    assert edges.size == photo.size and edges.convert("L").getbbox() is not None
    assert (out["width"], out["height"]) == (72, 56)  # the photo's aspect at 64² area
    assert differs(out, generate(generation, control={"image": png_b64(photo),
                                                      "strength": 0.0}))


def test_depth_control_is_estimated_in_the_container(generation: Any) -> None:
    photo = garment_image(48, 40)
    out = generate(generation, control={"image": png_b64(photo), "type": "depth"})
    depth = decode_png(out["control_image"])
    assert depth.size == photo.size and depth.mode == "RGB"


def test_depth_without_an_estimator_is_refused(generation: Any) -> None:
    from sagemaker_containers.generation import core

    handler, model = generation
    without = core.Model(base=model.base, turbo=model.turbo, profile=model.profile)
    with pytest.raises(InvalidInput, match="depth"):
        run(handler, without, {"prompt": "a coat", "steps": 2,
                               "control": {"image": png_b64(garment_image()), "type": "depth"}})


def test_img2img_follows_the_input_photo_and_size_presets(generation: Any) -> None:
    photo = png_b64(garment_image(64, 64))
    light = generate(generation, image=photo, strength=0.5, size="portrait")
    assert (light["width"], light["height"]) == (56, 72)
    assert differs(light, generate(generation, image=photo, strength=1.0, size="portrait"))
    wide = generate(generation, size="landscape")
    assert (wide["width"], wide["height"]) == (88, 48)


def test_turbo_variant(generation: Any) -> None:
    out = generate(generation, variant="turbo")
    assert differs(out, generate(generation))
    with pytest.raises(InvalidInput, match="turbo"):
        generate(generation, variant="turbo", steps=20)


@pytest.mark.parametrize("fields", [
    {"prompt": ""}, {"size": "huge"}, {"variant": "xl"}, {"control": "edges"},
    {"control": {"image": "not base64!", "type": "canny"}},
    {"control": {"image": png_b64(garment_image()), "type": "pose"}},
    {"image": png_b64(garment_image()), "control": {"image": png_b64(garment_image())}},
    {"adapters": "t1/lora-a"}, {"steps": 0}, {"num_images": 9},
    {"image": png_b64(garment_image()), "strength": 0.2},  # 2 steps x 0.2: none to run
])
def test_bad_requests_are_invalid_input(generation: Any, fields: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput):
        generate(generation, **fields)


def test_on_step_reports_progress(generation: Any) -> None:
    from sagemaker_containers.generation import core

    handler, model = generation
    steps: list[tuple[int, int]] = []
    request = handler.input_fn(json.dumps({"prompt": "a coat", "steps": 2}), "application/json")
    core.predict(model, core.Request(**{**_fields(request), "on_step": lambda *a: steps.append(a)}))
    assert steps == [(1, 2), (2, 2)]


def _fields(request: Any) -> dict[str, Any]:
    return {name: getattr(request, name) for name in request.__slots__}


def test_canny_finds_the_edges_of_a_square() -> None:
    image = Image.new("RGB", (32, 32), "black")
    image.paste((255, 255, 255), (8, 8, 24, 24))
    edges = control.canny(image).convert("L")
    assert edges.getpixel((16, 16)) == 0 and edges.getpixel((2, 2)) == 0
    assert max(edges.getpixel((x, 16)) for x in range(5, 11)) == 255


def test_loose_adapter_files_are_fetched_from_s3_once(
        generation_adapters: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import boto3
    from moto import mock_aws

    from sagemaker_containers.common.adapters import AdapterFiles, AdapterNotFound

    weights = (generation_adapters / "t1/lora-a/pytorch_lora_weights.safetensors").read_bytes()
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="artifacts")
        key = "t1/product_training/job_1/adapter"
        s3.put_object(Bucket="artifacts", Key=f"models/{key}/pytorch_lora_weights.safetensors",
                      Body=weights)
        files = AdapterFiles(tmp_path / "cache", "s3://artifacts/models")
        folder = files.find(key, ("pytorch_lora_weights.safetensors",), ("model.json",))
        s3.delete_object(Bucket="artifacts", Key=f"models/{key}/pytorch_lora_weights.safetensors")
        assert files.find(key, ("pytorch_lora_weights.safetensors",)) == folder
        with pytest.raises(AdapterNotFound, match="missing"):
            files.find("t1/other", ("pytorch_lora_weights.safetensors",))
    assert (folder / "pytorch_lora_weights.safetensors").read_bytes() == weights
    assert sorted(p.name for p in folder.iterdir()) == ["pytorch_lora_weights.safetensors"]
