"""Tiny random-weight text-to-image Stable Diffusion (SD 2's layout, about 4 MB).

The avatar model's base: a UNet with ``in_channels=4`` (text-to-image, unlike the
inpainting UNet's 9), a VAE, a CLIP text encoder with the shared tiny tokenizer and an
epsilon-prediction scheduler with SD's betas. It samples 64×64 images by default and
trains at 32-64 px in a fraction of a second per step on a CPU.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from model_artifacts.tiny.sd_parts import clip_text_encoder, save_pipeline
from model_artifacts.tiny.tokenizers import clip_tokenizer

if TYPE_CHECKING:
    from pathlib import Path

MARKER = "VITRINE_TINY.json"
# Latent side; the VAE below halves once, so the default image side is 2 * 32 = 64 px.
LATENT_SIZE = 32
CROSS_ATTENTION_DIM = 32


def build(out_dir: Path) -> Path:
    """Write a ``StableDiffusionPipeline`` directory to ``out_dir``; return it."""
    import torch
    from diffusers import AutoencoderKL, StableDiffusionPipeline, UNet2DConditionModel

    out_dir.mkdir(parents=True, exist_ok=True)
    tokenizer = clip_tokenizer(out_dir / "tokenizer")
    torch.manual_seed(0)
    unet = UNet2DConditionModel(
        sample_size=LATENT_SIZE,
        in_channels=4,
        out_channels=4,
        layers_per_block=1,
        block_out_channels=(32, 64),
        down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"),
        up_block_types=("UpBlock2D", "CrossAttnUpBlock2D"),
        cross_attention_dim=CROSS_ATTENTION_DIM,
        attention_head_dim=8,
        norm_num_groups=32,
        use_linear_projection=True,  # as SD 2
    )
    vae = AutoencoderKL(
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D", "DownEncoderBlock2D"),
        up_block_types=("UpDecoderBlock2D", "UpDecoderBlock2D"),
        block_out_channels=(16, 32),
        layers_per_block=1,
        latent_channels=4,
        norm_num_groups=8,
        sample_size=2 * LATENT_SIZE,
    )
    text_encoder = clip_text_encoder(
        tokenizer, hidden_size=CROSS_ATTENTION_DIM, projection_dim=CROSS_ATTENTION_DIM
    )
    save_pipeline(
        StableDiffusionPipeline,
        out_dir,
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        unet=unet,
    )
    (out_dir / MARKER).write_text(
        json.dumps({"tiny": True, "model": "stable-diffusion", "image_size": 2 * LATENT_SIZE}),
        encoding="utf-8",
    )
    return out_dir
