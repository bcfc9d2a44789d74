"""Tiny random-weight SDXL text-to-image pipeline (the generation base, and its turbo twin).

The folder is laid out as ``stabilityai/stable-diffusion-xl-base-1.0`` (``model_index.json``,
``unet/``, ``vae/``, ``text_encoder/``, ``text_encoder_2/`` with the pooled projection,
``tokenizer/``, ``tokenizer_2/``, ``scheduler/``), so ``StableDiffusionXLPipeline
.from_pretrained`` loads it as it loads the real weights, and LoRA / textual-inversion
adapters trained against it load with diffusers' own loaders. The parts are the SDXL
inpainting model's (``sdxl_inpainting``) with a 4-channel UNet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from model_artifacts.tiny.inpainting import tiny_vae
from model_artifacts.tiny.sd_parts import sd_scheduler
from model_artifacts.tiny.sdxl_inpainting import text_encoders, tiny_unet

if TYPE_CHECKING:
    from pathlib import Path

LATENT_CHANNELS = 4


def build(out_dir: Path, *, seed: int = 0) -> Path:
    """Write the pipeline to ``out_dir`` (``from_pretrained``-loadable); return it."""
    import torch
    from diffusers import StableDiffusionXLPipeline

    torch.manual_seed(seed)
    tokenizer, tokenizer_2, first, second = text_encoders(out_dir)
    pipeline = StableDiffusionXLPipeline(
        vae=tiny_vae(),
        text_encoder=first,
        text_encoder_2=second,
        tokenizer=tokenizer,
        tokenizer_2=tokenizer_2,
        unet=tiny_unet(in_channels=LATENT_CHANNELS),
        scheduler=sd_scheduler(),
        force_zeros_for_empty_prompt=True,
    )
    pipeline.save_pretrained(out_dir)
    return out_dir
