"""Tiny random-weight text-to-image Stable Diffusion (SD 2's layout, about 4 MB).

The avatar model's base: a UNet with ``in_channels=4`` (text-to-image, unlike the
inpainting UNet's 9), a VAE, a CLIP text encoder with the shared tiny tokenizer and an
epsilon-prediction scheduler with SD's betas. It samples 64×64 images by default and
trains at 32-64 px in a fraction of a second per step on a CPU.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from model_artifacts.tiny.tokenizers import CLIP_MAX_LENGTH, clip_tokenizer

if TYPE_CHECKING:
    from pathlib import Path

MARKER = "VITRINE_TINY.json"
# Latent side; the VAE below halves once, so the default image side is 2 * 32 = 64 px.
LATENT_SIZE = 32
CROSS_ATTENTION_DIM = 32


def build(out_dir: Path) -> Path:
    """Write a ``StableDiffusionPipeline`` directory to ``out_dir``; return it."""
    import torch
    from diffusers import (
        AutoencoderKL,
        DDIMScheduler,
        StableDiffusionPipeline,
        UNet2DConditionModel,
    )
    from transformers import CLIPTextConfig, CLIPTextModel

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
    text_encoder = CLIPTextModel(
        CLIPTextConfig(
            vocab_size=len(tokenizer),
            hidden_size=CROSS_ATTENTION_DIM,
            intermediate_size=64,
            num_hidden_layers=2,
            num_attention_heads=4,
            max_position_embeddings=CLIP_MAX_LENGTH,
            projection_dim=CROSS_ATTENTION_DIM,
            bos_token_id=tokenizer.bos_token_id,
            eos_token_id=tokenizer.eos_token_id,
            pad_token_id=tokenizer.pad_token_id,
        )
    )
    # SD's training schedule; the serving side swaps in a multistep solver from it.
    scheduler = DDIMScheduler(
        beta_start=0.00085,
        beta_end=0.012,
        beta_schedule="scaled_linear",
        num_train_timesteps=1000,
        clip_sample=False,
        set_alpha_to_one=False,
        steps_offset=1,
        prediction_type="epsilon",
    )
    pipeline = StableDiffusionPipeline(
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        unet=unet,
        scheduler=scheduler,
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
    pipeline.save_pretrained(out_dir)
    (out_dir / MARKER).write_text(
        json.dumps({"tiny": True, "model": "stable-diffusion", "image_size": 2 * LATENT_SIZE}),
        encoding="utf-8",
    )
    return out_dir
