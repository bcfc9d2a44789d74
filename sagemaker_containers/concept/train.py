"""Concepts: textual inversion on SDXL (a learned token embedding in both text encoders).

A new token (``<vitrine-denim>``) is added to both tokenizers, its embedding rows are
initialised from a word that roughly says what it is (``--initializer_token``), and only
those two rows learn while the UNet, VAE and the rest of both encoders stay frozen
(diffusers' textual-inversion examples: 5e-4 over 3,000 steps; the default here, 5e-3
over 500 steps at 1024 px, suits a dozen images). Saved as diffusers' SDXL
convention, ``learned_embeds.safetensors`` with ``clip_l`` (text_encoder) and
``clip_g`` (text_encoder_2), each ``[1, width]``; serving loads each with
``load_textual_inversion(..., token=token)``.

    python -m sagemaker_containers.concept.train \\
        --pretrained_model_name_or_path models/generation --instance_data_dir set/ \\
        --output_dir out/ --token "<vitrine-denim>" --initializer_token jeans
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sagemaker_containers.avatar.dreambooth import to_pixels
from sagemaker_containers.avatar.photos import square_crop
from sagemaker_containers.common import tuning
from sagemaker_containers.common.captioned import load_captioned, prompt_for
from sagemaker_containers.product.train import SDXLBase

if TYPE_CHECKING:
    import argparse

    import torch


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = tuning.parser("Textual inversion on SDXL (a concept token)",
                      resolution=1024, steps=500, learning_rate=5e-3, token="<vitrine-concept>")
    p.add_argument("--initializer_token", default="clothing",
                   help="a word the new token starts from (its first sub-token's embedding)")
    args = tuning.finish_args(p.parse_args(argv))
    if not args.token or " " in args.token:
        raise SystemExit("--token must be one word")
    return args


def _new_token(tokenizer: Any, encoder: Any, token: str, initializer: str) -> int:
    """Add ``token`` (a new vocabulary entry) with the initializer's embedding; its id."""
    import torch

    if tokenizer.add_tokens([token]) != 1:
        raise tuning.TrainingConfigError(f"the token {token!r} is already in the vocabulary")
    start = tokenizer(initializer, add_special_tokens=False).input_ids
    encoder.resize_token_embeddings(len(tokenizer))
    token_id: int = tokenizer.convert_tokens_to_ids(token)
    weights = encoder.get_input_embeddings().weight
    with torch.no_grad():
        weights[token_id] = weights[start[0]] if start else weights.mean(0)
    return token_id


def main(args: argparse.Namespace) -> dict[str, Any]:
    import torch
    from safetensors.torch import save_file

    started = time.monotonic()
    tuning.check_config(args)
    examples = load_captioned(Path(args.instance_data_dir), min_count=args.min_images,
                              max_count=args.max_images, min_side=args.min_image_side)
    torch.manual_seed(args.seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    base = SDXLBase(args.pretrained_model_name_or_path, device)
    pipe = base.pipeline
    pairs = [(pipe.tokenizer, pipe.text_encoder), (pipe.tokenizer_2, pipe.text_encoder_2)]
    ids = [_new_token(t, e, args.token, args.initializer_token) for t, e in pairs]
    tables = [e.get_input_embeddings().weight for _, e in pairs]
    for table, token_id in zip(tables, ids, strict=True):
        table.requires_grad_(True)
        keep = torch.zeros(len(table), 1, device=table.device)
        keep[token_id] = 1
        # Only the new row learns: every other row's gradient is zeroed (and with no
        # weight decay, AdamW leaves rows with zero gradient exactly as they were).
        table.register_hook(lambda grad, keep=keep: grad * keep)
    pixels = to_pixels([square_crop(e.image, args.resolution) for e in examples])
    prompts = [prompt_for(e.caption, args.token) for e in examples]
    picker = torch.Generator().manual_seed(args.seed)

    def step() -> torch.Tensor:
        pick = torch.randint(len(pixels), (args.train_batch_size,), generator=picker).tolist()
        with torch.no_grad():
            latents = base.latents(pixels[pick])
        embeds, pooled = base.embed([prompts[i] for i in pick])
        return base.loss(latents, embeds, pooled, args.resolution)

    curve = tuning.train_loop(args, list(tables), step, weight_decay=0.0)
    output = Path(args.output_dir)
    output.mkdir(parents=True, exist_ok=True)
    learned = {name: table[token_id:token_id + 1].detach().to("cpu", torch.float32).contiguous()
               for name, table, token_id in zip(("clip_l", "clip_g"), tables, ids, strict=True)}
    save_file(learned, str(output / tuning.EMBEDDINGS))
    return tuning.write_metadata(args, "concept", started=started, images=len(examples),
                                 curve=curve, adapter=tuning.EMBEDDINGS,
                                 initializer_token=args.initializer_token,
                                 vectors=1)


def cli(argv: list[str] | None = None) -> int:
    return tuning.run_cli(parse_args, main, argv)


if __name__ == "__main__":
    sys.exit(cli())
