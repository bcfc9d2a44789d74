"""The real models' architectures, written down, for benchmarks with random weights.

Speed and memory depend on the architecture, not on the weight values, so the GPU
benchmark builds each model from its published config with random weights (no
download). ``tiny=True`` gives the same code path at toy sizes for a CPU smoke run.
The full figures follow the Hub configs of ``stabilityai/stable-diffusion-2-inpainting``,
``stabilityai/stable-diffusion-2-1-base``, ``CIDAS/clipseg-rd64-refined``,
``openai/clip-vit-large-patch14``,
``Salesforce/blip2-flan-t5-xl``, ``diffusers/stable-diffusion-xl-1.0-inpainting-0.1`` and
``h94/IP-Adapter`` (``ip-adapter_sdxl_vit-h`` with its ViT-H/14 image encoder).
"""

from __future__ import annotations

from typing import Any

# --- Stable Diffusion 2 (inpainting: in_channels 9; text-to-image base: 4) -----------
SD2_UNET: dict[str, Any] = {
    "sample_size": 64,
    "out_channels": 4,
    "layers_per_block": 2,
    "block_out_channels": (320, 640, 1280, 1280),
    "down_block_types": ("CrossAttnDownBlock2D",) * 3 + ("DownBlock2D",),
    "up_block_types": ("UpBlock2D",) + ("CrossAttnUpBlock2D",) * 3,
    "cross_attention_dim": 1024,
    "attention_head_dim": (5, 10, 20, 20),
    "use_linear_projection": True,
    "norm_num_groups": 32,
    "flip_sin_to_cos": True,
    "freq_shift": 0,
    "downsample_padding": 1,
}
TINY_UNET: dict[str, Any] = {
    "sample_size": 8,
    "out_channels": 4,
    "layers_per_block": 1,
    "block_out_channels": (32, 64),
    "down_block_types": ("CrossAttnDownBlock2D", "DownBlock2D"),
    "up_block_types": ("UpBlock2D", "CrossAttnUpBlock2D"),
    "cross_attention_dim": 32,
    "attention_head_dim": 8,
    "use_linear_projection": True,
    "norm_num_groups": 32,
}
SD2_VAE: dict[str, Any] = {
    "in_channels": 3,
    "out_channels": 3,
    "down_block_types": ("DownEncoderBlock2D",) * 4,
    "up_block_types": ("UpDecoderBlock2D",) * 4,
    "block_out_channels": (128, 256, 512, 512),
    "layers_per_block": 2,
    "latent_channels": 4,
    "norm_num_groups": 32,
    "sample_size": 512,
    "scaling_factor": 0.18215,
}
TINY_VAE: dict[str, Any] = {
    **SD2_VAE,
    "block_out_channels": (8, 8, 16, 16),
    "layers_per_block": 1,
    "norm_num_groups": 8,
    "sample_size": 64,
}
# OpenCLIP ViT-H/14's text tower, as SD 2 ships it (23 of its 24 layers).
SD2_TEXT: dict[str, Any] = {
    "vocab_size": 49408,
    "hidden_size": 1024,
    "intermediate_size": 4096,
    "num_attention_heads": 16,
    "num_hidden_layers": 23,
    "max_position_embeddings": 77,
    "projection_dim": 512,
    "hidden_act": "gelu",
    "bos_token_id": 0,
    "eos_token_id": 2,
    "pad_token_id": 1,
}
TINY_TEXT: dict[str, Any] = {
    **SD2_TEXT,
    "hidden_size": 32,
    "intermediate_size": 64,
    "num_attention_heads": 4,
    "num_hidden_layers": 2,
    "projection_dim": 32,
}

# --- CLIPSeg rd64 refined ------------------------------------------------------------
CLIPSEG: dict[str, Any] = {
    "text_config": {"vocab_size": 49408, "hidden_size": 512, "intermediate_size": 2048,
                    "num_attention_heads": 8, "num_hidden_layers": 12,
                    "max_position_embeddings": 77},
    "vision_config": {"hidden_size": 768, "intermediate_size": 3072, "num_attention_heads": 12,
                      "num_hidden_layers": 12, "image_size": 224, "patch_size": 16},
    "projection_dim": 512,
    "reduce_dim": 64,
    "extract_layers": [3, 6, 9],
    "decoder_num_attention_heads": 4,
    "decoder_intermediate_size": 2048,
    "use_complex_transposed_convolution": True,
}
CLIPSEG_IMAGE = 352
TINY_CLIPSEG: dict[str, Any] = {
    "text_config": {"vocab_size": 49408, "hidden_size": 32, "intermediate_size": 64,
                    "num_attention_heads": 4, "num_hidden_layers": 2,
                    "max_position_embeddings": 77},
    "vision_config": {"hidden_size": 32, "intermediate_size": 64, "num_attention_heads": 4,
                      "num_hidden_layers": 3, "image_size": 32, "patch_size": 8},
    "projection_dim": 32,
    "reduce_dim": 16,
    "extract_layers": [1, 2],
    "decoder_num_attention_heads": 2,
    "decoder_intermediate_size": 32,
}

