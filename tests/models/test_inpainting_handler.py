"""Inpainting handler on the tiny pipelines: contract, seeds, sizes, steps, bad input, and
the garment photo reaching the SDXL pipeline's image-prompt (IP-Adapter) input."""

from __future__ import annotations

import json
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest
from PIL import Image
from tiny_helpers import decode_png, garment_image, png_b64, run

from sagemaker_containers.inpainting.core import output_size

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow

Handler = tuple[ModuleType, Any]


def mask_image(width: int = 48, height: int = 40) -> Image.Image:
    mask = Image.new("L", (width, height), 0)
    mask.paste(255, (width // 4, height // 4, 3 * width // 4, 3 * height // 4))
    return mask


def request(**overrides: Any) -> dict[str, Any]:
    return {
        "image": png_b64(garment_image(48, 40)),
        "mask": png_b64(mask_image(48, 40)),
        "prompt": "a blue linen dress",
        "steps": 2,
        "seed": 7,
        "width": 64,
        "height": 64,
        **overrides,
    }


def test_contract_returns_full_size_pngs_and_the_mask_used(inpainting: Handler) -> None:
    handler, model = inpainting
    # A photo larger than the mask's reach (default margin 12 px + feather 16 px).
    photo = garment_image(200, 150)
    body = request(num_images=2, width=96, height=64, image=png_b64(photo),
                   mask=png_b64(mask_image(200, 150)))
    output = run(handler, model, body)
    assert (output["seed"], output["width"], output["height"]) == (7, 200, 150)
    assert (output["generation_width"], output["generation_height"]) == (96, 64)
    assert len(output["images"]) == 2
    source = np.asarray(photo)
    weight = np.asarray(decode_png(output["mask"]))
    assert weight.shape == (150, 200) and (weight == 0).mean() > 0.2
    for encoded in output["images"]:
        image = decode_png(encoded)
        assert (image.mode, image.size) == ("RGB", (200, 150))
        # Everything the blend weight leaves out is the input, byte for byte.
        assert np.array_equal(np.asarray(image)[weight == 0], source[weight == 0])


def test_same_seed_same_bytes_other_seed_other_bytes(inpainting: Handler) -> None:
    handler, model = inpainting
    first = run(handler, model, request(seed=11))["images"]
    again = run(handler, model, request(seed=11))["images"]
    other = run(handler, model, request(seed=12))["images"]
    assert first == again
    assert first != other


def test_a_batch_is_distinct_images_and_reproducible(inpainting: Handler) -> None:
    handler, model = inpainting
    batch = run(handler, model, request(seed=20, num_images=3))["images"]
    assert len(set(batch)) == 3
    assert run(handler, model, request(seed=20, num_images=3))["images"] == batch


def test_missing_seed_is_drawn_and_returned(inpainting: Handler) -> None:
    handler, model = inpainting
    output = run(handler, model, request(seed=None))
    assert 0 <= output["seed"] < 2**32
    assert run(handler, model, request(seed=output["seed"]))["images"] == output["images"]


def test_steps_and_guidance_drive_the_unet(inpainting: Handler) -> None:
    handler, model = inpainting
    batches: list[int] = []
    hook = model.pipeline.unet.register_forward_hook(
        lambda _m, args, _out: batches.append(args[0].shape[0])
    )
    try:
        run(handler, model, request(steps=3, guidance_scale=5.0, num_images=2))
        run(handler, model, request(steps=2, guidance_scale=1.0, num_images=1))
    finally:
        hook.remove()
    # Classifier-free guidance doubles the batch (uncond + cond); guidance 1 turns it off.
    assert batches == [4, 4, 4, 1, 1]


def test_negative_prompt_changes_the_result(inpainting: Handler) -> None:
    handler, model = inpainting
    plain = run(handler, model, request())["images"]
    negative = run(handler, model, request(negative_prompt="blurry"))["images"]
    assert plain != negative


def test_default_size_is_the_model_resolution(inpainting: Handler) -> None:
    handler, model = inpainting
    assert model.default_side == 64  # the tiny UNet's 8 latents x the VAE's 8
    output = run(handler, model, request(width=None, height=None))
    # The crop around the mask fit to 64 on its long side, with the 64 px floor: 64x64;
    # the answer is composited back at the input's size.
    assert (output["generation_width"], output["generation_height"]) == (64, 64)
    assert (output["width"], output["height"]) == (48, 40)
    assert decode_png(output["images"][0]).size == (48, 40)


@pytest.mark.parametrize(
    ("source", "width", "height", "expected"),
    [
        ((480, 640), None, None, (384, 512)),
        ((1000, 1000), None, None, (512, 512)),
        ((400, 300), 300, None, (304, 224)),
        ((400, 300), None, 300, (400, 304)),
        ((100, 100), 513, 700, (512, 704)),
        ((100, 5000), None, None, (64, 512)),
    ],
)
def test_output_size(source: tuple[int, int], width: int | None, height: int | None,
                     expected: tuple[int, int]) -> None:
    size = output_size(source, width, height, default_side=512)
    assert size == expected
    assert all(side % 8 == 0 for side in size)


def test_load_uses_dpm_solver_sdpa_and_no_safety_checker(inpainting: Handler) -> None:
    from diffusers import DPMSolverMultistepScheduler
    from diffusers.models.attention_processor import AttnProcessor2_0

    _, model = inpainting
    assert isinstance(model.pipeline.scheduler, DPMSolverMultistepScheduler)
    processors = model.pipeline.unet.attn_processors.values()
    assert processors and all(isinstance(p, AttnProcessor2_0) for p in processors)
    assert model.pipeline.safety_checker is None
    assert model.profile.device == "cpu"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"prompt": ""}, "'prompt' is required"),
        ({"prompt": None}, "'prompt' is required"),
        ({"mask": png_b64(mask_image(40, 48))}, "must match"),
        ({"mask": "@@"}, "'mask' is not valid base64"),
        ({"image": None}, "'image'"),
        ({"num_images": 0}, "'num_images' must be between 1 and 8"),
        ({"num_images": 9}, "'num_images' must be between 1 and 8"),
        ({"steps": 0}, "'steps' must be between 1 and 100"),
        ({"steps": 101}, "'steps' must be between 1 and 100"),
        ({"steps": 2.5}, "'steps' must be an integer"),
        ({"seed": -1}, "'seed'"),
        ({"seed": 2**32}, "'seed'"),
        ({"width": 32}, "'width' must be between 64 and 1024"),
        ({"height": 4096}, "'height' must be between 64 and 1024"),
        ({"guidance_scale": 31}, "'guidance_scale'"),
        ({"negative_prompt": 3}, "'negative_prompt' must be a string"),
        ({"garment_image": "@@"}, "'garment_image' is not valid base64"),
        ({"garment_image": png_b64(garment_image(8, 8)), "garment_strength": 1.5},
         "'garment_strength' must be between 0.0 and 1.0"),
        ({"mask": png_b64(Image.new("L", (48, 40), 0))}, "selects no pixels"),
    ],
)
def test_bad_input_raises_value_error(inpainting: Handler, overrides: dict[str, Any],
                                      message: str) -> None:
    handler, _ = inpainting
    with pytest.raises(ValueError, match=message):
        handler.input_fn(json.dumps(request(**overrides)), "application/json")


