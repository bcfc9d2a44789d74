"""Tenant-model training (style, product, concept train.py) for 2 steps on tiny models,
and the adapters loaded back by diffusers as serving loads them."""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING

import pytest
from PIL import Image

from sagemaker_containers.common.captioned import METADATA
from sagemaker_containers.concept import train as concept_train
from sagemaker_containers.product import train as product_train
from sagemaker_containers.style import train as style_train

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow
RESOLUTION = 64


def write_set(folder: Path, count: int, *, caption: str = "a long floral chiffon skirt") -> Path:
    folder.mkdir(parents=True)
    lines = []
    for n in range(count):
        Image.new("RGB", (80, 72), (40 * n, 90, 200 - 30 * n)).save(folder / f"image-{n}.png")
        lines.append(json.dumps({"file_name": f"image-{n}.png", "text": f"{caption} {n}"}))
    (folder / METADATA).write_text("\n".join(lines) + "\n")
    return folder


def common_args(base: Path, data: Path, out: Path, *extra: str) -> list[str]:
    return ["--pretrained_model_name_or_path", str(base), "--instance_data_dir", str(data),
            "--output_dir", str(out), "--max_train_steps", "2", "--resolution", str(RESOLUTION),
            "--min_image_side", "32", *extra]  # fmt: skip


def assert_metadata(out: Path, kind: str, base: Path, adapter: str) -> dict[str, object]:
    stored = json.loads((out / "model.json").read_text())
    assert (stored["kind"], stored["steps"], stored["base_model"]) == (kind, 2, str(base))
    assert stored["adapter_bytes"] == (out / adapter).stat().st_size
    curve = stored["loss_curve"]
    assert isinstance(curve, list) and len(curve) == 2 and all(math.isfinite(v) for v in curve)
    assert isinstance(stored["seconds"], float) and stored["seconds"] > 0
    return stored  # type: ignore[no-any-return]


def test_style_lora_on_the_inpainting_base_loads_back_and_changes_the_output(
    tiny_models_dir: Path, tmp_path: Path
) -> None:
    # Given 3 captioned skirts and the tiny SD 2 inpainting base
    base = tiny_models_dir / "inpainting"
    data = write_set(tmp_path / "set", 3)
    out = tmp_path / "out"

    # When training 2 steps with prior preservation (2 class images) and the text encoder
    args = style_train.parse_args(common_args(
        base, data, out, "--with_prior_preservation", "--num_class_images", "2",
        "--class_inference_steps", "1", "--class_data_dir", str(tmp_path / "class"),
        "--train_text_encoder", "--class_name", "skirt",
        "--progress_file", str(tmp_path / "progress.json")))  # fmt: skip
    style_train.main(args)

    # Then model.json has the figures, and the class images were generated
    stored = assert_metadata(out, "style", base, "pytorch_lora_weights.safetensors")
    assert stored["prior_preservation"] is True and stored["class_image_count"] == 2
    assert stored["token"] == "sks" and stored["class_prompt"] == "a photo of a skirt"
    assert json.loads((tmp_path / "progress.json").read_text()) == {"done": 2, "total": 2}
    # And diffusers loads the adapter (UNet + text encoder) and it changes the inpainting
    import torch
    from diffusers import StableDiffusionInpaintPipeline
    from safetensors.torch import load_file

    keys = load_file(out / "pytorch_lora_weights.safetensors")
    assert any(k.startswith("unet.") for k in keys) and any(
        k.startswith("text_encoder.") for k in keys)
    pipe = StableDiffusionInpaintPipeline.from_pretrained(
        base, safety_checker=None, feature_extractor=None, requires_safety_checker=False)
    pipe.set_progress_bar_config(disable=True)
    image = Image.new("RGB", (RESOLUTION, RESOLUTION), (120, 80, 40))
    mask = Image.new("L", (RESOLUTION, RESOLUTION), 255)

    def paint() -> torch.Tensor:
        return torch.as_tensor(pipe("sks, a skirt", image=image, mask_image=mask,
                                    num_inference_steps=2, output_type="pt",
                                    generator=torch.Generator().manual_seed(0)).images)

    plain = paint()
    pipe.load_lora_weights(out, adapter_name="style")
    assert not torch.equal(plain, paint())


