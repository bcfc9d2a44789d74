"""LoRA fine-tuning of BLIP-2 (Flan-T5) for product attributes: an adapter on the base.

Data: one CSV row per (image, attribute), as the AWS fashion sample prepares it:

- ``image_path``: the image file, relative to ``--images_dir`` (default: the CSV's folder)
- ``question``: e.g. ``What is the fabric of this garment?``
- ``answer``: the expected answer, e.g. ``cotton``
- ``attribute`` (optional): the attribute's name (``fabric``); default: the question

The sample's own header (``id,Question,Answer`` with images at ``<images_dir>/<id>.jpg``)
is accepted too. Prompts use the serving template (``core.PROMPT_TEMPLATE``), so the
model is trained on exactly what the endpoint asks. A validation split (by image, so an
image's attributes never straddle it) is scored after every epoch: exact-match accuracy
per attribute, on normalised, case-folded answers. The output is the LoRA **adapter**
(peft's layout: ``adapter_config.json`` + ``adapter_model.safetensors``, megabytes), which
the BLIP-2 handler applies by key on its one warm base (``"adapter"`` in a request);
``--export merged`` instead merges it into the base (``merge_and_unload``) and saves a
plain checkpoint with the processor (gigabytes), which the handler serves as its model.
``training.json`` beside it holds the figures, ``accuracy`` the final held-out ones.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sagemaker_containers.blip2 import core
from sagemaker_containers.common.device import DeviceProfile

if TYPE_CHECKING:
    import torch
    from PIL import Image


FAILURE_FILE = Path("/opt/ml/output/failure")  # becomes the job's FailureReason
# The exit status for bad training data (as the avatar script's for a rejected photo set).
EXIT_DATA_REJECTED = 3


@dataclass(frozen=True, slots=True)
class Example:
    image: Path
    question: str
    answer: str
    attribute: str


class DatasetError(ValueError):
    """The CSV or its images cannot be used; the message says which rows or files."""


def _channel(name: str) -> str:
    return os.environ.get(f"SM_CHANNEL_{name.upper()}", f"/opt/ml/input/data/{name}")


def parse_args(input_args: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="BLIP-2 LoRA fine-tuning (attribute Q&A)")
    add = parser.add_argument
    add("--model_name_or_path", default=_channel("base"), help="BLIP-2 checkpoint directory")
    add("--train_file", default=None, help="CSV; default: the one *.csv in the train channel")
    add("--validation_file", default=None, help="CSV; default: split off the training CSV")
    add("--images_dir", default=None, help="where image paths resolve; default: CSV's folder")
    add("--output_dir", default=os.environ.get("SM_MODEL_DIR", "/opt/ml/model"))
    add("--validation_fraction", type=float, default=0.1)
    add("--epochs", type=int, default=3)
    add("--batch_size", type=int, default=8)
    add("--gradient_accumulation_steps", type=int, default=1)
    add("--learning_rate", type=float, default=1e-4)
    add("--max_steps", type=int, default=-1, help="stop after this many optimiser steps")
    add("--rank", type=int, default=8)
    add("--lora_alpha", type=int, default=32)
    add("--lora_dropout", type=float, default=0.05)
    add("--target_modules", default="q,v", help="comma-separated; T5 attention by default")
    add("--precision", choices=["fp32", "bf16"], default=None,
        help="weights while training; default: bf16 on CUDA, fp32 on CPU")
    add("--export", choices=["adapter", "merged"], default="adapter",
        help="adapter: the LoRA weights alone (served on the shared base); merged: a full "
        "checkpoint with them merged in")
    add("--save_dtype", choices=["fp32", "fp16", "bf16"], default="fp16",
        help="the merged checkpoint's weights (an adapter is saved in fp32)")
    add("--max_new_tokens", type=int, default=10)
    add("--seed", type=int, default=0)
    add("--failure_file", type=Path, default=None,
        help="where bad training data is explained (default: SageMaker's failure file)")
    args = parser.parse_args(input_args)
    if args.train_file is None:
        found = sorted(Path(_channel("train")).glob("*.csv"))
        if len(found) != 1:
            parser.error(f"pass --train_file: {len(found)} CSV files in {_channel('train')}")
        args.train_file = str(found[0])
    return args


def read_examples(csv_path: Path, images_dir: Path | None = None) -> list[Example]:
    """Rows of ``csv_path`` as examples; every problem is reported in one ``DatasetError``."""
    root = images_dir or csv_path.parent
    with csv_path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        columns = {name.strip().lower(): name for name in reader.fieldnames or []}
        aws_sample = "id" in columns and "image_path" not in columns
        needed = {"id" if aws_sample else "image_path", "question", "answer"}
        if not needed <= set(columns):
            raise DatasetError(f"{csv_path.name}: needs columns image_path,question,answer "
                               f"(or id,Question,Answer); has {sorted(columns)}")
        examples, problems = [], []
        for line, row in enumerate(reader, start=2):
            cell = {key: (row.get(name) or "").strip() for key, name in columns.items()}
            relative = f"{cell['id']}.jpg" if aws_sample else cell["image_path"]
            image = root / relative
            if not (relative and cell["question"] and cell["answer"]):
                problems.append(f"line {line}: empty image, question or answer")
            elif not image.is_file():
                problems.append(f"line {line}: no image {relative}")
            else:
                examples.append(Example(image, cell["question"], cell["answer"],
                                        cell.get("attribute") or cell["question"]))
    if problems:
        raise DatasetError(f"{csv_path.name}: " + "; ".join(problems[:20]))
    if not examples:
        raise DatasetError(f"{csv_path.name} has no rows")
    return examples


def split_by_image(examples: list[Example], fraction: float,
                   seed: int) -> tuple[list[Example], list[Example]]:
    """Hold out ``fraction`` of the images (at least one when there are two or more)."""
    images = sorted({example.image for example in examples})
    random.Random(seed).shuffle(images)
    count = min(len(images) - 1, max(1, round(len(images) * fraction))) if len(images) > 1 else 0
    held = set(images[:count])
    return ([e for e in examples if e.image not in held], [e for e in examples if e.image in held])


@lru_cache(maxsize=256)
def _image(path: Path) -> Image.Image:
    # Each image backs several rows (one per attribute): decode it once.
    from PIL import Image, ImageOps

    with Image.open(path) as opened:
        return (ImageOps.exif_transpose(opened) or opened).convert("RGB")


def _batches(
    examples: list[Example], size: int, shuffle: random.Random | None
) -> list[list[Example]]:
    order = list(examples)
    if shuffle is not None:
        shuffle.shuffle(order)
    return [order[i : i + size] for i in range(0, len(order), size)]


def _inputs(model: core.Model, batch: list[Example]) -> Any:
    inputs = model.processor(images=[_image(e.image) for e in batch],
                             text=[core.PROMPT_TEMPLATE.format(question=e.question) for e in batch],
                             padding=True, return_tensors="pt").to(model.profile.device)
    inputs["pixel_values"] = inputs["pixel_values"].to(model.profile.dtype)
    return inputs


def training_loss(model: core.Model, network: Any, batch: list[Example]) -> torch.Tensor:
    """Teacher-forced answer loss (padding ignored) for one batch."""
    inputs = _inputs(model, batch)
    tokenizer = model.processor.tokenizer
    labels = tokenizer([e.answer for e in batch], padding=True, return_tensors="pt").input_ids
    labels[labels == tokenizer.pad_token_id] = -100
    output = network(**inputs, labels=labels.to(model.profile.device))
    loss: torch.Tensor = output.loss
    return loss


def evaluate(model: core.Model, network: Any, examples: list[Example], *, batch_size: int,
             max_new_tokens: int) -> dict[str, float]:
    """Exact-match accuracy per attribute (and ``__overall__``) on normalised answers."""
    import torch

    hits: dict[str, list[bool]] = defaultdict(list)
    network.eval()
    with torch.inference_mode():
        for batch in _batches(examples, batch_size, None):
            output = network.generate(**_inputs(model, batch), max_new_tokens=max_new_tokens)
            texts = model.processor.batch_decode(output, skip_special_tokens=True)
            for example, text in zip(batch, texts, strict=True):
                same = core.normalise(text).casefold() == core.normalise(example.answer).casefold()
                hits[example.attribute].append(same)
                hits["__overall__"].append(same)
    return {name: sum(values) / len(values) for name, values in sorted(hits.items())}


def _report(epoch: int, accuracy: dict[str, float]) -> None:
    # "epoch=N attribute=X accuracy=Y" lines: readable, and a SageMaker metric regex target.
    for name, value in accuracy.items():
        print(f"epoch={epoch} attribute={name} accuracy={value:.4f}", flush=True)


def main(args: argparse.Namespace) -> dict[str, Any]:
    """Fine-tune, evaluate per epoch, save the adapter (or merged weights); return the
    metrics."""
    import torch
    from peft import LoraConfig, get_peft_model

    started = time.monotonic()
    images_dir = Path(args.images_dir) if args.images_dir else None
    train_set = read_examples(Path(args.train_file), images_dir)
    if args.validation_file:
        validation = read_examples(Path(args.validation_file), images_dir)
    else:
        train_set, validation = split_by_image(train_set, args.validation_fraction, args.seed)
    torch.manual_seed(args.seed)

    cuda = torch.cuda.is_available()
    precision = args.precision or ("bf16" if cuda else "fp32")
    dtype = {"bf16": torch.bfloat16, "fp32": torch.float32}[precision]
    model = core.load(Path(args.model_name_or_path),
                      DeviceProfile(device="cuda" if cuda else "cpu", dtype=dtype))
    if not model.encoder_decoder:
        raise DatasetError("train.py fine-tunes the Flan-T5 (encoder-decoder) BLIP-2 variants")
    network = get_peft_model(model.network, LoraConfig(
        r=args.rank, lora_alpha=args.lora_alpha, lora_dropout=args.lora_dropout, bias="none",
        target_modules=[name.strip() for name in args.target_modules.split(",") if name.strip()]))
    for parameter in network.parameters():
        if parameter.requires_grad:
            parameter.data = parameter.data.float()  # LoRA weights train in fp32
    trainable = sum(p.numel() for p in network.parameters() if p.requires_grad)
    print(f"train={len(train_set)} validation={len(validation)} trainable_params={trainable}")
    optimizer = torch.optim.AdamW([p for p in network.parameters() if p.requires_grad],
                                  lr=args.learning_rate)

    history: list[dict[str, Any]] = []
    if validation:
        history.append({"epoch": 0, "accuracy": evaluate(
            model, network, validation, batch_size=args.batch_size,
            max_new_tokens=args.max_new_tokens)})
        _report(0, history[-1]["accuracy"])
    shuffle, steps = random.Random(args.seed), 0
    for epoch in range(1, args.epochs + 1):
        network.train()
        losses = []
        batches = _batches(train_set, args.batch_size, shuffle)
        for index, batch in enumerate(batches, start=1):
            with torch.autocast(model.profile.device, dtype=dtype, enabled=dtype != torch.float32):
                loss = training_loss(model, network, batch)
            (loss / args.gradient_accumulation_steps).backward()
            losses.append(float(loss.detach()))
            if index % args.gradient_accumulation_steps == 0 or index == len(batches):
                optimizer.step()
                optimizer.zero_grad()
                steps += 1
                if steps == args.max_steps:
                    break
        record: dict[str, Any] = {"epoch": epoch, "loss": sum(losses) / len(losses)}
        print(f"epoch={epoch} loss={record['loss']:.6f} steps={steps}", flush=True)
        if validation:
            record["accuracy"] = evaluate(model, network, validation, batch_size=args.batch_size,
                                          max_new_tokens=args.max_new_tokens)
            _report(epoch, record["accuracy"])
        history.append(record)
        if steps == args.max_steps:
            break

    output_dir = Path(args.output_dir)
    if args.export == "merged":
        save_dtype = {"fp16": torch.float16, "bf16": torch.bfloat16, "fp32": torch.float32}
        merged = network.merge_and_unload().to(save_dtype[args.save_dtype])
        merged.save_pretrained(output_dir, safe_serialization=True)
        model.processor.save_pretrained(output_dir)
    else:
        network.save_pretrained(str(output_dir), safe_serialization=True)
    scored = [record["accuracy"] for record in history if "accuracy" in record]
    final: dict[str, float] = scored[-1] if scored else {}
    metrics = {"base_model": str(args.model_name_or_path), "export": args.export,
               "train_examples": len(train_set), "validation_examples": len(validation),
               "validation_images": len({e.image for e in validation}), "steps": steps,
               "rank": args.rank, "target_modules": args.target_modules, "accuracy": final,
               "history": history, "seconds": round(time.monotonic() - started, 3)}
    (output_dir / "training.json").write_text(json.dumps(metrics, indent=2), encoding="utf-8")
    return metrics


def cli(argv: list[str] | None = None) -> int:
    """Run; bad data exits ``EXIT_DATA_REJECTED`` with the reason also in the failure file
    (SageMaker's by default: it becomes the job's FailureReason)."""
    args = parse_args(argv)
    try:
        main(args)
    except DatasetError as error:
        message = f"bad training data: {error}"
        print(message, file=sys.stderr)
        target = args.failure_file or (FAILURE_FILE if FAILURE_FILE.parent.is_dir() else None)
        if target is not None:
            target.write_text(message[:1000], encoding="utf-8")
        return EXIT_DATA_REJECTED
    return 0


if __name__ == "__main__":
    sys.exit(cli())