def test_non_json_content_type_raises_value_error(inpainting: Handler) -> None:
    handler, _ = inpainting
    with pytest.raises(ValueError, match="content type"):
        handler.input_fn(b"\x89PNG", "image/png")


def test_saved_pipeline_round_trips(tiny_models_dir: Path) -> None:
    from diffusers import StableDiffusionInpaintPipeline, UNet2DConditionModel

    unet, info = UNet2DConditionModel.from_pretrained(
        tiny_models_dir / "inpainting", subfolder="unet", output_loading_info=True
    )
    assert not info["missing_keys"] and not info["unexpected_keys"]
    assert unet.config.in_channels == 9  # latents + mask + masked-image latents
    pipeline = StableDiffusionInpaintPipeline.from_pretrained(
        tiny_models_dir / "inpainting", safety_checker=None, requires_safety_checker=False
    )
    assert pipeline.vae_scale_factor == 8
    assert pipeline.text_encoder.config.vocab_size == len(pipeline.tokenizer)
    assert pipeline.tokenizer.model_max_length == 77


# --- the garment photo: SDXL inpainting + IP-Adapter (tiny, real layouts, real loading) ---
def garment_request(**overrides: Any) -> dict[str, Any]:
    garment = Image.new("RGB", (40, 56), (20, 40, 200))
    garment.paste((250, 250, 250), (10, 10, 30, 30))
    return request(garment_image=png_b64(garment), width=None, height=None, **overrides)