def test_product_lora_on_sdxl_loads_back(sdxl_base: Path, tmp_path: Path) -> None:
    base = sdxl_base
    data = write_set(tmp_path / "set", 2, caption="a white linen shirt")
    out = tmp_path / "out"

    product_train.main(product_train.parse_args(common_args(base, data, out, "--rank", "2")))

    assert_metadata(out, "product", base, "pytorch_lora_weights.safetensors")
    from diffusers import StableDiffusionXLPipeline

    pipe = StableDiffusionXLPipeline.from_pretrained(base)
    pipe.load_lora_weights(out, adapter_name="catalog")
    assert "catalog" in pipe.get_list_adapters()["unet"]


def test_concept_embedding_in_both_encoders_loads_back(sdxl_base: Path, tmp_path: Path) -> None:
    base = sdxl_base
    data = write_set(tmp_path / "set", 2, caption="<denim-wash> jeans")
    out = tmp_path / "out"

    concept_train.main(concept_train.parse_args(common_args(
        base, data, out, "--token", "<denim-wash>", "--initializer_token", "jeans")))

    stored = assert_metadata(out, "concept", base, "learned_embeds.safetensors")
    assert stored["token"] == "<denim-wash>"
    from diffusers import StableDiffusionXLPipeline
    from safetensors.torch import load_file

    learned = load_file(out / "learned_embeds.safetensors")
    pipe = StableDiffusionXLPipeline.from_pretrained(base)
    width_l = pipe.text_encoder.get_input_embeddings().weight.shape[1]
    width_g = pipe.text_encoder_2.get_input_embeddings().weight.shape[1]
    assert learned["clip_l"].shape == (1, width_l) and learned["clip_g"].shape == (1, width_g)
    # The SDXL convention: each tensor into its encoder, with the token
    pipe.load_textual_inversion(learned["clip_l"], token="<denim-wash>",
                                text_encoder=pipe.text_encoder, tokenizer=pipe.tokenizer)
    pipe.load_textual_inversion(learned["clip_g"], token="<denim-wash>",
                                text_encoder=pipe.text_encoder_2, tokenizer=pipe.tokenizer_2)
    token_id = pipe.tokenizer.convert_tokens_to_ids("<denim-wash>")
    row = pipe.text_encoder.get_input_embeddings().weight[token_id]
    assert bool((row == learned["clip_l"][0]).all())


@pytest.mark.parametrize("module", [style_train, product_train, concept_train])
def test_a_bad_set_is_rejected_before_any_model_loads(module: object, tmp_path: Path) -> None:
    # Given a set with an empty caption, a missing file and a non-image, and NO base
    data = write_set(tmp_path / "set", 1)
    (data / "notes.png").write_text("not an image")
    with (data / METADATA).open("a") as index:
        index.write(json.dumps({"file_name": "notes.png", "text": "a shirt"}) + "\n")
        index.write(json.dumps({"file_name": "image-0.png", "text": " "}) + "\n")
        index.write(json.dumps({"file_name": "gone.png", "text": "a shirt"}) + "\n")
    failure = tmp_path / "failure"

    # When the script runs
    status = module.cli(  # type: ignore[attr-defined]
        common_args(tmp_path / "no-base", data, tmp_path / "out", "--failure_file", str(failure)))

    # Then it exits 3 naming every problem (the missing base was never reached)
    assert status == 3
    reason = failure.read_text()
    assert "notes.png" in reason and "empty caption" in reason and "gone.png" in reason


@pytest.fixture(scope="module")
def sdxl_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny SDXL text-to-image base (``models/generation`` in ``make models``)."""
    from model_artifacts.tiny import sdxl

    return sdxl.build(tmp_path_factory.mktemp("models") / "generation")
