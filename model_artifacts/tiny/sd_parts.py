"""The pieces the tiny Stable Diffusion pipelines share (inpainting and text-to-image).

Both take a CLIP text encoder on the shared tiny tokenizer, SD's DDIM schedule and the
same pipeline assembly; only the UNet, the VAE and the pipeline class differ.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from model_artifacts.tiny.tokenizers import CLIP_MAX_LENGTH

if TYPE_CHECKING:
    from pathlib import Path

    from diffusers import (
        AutoencoderKL,
        DDIMScheduler,
        StableDiffusionInpaintPipeline,
        StableDiffusionPipeline,
        UNet2DConditionModel,
    )
    from transformers import CLIPTextModel, CLIPTokenizer

# ``CLIPTextConfig``'s own default: the inpainting encoder leaves it there.
DEFAULT_PROJECTION_DIM = 512


def clip_text_encoder(
    tokenizer: CLIPTokenizer, *, hidden_size: int, projection_dim: int = DEFAULT_PROJECTION_DIM
) -> CLIPTextModel:
    """A 2-layer ``CLIPTextModel`` sized to ``tokenizer`` (random weights)."""
    from transformers import CLIPTextConfig, CLIPTextModel

    return CLIPTextModel(
        CLIPTextConfig(
            vocab_size=len(tokenizer),
            hidden_size=hidden_size,
            intermediate_size=64,
            num_hidden_layers=2,
            num_attention_heads=4,
            max_position_embeddings=CLIP_MAX_LENGTH,
            projection_dim=projection_dim,
            bos_token_id=tokenizer.bos_token_id,
            eos_token_id=tokenizer.eos_token_id,
            pad_token_id=tokenizer.pad_token_id,
        )
    )


def sd_scheduler() -> DDIMScheduler:
    """SD 2's training schedule; the handlers swap in a multistep solver at load time."""
    from diffusers import DDIMScheduler

    return DDIMScheduler(
        beta_start=0.00085,
        beta_end=0.012,
        beta_schedule="scaled_linear",
        num_train_timesteps=1000,
        clip_sample=False,
        set_alpha_to_one=False,
        steps_offset=1,
        prediction_type="epsilon",
    )


def save_pipeline(
    pipeline_class: type[StableDiffusionPipeline | StableDiffusionInpaintPipeline],
    out_dir: Path,
    *,
    vae: AutoencoderKL,
    text_encoder: CLIPTextModel,
    tokenizer: CLIPTokenizer,
    unet: UNet2DConditionModel,
) -> None:
    """Assemble ``pipeline_class`` (no safety checker) with SD's scheduler; save it."""
    pipeline = pipeline_class(
        vae=vae,
        text_encoder=text_encoder,
        tokenizer=tokenizer,
        unet=unet,
        scheduler=sd_scheduler(),
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
    pipeline.save_pretrained(out_dir)  # type: ignore[union-attr]  # set by diffusers' mixin