# --- CLIP ViT-L/14 (openai/clip-vit-large-patch14): the comparisons' CLIP score ------
CLIP_L: dict[str, Any] = {
    "text_config": {"vocab_size": 49408, "hidden_size": 768, "intermediate_size": 3072,
                    "num_attention_heads": 12, "num_hidden_layers": 12,
                    "max_position_embeddings": 77},
    "vision_config": {"hidden_size": 1024, "intermediate_size": 4096,
                      "num_attention_heads": 16, "num_hidden_layers": 24, "image_size": 224,
                      "patch_size": 14},
    "projection_dim": 768,
}
TINY_CLIP: dict[str, Any] = {
    "text_config": {"vocab_size": 49408, "hidden_size": 32, "intermediate_size": 64,
                    "num_attention_heads": 4, "num_hidden_layers": 2,
                    "max_position_embeddings": 77},
    "vision_config": {"hidden_size": 32, "intermediate_size": 64, "num_attention_heads": 4,
                      "num_hidden_layers": 2, "image_size": 32, "patch_size": 8},
    "projection_dim": 16,
}

# --- BLIP-2 Flan-T5-XL -----------------------------------------------------------------
BLIP2: dict[str, Any] = {
    "vision_config": {"hidden_size": 1408, "intermediate_size": 6144, "num_hidden_layers": 39,
                      "num_attention_heads": 16, "image_size": 224, "patch_size": 14,
                      "qkv_bias": True},
    "qformer_config": {"hidden_size": 768, "intermediate_size": 3072, "num_hidden_layers": 12,
                       "num_attention_heads": 12, "cross_attention_frequency": 2,
                       "encoder_hidden_size": 1408, "vocab_size": 30522},
    "text_config": {"model_type": "t5", "vocab_size": 32128, "d_model": 2048, "d_kv": 64,
                    "d_ff": 5120, "num_layers": 24, "num_decoder_layers": 24, "num_heads": 32,
                    "relative_attention_num_buckets": 32, "feed_forward_proj": "gated-gelu",
                    "tie_word_embeddings": False, "pad_token_id": 0, "eos_token_id": 1,
                    "decoder_start_token_id": 0},
    "num_query_tokens": 32,
}
TINY_BLIP2: dict[str, Any] = {
    "vision_config": {"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2,
                      "num_attention_heads": 4, "image_size": 32, "patch_size": 8},
    "qformer_config": {"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2,
                       "num_attention_heads": 4, "encoder_hidden_size": 32, "vocab_size": 64,
                       "max_position_embeddings": 64},
    "text_config": {"model_type": "t5", "vocab_size": 32128, "d_model": 32, "d_kv": 8,
                    "d_ff": 64, "num_layers": 2, "num_decoder_layers": 2, "num_heads": 4,
                    "relative_attention_num_buckets": 8, "feed_forward_proj": "gated-gelu",
                    "tie_word_embeddings": False, "pad_token_id": 0, "eos_token_id": 1,
                    "decoder_start_token_id": 0},
    "num_query_tokens": 4,
    "image_text_hidden_size": 32,
}


# --- SDXL inpainting + IP-Adapter (the garment-photo try-on) --------------------------
SDXL_INPAINT_UNET: dict[str, Any] = {
    "sample_size": 128,
    "in_channels": 9,
    "out_channels": 4,
    "layers_per_block": 2,
    "block_out_channels": (320, 640, 1280),
    "down_block_types": ("DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"),
    "up_block_types": ("CrossAttnUpBlock2D", "CrossAttnUpBlock2D", "UpBlock2D"),
    "transformer_layers_per_block": (1, 2, 10),
    "attention_head_dim": (5, 10, 20),
    "cross_attention_dim": 2048,
    "use_linear_projection": True,
    "addition_embed_type": "text_time",
    "addition_time_embed_dim": 256,
    "projection_class_embeddings_input_dim": 2816,  # 6 time ids x 256 + the pooled 1280
    "norm_num_groups": 32,
}
SDXL_VAE: dict[str, Any] = {**SD2_VAE, "sample_size": 1024, "scaling_factor": 0.13025,
                            "force_upcast": True}
