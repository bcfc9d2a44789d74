"""Tiny random-weight BLIP-2 with a T5 language model (``blip2-flan-t5-xl``'s layout)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from model_artifacts.tiny.tokenizers import t5_tokenizer

if TYPE_CHECKING:
    from pathlib import Path

IMAGE_SIZE = 32
VISION_HIDDEN = 32
# The real model uses 32 query tokens; 4 keep the tiny prompts short.
NUM_QUERY_TOKENS = 4


def build(out_dir: Path) -> Path:
    """Write model, processor and tokenizer to ``out_dir``; return it."""
    import torch
    from transformers import Blip2Config, Blip2ForConditionalGeneration, Blip2Processor
    from transformers.models.blip.image_processing_pil_blip import BlipImageProcessorPil

    tokenizer = t5_tokenizer()
    # The processor registers the ``<image>`` token: make it first so the id is known.
    processor = Blip2Processor(
        image_processor=BlipImageProcessorPil(size={"height": IMAGE_SIZE, "width": IMAGE_SIZE}),
        tokenizer=tokenizer,
        num_query_tokens=NUM_QUERY_TOKENS,
    )
    image_token_id = tokenizer.convert_tokens_to_ids(processor.image_token.content)
    assert isinstance(image_token_id, int), "one token in, one id out"
    config = Blip2Config(
        vision_config={
            "hidden_size": VISION_HIDDEN,
            "intermediate_size": 64,
            "num_hidden_layers": 2,
            "num_attention_heads": 4,
            "image_size": IMAGE_SIZE,
            "patch_size": 8,
        },
        qformer_config={
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_hidden_layers": 2,
            "num_attention_heads": 4,
            # Cross-attends to the vision tokens: must match their width.
            "encoder_hidden_size": VISION_HIDDEN,
            "vocab_size": 64,
            "max_position_embeddings": 64,
        },
        text_config={
            "model_type": "t5",
            "vocab_size": len(tokenizer),
            "d_model": 32,
            "d_kv": 8,
            "d_ff": 64,
            "num_layers": 2,
            "num_decoder_layers": 2,
            "num_heads": 4,
            "relative_attention_num_buckets": 8,
            "feed_forward_proj": "gated-gelu",
            "tie_word_embeddings": False,
            "pad_token_id": tokenizer.pad_token_id,
            "eos_token_id": tokenizer.eos_token_id,
            "decoder_start_token_id": tokenizer.pad_token_id,
        },
        num_query_tokens=NUM_QUERY_TOKENS,
        image_token_index=image_token_id,
        image_text_hidden_size=32,
    )
    torch.manual_seed(0)
    model = Blip2ForConditionalGeneration(config).eval()
    model.save_pretrained(out_dir)
    processor.save_pretrained(out_dir)
    return out_dir