def test_the_garment_model_loads_through_load_ip_adapter(inpainting: Handler) -> None:
    from diffusers import StableDiffusionXLInpaintPipeline
    from diffusers.models.attention_processor import IPAdapterAttnProcessor2_0
    from transformers import CLIPVisionModelWithProjection

    _, model = inpainting
    assert model.garment is not None
    pipeline = model.garment.pipeline
    assert isinstance(pipeline, StableDiffusionXLInpaintPipeline)
    assert isinstance(pipeline.image_encoder, CLIPVisionModelWithProjection)
    cross = [p for name, p in pipeline.unet.attn_processors.items() if "attn2" in name]
    assert cross and all(isinstance(p, IPAdapterAttnProcessor2_0) for p in cross)
    assert pipeline.unet.encoder_hid_proj is not None  # the image projection


def test_the_garment_photo_reaches_the_image_prompt_input(inpainting: Handler) -> None:
    """Given a garment photo, when the try-on runs, then the IP-Adapter's image encoder sees
    exactly that photo (CLIP-preprocessed) and its projected tokens reach the UNet."""
    handler, model = inpainting
    pipeline = model.garment.pipeline
    seen: list[Any] = []
    projected: list[Any] = []
    hooks = [
        pipeline.image_encoder.register_forward_hook(
            lambda _m, args, kwargs, _out: seen.append(kwargs.get("pixel_values", *args[:1])),
            with_kwargs=True,
        ),
        pipeline.unet.encoder_hid_proj.register_forward_hook(
            lambda _m, _args, out: projected.append(out)
        ),
    ]
    body = garment_request(steps=2)
    try:
        output = run(handler, model, body)
    finally:
        for hook in hooks:
            hook.remove()
    garment = handler.input_fn(json.dumps(body), "application/json").garment_image
    expected = pipeline.feature_extractor(garment, return_tensors="pt").pixel_values
    assert seen, "the image encoder never ran"
    assert any(tuple(x.shape) == tuple(expected.shape) and bool((x == expected).all())
               for x in seen)
    assert projected  # the IP-Adapter's image tokens entered the UNet
    assert decode_png(output["images"][0]).size == (48, 40)


def test_the_garment_photo_and_its_strength_change_the_result(inpainting: Handler) -> None:
    handler, model = inpainting
    blue = run(handler, model, garment_request())["images"]
    other = Image.new("RGB", (40, 56), (240, 200, 10))
    yellow = run(handler, model, garment_request() | {"garment_image": png_b64(other)})["images"]
    faint = run(handler, model, garment_request(garment_strength=0.0))["images"]
    assert blue != yellow
    assert blue != faint
    assert run(handler, model, garment_request())["images"] == blue  # reproducible


def test_a_garment_photo_may_come_without_words(inpainting: Handler) -> None:
    handler, model = inpainting
    output = run(handler, model, garment_request(prompt=None))
    assert decode_png(output["images"][0]).size == (48, 40)


def test_text_only_requests_stay_on_the_sd2_pipeline(inpainting: Handler) -> None:
    handler, model = inpainting
    calls: list[str] = []
    hooks = [
        model.text.pipeline.unet.register_forward_hook(lambda *_: calls.append("sd2")),
        model.garment.pipeline.unet.register_forward_hook(lambda *_: calls.append("sdxl")),
    ]
    try:
        run(handler, model, request(steps=2))
        text_calls = list(calls)
        run(handler, model, garment_request(steps=2))
    finally:
        for hook in hooks:
            hook.remove()
    assert text_calls and set(text_calls) == {"sd2"}
    assert set(calls[len(text_calls):]) == {"sdxl"}
