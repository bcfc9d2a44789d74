"""BLIP-2 visual question answering: one image, many questions, ONE ``generate``.

Pure model logic, no wire format. ``load`` takes a checkpoint directory (a real
``Salesforce/blip2-flan-t5-xl`` snapshot or a tiny one from ``model_artifacts``). The
AWS sample calls the endpoint once per attribute; here every question about an image is
a row of one padded batch (the image repeated), so N attributes cost one call.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sagemaker_containers.common import licences
from sagemaker_containers.common.device import DeviceProfile, select_device

if TYPE_CHECKING:
    from pathlib import Path

    from PIL import Image
    from transformers import Blip2ForConditionalGeneration, Blip2Processor

log = logging.getLogger(__name__)

MAX_QUESTIONS = 16
MAX_NEW_TOKENS = 128
DEFAULT_MAX_NEW_TOKENS = 16
PROMPT_TEMPLATE = "Question: {question} Answer:"


@dataclass(frozen=True, slots=True)
class Model:
    network: Blip2ForConditionalGeneration
    processor: Blip2Processor
    profile: DeviceProfile
    # T5 (flan) answers in its decoder; decoder-only LMs (OPT) echo the prompt first.
    encoder_decoder: bool


@dataclass(frozen=True, slots=True)
class Questions:
    """Named questions about one image: ``{"fabric": "What is the fabric ...?"}``."""

    image: Image.Image  # RGB
    questions: dict[str, str]
    max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS


@dataclass(frozen=True, slots=True)
class Prompt:
    """The AWS sample's request: a raw prompt and ``generate`` options."""

    image: Image.Image
    prompt: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Answers:
    answers: dict[str, str]


@dataclass(frozen=True, slots=True)
class Generation:
    generated_text: str


def load(model_dir: Path, profile: DeviceProfile | None = None) -> Model:
    from transformers import Blip2ForConditionalGeneration

    licences.check(model_dir)
    profile = profile or select_device()
    network = Blip2ForConditionalGeneration.from_pretrained(
        model_dir, dtype=profile.dtype, attn_implementation=profile.attention
    )
    # transformers types .to() through a decorator that mypy reads as taking a model.
    network.to(profile.device).eval()  # type: ignore[arg-type]
    processor = _load_processor(model_dir)
    encoder_decoder = bool(network.config.get_text_config().is_encoder_decoder)
    if not encoder_decoder:
        # Decoder-only language models (the OPT variants) generate after the last
        # token of each row: pad on the left so every row ends with its prompt.
        processor.tokenizer.padding_side = "left"
    return Model(
        network=network, processor=processor, profile=profile, encoder_decoder=encoder_decoder
    )


def _load_processor(model_dir: Path) -> Blip2Processor:
    """The saved processor; without torchvision, rebuilt on the PIL image processor."""
    from transformers import AutoTokenizer, Blip2Processor

    try:
        return Blip2Processor.from_pretrained(model_dir)
    except ImportError as exc:
        if "torchvision" not in str(exc):
            raise
        from transformers.models.blip.image_processing_pil_blip import BlipImageProcessorPil

        log.info("torchvision unavailable; using BlipImageProcessorPil")
        config = _json_file(model_dir / "processor_config.json")
        return Blip2Processor(
            image_processor=BlipImageProcessorPil.from_pretrained(model_dir),
            tokenizer=AutoTokenizer.from_pretrained(model_dir),
            num_query_tokens=config.get("num_query_tokens"),
        )


def _json_file(path: Path) -> dict[str, Any]:
    import json

    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def normalise(answer: str) -> str:
    """One line, no padding or sentence punctuation: ``" Cotton. "`` → ``"Cotton"``."""
    return " ".join(answer.split()).strip(" .\"'")


def predict(model: Model, request: Questions | Prompt) -> Answers | Generation:
    if isinstance(request, Questions):
        names = list(request.questions)
        prompts = [PROMPT_TEMPLATE.format(question=request.questions[name]) for name in names]
        texts = _generate(model, request.image, prompts, {"max_new_tokens": request.max_new_tokens})
        answers = {name: normalise(text) for name, text in zip(names, texts, strict=True)}
        return Answers(answers=answers)
    (text,) = _generate(model, request.image, [request.prompt], request.options)
    return Generation(generated_text=text.strip())


def _generate(
    model: Model, image: Image.Image, prompts: list[str], options: dict[str, Any]
) -> list[str]:
    """Answer every prompt about ``image`` in one batched ``generate`` call."""
    import torch

    inputs = model.processor(
        images=[image] * len(prompts), text=prompts, padding=True, return_tensors="pt"
    )
    inputs = inputs.to(model.profile.device)
    inputs["pixel_values"] = inputs["pixel_values"].to(model.profile.dtype)
    with torch.inference_mode():
        output = model.network.generate(**inputs, **options)
    answers = output if model.encoder_decoder else output[:, inputs["input_ids"].shape[1] :]
    texts: list[str] = model.processor.batch_decode(answers, skip_special_tokens=True)
    return texts
