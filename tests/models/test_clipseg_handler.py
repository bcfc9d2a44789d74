"""CLIPSeg handler on the tiny model: the toolkit contract, batching, bad input."""

from __future__ import annotations

import json
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest
import torch
from tiny_helpers import decode_png, garment_image, png_b64, run

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow

Handler = tuple[ModuleType, Any]


def request(**overrides: Any) -> dict[str, Any]:
    return {"image": png_b64(garment_image(48, 40)), "prompts": ["the dress"], **overrides}


def test_masks_match_input_size_and_are_binary(clipseg: Handler) -> None:
    handler, model = clipseg
    output = run(handler, model, request(prompts=["the dress", "the background", "a shirt"]))
    assert (output["width"], output["height"]) == (48, 40)
    assert [m["prompt"] for m in output["masks"]] == ["the dress", "the background", "a shirt"]
    for entry in output["masks"]:
        mask = decode_png(entry["mask"])
        assert (mask.mode, mask.size) == ("L", (48, 40))
        histogram = mask.histogram()
        assert sum(histogram[1:255]) == 0, "mask must be 0/255 only"
        assert entry["coverage"] == pytest.approx(histogram[255] / (48 * 40), abs=1e-6)


def test_threshold_bounds_coverage(clipseg: Handler) -> None:
    handler, model = clipseg
    everything = run(handler, model, request(threshold=0.0))["masks"][0]
    nothing = run(handler, model, request(threshold=1.0))["masks"][0]
    assert (everything["coverage"], nothing["coverage"]) == (1.0, 0.0)


def test_all_prompts_share_one_forward_pass(clipseg: Handler) -> None:
    handler, model = clipseg
    batches: list[int] = []
    hook = model.network.register_forward_hook(
        lambda _module, _args, kwargs, _out: batches.append(kwargs["input_ids"].shape[0]),
        with_kwargs=True,
    )
    try:
        output = run(handler, model, request(prompts=["a", "dress", "shirt", "the jeans"]))
    finally:
        hook.remove()
    assert batches == [4]
    assert len(output["masks"]) == 4


def test_one_prompt_is_not_squeezed_away(clipseg: Handler) -> None:
    # CLIPSeg drops the batch dimension for a batch of one; the mask must survive it.
    handler, model = clipseg
    output = run(handler, model, request(prompts=["dress"]))
    assert decode_png(output["masks"][0]["mask"]).size == (48, 40)


def test_prompt_order_does_not_change_masks(clipseg: Handler) -> None:
    handler, model = clipseg
    forward = run(handler, model, request(prompts=["red", "the background"]))["masks"]
    backward = run(handler, model, request(prompts=["the background", "red"]))["masks"]
    assert forward[0]["mask"] == backward[1]["mask"]
    assert forward[1]["mask"] == backward[0]["mask"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"prompts": []}, "non-empty list"),
        ({"prompts": "dress"}, "non-empty list"),
        ({"prompts": None}, "non-empty list"),
        ({"prompts": ["dress"] * 9}, "at most 8"),
        ({"prompts": ["dress", "  "]}, r"prompts\[1\]"),
        ({"prompts": ["x" * 501]}, "longer than 500"),
        ({"image": "%%%"}, "not valid base64"),
        ({"image": png_b64(garment_image())[:40]}, "not a readable image"),
        ({"image": None}, "'image'"),
        ({"threshold": 1.5}, "between 0.0 and 1.0"),
        ({"threshold": "high"}, "number"),
    ],
)
def test_bad_input_raises_value_error(clipseg: Handler, overrides: dict[str, Any],
                                      message: str) -> None:
    handler, _ = clipseg
    with pytest.raises(ValueError, match=message):
        handler.input_fn(json.dumps(request(**overrides)), "application/json")


def test_non_json_content_type_raises_value_error(clipseg: Handler) -> None:
    handler, _ = clipseg
    with pytest.raises(ValueError, match="content type"):
        handler.input_fn(json.dumps(request()).encode(), "application/x-npy")


def test_saved_model_round_trips(tiny_models_dir: Path) -> None:
    from transformers import CLIPSegForImageSegmentation, CLIPSegProcessor

    model, info = CLIPSegForImageSegmentation.from_pretrained(
        tiny_models_dir / "clipseg", output_loading_info=True
    )
    # Every weight came from the file: nothing was silently re-initialised.
    assert not info["missing_keys"] and not info["unexpected_keys"]
    processor = CLIPSegProcessor.from_pretrained(tiny_models_dir / "clipseg")
    assert model.config.text_config.vocab_size == len(processor.tokenizer)
    assert processor.tokenizer.model_max_length == 77
    assert max(model.config.extract_layers) < model.config.vision_config.num_hidden_layers
    weights = sum(p.numel() for p in model.parameters())
    assert weights < 500_000, "tiny means tiny"
    assert not any(torch.isnan(p).any() for p in model.parameters())


def test_processor_falls_back_to_pil_without_torchvision(
    tiny_models_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from transformers import CLIPSegProcessor
    from transformers.models.vit.image_processing_pil_vit import ViTImageProcessorPil

    from sagemaker_containers.clipseg import core

    def needs_torchvision(*_args: Any, **_kwargs: Any) -> Any:
        raise ImportError("ViTImageProcessor requires the torchvision library")

    saved = CLIPSegProcessor.from_pretrained(tiny_models_dir / "clipseg")
    monkeypatch.setattr(CLIPSegProcessor, "from_pretrained", needs_torchvision)
    processor = core._load_processor(tiny_models_dir / "clipseg")
    assert isinstance(processor.image_processor, ViTImageProcessorPil)
    image = garment_image()
    rebuilt = processor(text=["a dress"], images=[image], return_tensors="pt")
    original = saved(text=["a dress"], images=[image], return_tensors="pt")
    assert torch.equal(rebuilt["input_ids"], original["input_ids"])
    assert torch.equal(rebuilt["pixel_values"], original["pixel_values"])
