"""The tiny SDXL text-to-image base: the real folder layout, loadable and runnable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from model_artifacts.tiny import sdxl

if TYPE_CHECKING:
    from pathlib import Path


def test_tiny_sdxl_loads_with_from_pretrained_and_generates(tmp_path: Path) -> None:
    from diffusers import StableDiffusionXLPipeline

    folder = sdxl.build(tmp_path / "sdxl")
    assert {p.name for p in folder.iterdir()} >= {
        "model_index.json", "unet", "vae", "text_encoder", "text_encoder_2",
        "tokenizer", "tokenizer_2", "scheduler",
    }
    pipeline = StableDiffusionXLPipeline.from_pretrained(folder)
    pipeline.set_progress_bar_config(disable=True)
    assert pipeline.unet.config.in_channels == sdxl.LATENT_CHANNELS
    out = pipeline(prompt="a red dress", num_inference_steps=1, height=64, width=64)
    assert out.images[0].size == (64, 64)