# CLIP ViT-L/14's text tower, then OpenCLIP ViT-bigG/14's (with the pooled projection).
SDXL_TEXT: dict[str, Any] = {
    "vocab_size": 49408, "hidden_size": 768, "intermediate_size": 3072,
    "num_attention_heads": 12, "num_hidden_layers": 12, "max_position_embeddings": 77,
    "projection_dim": 768, "hidden_act": "quick_gelu",
    "bos_token_id": 49406, "eos_token_id": 49407, "pad_token_id": 1,
}
SDXL_TEXT_2: dict[str, Any] = {
    **SDXL_TEXT, "hidden_size": 1280, "intermediate_size": 5120, "num_attention_heads": 20,
    "num_hidden_layers": 32, "projection_dim": 1280, "hidden_act": "gelu",
}
# The IP-Adapter's image encoder: OpenCLIP ViT-H/14 (laion2B), 224 px, 1024-d embeds.
IMAGE_ENCODER: dict[str, Any] = {
    "hidden_size": 1280, "intermediate_size": 5120, "num_attention_heads": 16,
    "num_hidden_layers": 32, "image_size": 224, "patch_size": 14, "projection_dim": 1024,
    "hidden_act": "gelu",
}


def sdxl_inpainting_parts(*, tiny: bool) -> dict[str, Any]:
    """SDXL inpainting's modules (random weights, CPU, fp32) and an image encoder, as the
    pipeline's keyword arguments (tokenizers and scheduler excepted)."""
    from diffusers import AutoencoderKL, UNet2DConditionModel
    from transformers import (
        CLIPTextConfig,
        CLIPTextModel,
        CLIPTextModelWithProjection,
        CLIPVisionConfig,
        CLIPVisionModelWithProjection,
    )

    if tiny:
        from model_artifacts.tiny import sdxl_inpainting as toy
        from model_artifacts.tiny.inpainting import tiny_vae

        text = {**TINY_TEXT, "hidden_size": toy.TEXT_HIDDEN}
        text_2 = {**TINY_TEXT, "hidden_size": toy.TEXT_2_HIDDEN,
                  "projection_dim": toy.POOLED_DIM}
        encoder = {"hidden_size": 16, "intermediate_size": 32, "num_attention_heads": 2,
                   "num_hidden_layers": 2, "image_size": toy.ENCODER_IMAGE_SIZE,
                   "patch_size": 8, "projection_dim": toy.IMAGE_EMBED_DIM}
        unet, vae = toy.tiny_unet(), tiny_vae()
    else:
        text, text_2, encoder = SDXL_TEXT, SDXL_TEXT_2, IMAGE_ENCODER
        unet = UNet2DConditionModel(**SDXL_INPAINT_UNET)
        vae = AutoencoderKL(**SDXL_VAE)
    return {
        "unet": unet,
        "vae": vae,
        "text_encoder": CLIPTextModel(CLIPTextConfig(**text)),
        "text_encoder_2": CLIPTextModelWithProjection(CLIPTextConfig(**text_2)),
        "image_encoder": CLIPVisionModelWithProjection(CLIPVisionConfig(**encoder)),
    }


# SDXL base 1.0 (and SDXL-Turbo, the same architecture): the inpainting UNet with the
# 4 latent input channels.
SDXL_UNET: dict[str, Any] = {**SDXL_INPAINT_UNET, "in_channels": 4}


def sdxl_parts(*, tiny: bool) -> dict[str, Any]:
    """SDXL text-to-image's modules (random weights, fp32, on the current device), as the
    pipeline's keyword arguments (tokenizers and scheduler excepted)."""
    from diffusers import AutoencoderKL, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection

    if tiny:
        from model_artifacts.tiny import sdxl_inpainting as toy
        from model_artifacts.tiny.inpainting import tiny_vae

        text = {**TINY_TEXT, "hidden_size": toy.TEXT_HIDDEN}
        text_2 = {**TINY_TEXT, "hidden_size": toy.TEXT_2_HIDDEN,
                  "projection_dim": toy.POOLED_DIM}
        unet, vae = toy.tiny_unet(in_channels=4), tiny_vae()
    else:
        text, text_2 = SDXL_TEXT, SDXL_TEXT_2
        unet, vae = UNet2DConditionModel(**SDXL_UNET), AutoencoderKL(**SDXL_VAE)
    return {
        "unet": unet,
        "vae": vae,
        "text_encoder": CLIPTextModel(CLIPTextConfig(**text)),
        "text_encoder_2": CLIPTextModelWithProjection(CLIPTextConfig(**text_2)),
    }


def sd2_parts(*, in_channels: int, tiny: bool) -> tuple[Any, Any, Any]:
    """(UNet, VAE, CLIP text encoder) of SD 2, random weights, on the CPU in fp32."""
    from diffusers import AutoencoderKL, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel

    unet = UNet2DConditionModel(in_channels=in_channels, **(TINY_UNET if tiny else SD2_UNET))
    vae = AutoencoderKL(**(TINY_VAE if tiny else SD2_VAE))
    text = CLIPTextModel(CLIPTextConfig(**(TINY_TEXT if tiny else SD2_TEXT)))
    return unet, vae, text
