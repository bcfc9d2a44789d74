"""Tiny random-weight CLIPSeg (``CIDAS/clipseg-rd64-refined``'s layout, a few MB)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from model_artifacts.tiny.tokenizers import clip_text_config, clip_tokenizer

if TYPE_CHECKING:
    from pathlib import Path

# The processor resizes to this square; CLIPSeg interpolates its position embeddings,
# so any input size works, as with the real model's 352 px.
IMAGE_SIZE = 32


def build(out_dir: Path) -> Path:
    """Write model, image processor and tokenizer to ``out_dir``; return it."""
    import torch
    from transformers import CLIPSegConfig, CLIPSegForImageSegmentation, CLIPSegProcessor
    from transformers.models.vit.image_processing_pil_vit import ViTImageProcessorPil

    tokenizer = clip_tokenizer(out_dir)
    config = CLIPSegConfig(
        text_config=clip_text_config(tokenizer),
        vision_config={
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 3,
            "num_attention_heads": 4,
            "image_size": IMAGE_SIZE,
            "patch_size": 8,
        },
        projection_dim=32,
        # Indices into the vision layers (0-based); each must be < num_hidden_layers.
        extract_layers=[1, 2],
        reduce_dim=16,
        decoder_num_attention_heads=2,
        decoder_intermediate_size=32,
    )
    torch.manual_seed(0)
    model = CLIPSegForImageSegmentation(config).eval()
    image_processor = ViTImageProcessorPil(
        size={"height": IMAGE_SIZE, "width": IMAGE_SIZE},
        image_mean=[0.485, 0.456, 0.406],
        image_std=[0.229, 0.224, 0.225],
    )
    processor = CLIPSegProcessor(image_processor=image_processor, tokenizer=tokenizer)
    model.save_pretrained(out_dir)
    processor.save_pretrained(out_dir)
    return out_dir
