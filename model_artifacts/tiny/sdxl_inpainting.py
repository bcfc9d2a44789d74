"""Tiny random-weight SDXL inpainting pipeline with an IP-Adapter (the garment-photo model).

The layouts are the real ones, so ``core.load`` runs the loading code it runs on the real
weights:

- the pipeline folder as ``diffusers/stable-diffusion-xl-1.0-inpainting-0.1``: two CLIP
  text encoders (the second with a projection, for the pooled embedding), a UNet with 9
  input channels, SDXL's ``text_time`` added conditioning (6 time ids when no aesthetic
  score) and a cross-attention width of both encoders' hidden sizes together;
- ``ip_adapter/`` as ``h94/IP-Adapter``: ``sdxl_models/ip-adapter_sdxl_vit-h.safetensors``
  with the ``image_proj.*`` (``proj``, ``norm``: 4 image tokens) and ``ip_adapter.<n>.to_k_ip``
  / ``to_v_ip`` keys diffusers' ``load_ip_adapter`` expects (``n`` = 1, 3, 5, … over the
  UNet's attention processors, the cross-attention ones), and
  ``models/image_encoder/`` a ``CLIPVisionModelWithProjection``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from model_artifacts.tiny.inpainting import tiny_vae
from model_artifacts.tiny.sd_parts import clip_text_encoder, sd_scheduler
from model_artifacts.tiny.tokenizers import clip_tokenizer

if TYPE_CHECKING:
    from pathlib import Path

    import torch
    from diffusers import UNet2DConditionModel
    from transformers import CLIPTextModel, CLIPTextModelWithProjection, CLIPTokenizer

LATENT_SIZE = 8  # 64 px images (1024 px on the real model)
TEXT_HIDDEN, TEXT_2_HIDDEN = 16, 16
CROSS_ATTENTION_DIM = TEXT_HIDDEN + TEXT_2_HIDDEN
POOLED_DIM = 16  # the second text encoder's projection
TIME_EMBED_DIM = 8
TIME_IDS = 6  # original size, crop corner, target size
IMAGE_EMBED_DIM = 16  # the image encoder's projection (1024 for ViT-H)
IMAGE_TOKENS = 4  # IP-Adapter (not Plus): 4 extra cross-attention tokens
ENCODER_IMAGE_SIZE = 32  # 224 for ViT-H


def build(out_dir: Path) -> Path:
    """Write the pipeline and its ``ip_adapter/`` to ``out_dir``; return it."""
    import torch
    from diffusers import StableDiffusionXLInpaintPipeline

    torch.manual_seed(0)
    tokenizer, tokenizer_2, first, second = text_encoders(out_dir)
    unet = tiny_unet(in_channels=9)
    pipeline = StableDiffusionXLInpaintPipeline(
        vae=tiny_vae(),
        text_encoder=first,
        text_encoder_2=second,
        tokenizer=tokenizer,
        tokenizer_2=tokenizer_2,
        unet=unet,
        scheduler=sd_scheduler(),
        requires_aesthetics_score=False,
        force_zeros_for_empty_prompt=True,
    )
    pipeline.save_pretrained(out_dir)
    write_ip_adapter(out_dir / "ip_adapter", unet)
    return out_dir


def text_encoders(
    out_dir: Path,
) -> tuple[CLIPTokenizer, CLIPTokenizer, CLIPTextModel, CLIPTextModelWithProjection]:
    """SDXL's two tokenizers (written under ``out_dir``) and two CLIP text encoders."""
    from transformers import CLIPTextConfig, CLIPTextModelWithProjection

    tokenizer = clip_tokenizer(out_dir / "tokenizer")
    tokenizer_2 = clip_tokenizer(out_dir / "tokenizer_2")
    first = clip_text_encoder(tokenizer, hidden_size=TEXT_HIDDEN)
    second = CLIPTextModelWithProjection(
        CLIPTextConfig(**{**first.config.to_dict(), "hidden_size": TEXT_2_HIDDEN,
                          "projection_dim": POOLED_DIM})
    )
    return tokenizer, tokenizer_2, first, second


def tiny_unet(in_channels: int = 9) -> UNet2DConditionModel:
    """SDXL's UNet, tiny: 9 input channels for inpainting, 4 for text-to-image."""
    from diffusers import UNet2DConditionModel

    return UNet2DConditionModel(
        sample_size=LATENT_SIZE,
        in_channels=in_channels,
        out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"),
        up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        block_out_channels=(16, 32),
        layers_per_block=1,
        norm_num_groups=8,
        attention_head_dim=(2, 4),
        use_linear_projection=True,
        transformer_layers_per_block=(1, 2),
        cross_attention_dim=CROSS_ATTENTION_DIM,
        addition_embed_type="text_time",
        addition_time_embed_dim=TIME_EMBED_DIM,
        projection_class_embeddings_input_dim=TIME_IDS * TIME_EMBED_DIM + POOLED_DIM,
    )


def write_ip_adapter(out_dir: Path, unet: UNet2DConditionModel) -> Path:
    """``h94/IP-Adapter``'s SDXL layout under ``out_dir`` for ``unet``; return it."""
    from safetensors.torch import save_file
    from transformers import CLIPVisionConfig, CLIPVisionModelWithProjection

    from sagemaker_containers.inpainting import core

    encoder = CLIPVisionModelWithProjection(
        CLIPVisionConfig(
            hidden_size=16,
            intermediate_size=32,
            projection_dim=IMAGE_EMBED_DIM,
            num_hidden_layers=2,
            num_attention_heads=2,
            image_size=ENCODER_IMAGE_SIZE,
            patch_size=8,
        )
    )
    encoder.save_pretrained(out_dir / core.IMAGE_ENCODER_FOLDER)
    weights = out_dir / core.IP_ADAPTER_SUBFOLDER / core.IP_ADAPTER_WEIGHTS
    weights.parent.mkdir(parents=True, exist_ok=True)
    save_file(ip_adapter_state_dict(unet, IMAGE_EMBED_DIM), str(weights))
    return out_dir


def ip_adapter_state_dict(unet: UNet2DConditionModel, image_embed_dim: int
                          ) -> dict[str, torch.Tensor]:
    """Random IP-Adapter weights for ``unet`` in the released files' flat key layout."""
    import torch

    cross = int(unet.config.cross_attention_dim)
    state: dict[str, torch.Tensor] = {
        "image_proj.proj.weight": torch.randn(cross * IMAGE_TOKENS, image_embed_dim) * 0.02,
        "image_proj.proj.bias": torch.zeros(cross * IMAGE_TOKENS),
        "image_proj.norm.weight": torch.ones(cross),
        "image_proj.norm.bias": torch.zeros(cross),
    }
    # The released files number every attention processor and keep the odd ones
    # (each transformer block's attn2, its cross-attention).
    key_id = 1
    for name in unet.attn_processors:
        if name.endswith("attn1.processor"):
            continue
        hidden = _hidden_size(unet, name)
        for projection in ("to_k_ip", "to_v_ip"):
            state[f"ip_adapter.{key_id}.{projection}.weight"] = torch.randn(hidden, cross) * 0.02
        key_id += 2
    return state


def _hidden_size(unet: UNet2DConditionModel, name: str) -> int:
    channels = list(unet.config.block_out_channels)
    if name.startswith("mid_block"):
        return int(channels[-1])
    block = int(name.split(".")[1])
    return int(channels[block] if name.startswith("down_blocks") else channels[::-1][block])
