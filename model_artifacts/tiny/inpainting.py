"""Tiny random-weight try-on inpainting models (the real folders' layouts).

At the root, the text model: same components and folder structure as
``stabilityai/stable-diffusion-2-inpainting`` (UNet with 9 input channels: 4 latent + 1
mask + 4 masked-image latent), but a few hundred KB: 2 denoising steps at 64x64 run in a
fraction of a second on CPU. In ``garment/``, the garment-photo model: SDXL inpainting
with an IP-Adapter (``sdxl_inpainting``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from model_artifacts.tiny.sd_parts import clip_text_encoder, save_pipeline
from model_artifacts.tiny.tokenizers import clip_tokenizer

if TYPE_CHECKING:
    from pathlib import Path

    from diffusers import AutoencoderKL

# Four VAE blocks give SD's 8x latent scale; the UNet's default sample is 8 latents,
# so the pipeline's default resolution is 64 px (512 px on the real model).
LATENT_SIZE = 8
TEXT_HIDDEN = 32


def tiny_vae() -> AutoencoderKL:
    """An ``AutoencoderKL`` with SD's 8x downscale and 4 latent channels, tiny widths."""
    from diffusers import AutoencoderKL

    return AutoencoderKL(
        in_channels=3,
        out_channels=3,
        down_block_types=("DownEncoderBlock2D",) * 4,
        up_block_types=("UpDecoderBlock2D",) * 4,
        block_out_channels=(8, 8, 16, 16),
        layers_per_block=1,
        latent_channels=4,
        norm_num_groups=8,
        sample_size=LATENT_SIZE * 8,
    )


def build(out_dir: Path) -> Path:
    """Write a ``StableDiffusionInpaintPipeline`` to ``out_dir`` and the SDXL + IP-Adapter
    model to ``out_dir/garment``; return ``out_dir``."""
    import torch
    from diffusers import StableDiffusionInpaintPipeline, UNet2DConditionModel

    from model_artifacts.tiny import sdxl_inpainting
    from sagemaker_containers.inpainting.core import GARMENT_DIR

    torch.manual_seed(0)
    tokenizer = clip_tokenizer(out_dir / "tokenizer")
    text_encoder = clip_text_encoder(tokenizer, hidden_size=TEXT_HIDDEN)
    unet = UNet2DConditionModel(
        sample_size=LATENT_SIZE,
        in_channels=9,
        out_channels=4,
        down_block_types=("CrossAttnDownBlock2D", "DownBlock2D"),
        up_block_types=("UpBlock2D", "CrossAttnUpBlock2D"),
        block_out_channels=(16, 32),
        layers_per_block=1,
        norm_num_groups=8,
        cross_attention_dim=TEXT_HIDDEN,
        attention_head_dim=4,
    )
    save_pipeline(
        StableDiffusionInpaintPipeline,
        out_dir,
        vae=tiny_vae(),
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        unet=unet,
    )
    sdxl_inpainting.build(out_dir / GARMENT_DIR)
    return out_dir
