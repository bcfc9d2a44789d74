"""Tiny random-weight CLIP (``openai/clip-vit-large-patch14``'s layout, well under 1 MB):
the comparison's scorer (``sagemaker_containers/comparison/scoring.py``) loads it with the
code that loads the real one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from model_artifacts.tiny.tokenizers import clip_text_config, clip_tokenizer

if TYPE_CHECKING:
    from pathlib import Path

IMAGE_SIZE = 32


def build(out_dir: Path) -> Path:
    """Write model, image processor and tokenizer to ``out_dir``; return it."""
    import torch
    from transformers import CLIPConfig, CLIPImageProcessorPil, CLIPModel, CLIPProcessor

    tokenizer = clip_tokenizer(out_dir)
    config = CLIPConfig(
        text_config=clip_text_config(tokenizer),
        vision_config={
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 2,
            "num_attention_heads": 4,
            "image_size": IMAGE_SIZE,
            "patch_size": 8,
        },
        projection_dim=16,
    )
    torch.manual_seed(0)
    model = CLIPModel(config).eval()
    # CLIP's own preprocessing (resize the short side, centre crop, its mean/std).
    image_processor = CLIPImageProcessorPil(
        size={"shortest_edge": IMAGE_SIZE}, crop_size={"height": IMAGE_SIZE, "width": IMAGE_SIZE})
    CLIPProcessor(image_processor=image_processor, tokenizer=tokenizer).save_pretrained(out_dir)
    model.save_pretrained(out_dir)
    return out_dir
