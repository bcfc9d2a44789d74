"""BLIP-2 visual question answering: one image, many questions, ONE ``generate``.

Pure model logic, no wire format. ``load`` takes a checkpoint directory (a real
``Salesforce/blip2-flan-t5-xl`` snapshot or a tiny one from ``model_artifacts``). The
AWS sample calls the endpoint once per attribute; here every question about an image is
a row of one padded batch (the image repeated), so N attributes cost one call.

A question may come with its allowed answers (a taxonomy's values): then nothing is
generated; every allowed value is scored as the answer (its log-likelihood under the
model, end-of-sequence included) in one batched pass (``score_choices``), the best is
the answer and the confidence is its share of the likelihood over the allowed values.
Free answers get the probability the model gave the generated answer as theirs.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sagemaker_containers.blip2.adapters import AdapterSet
from sagemaker_containers.common import licences
from sagemaker_containers.common.device import DeviceProfile, select_device

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
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
    # Fine-tuned attribute adapters, attached to ``network`` by key (``adapters.py``).
    adapters: AdapterSet


@dataclass(frozen=True, slots=True)
class Questions:
    """Named questions about one image: ``{"fabric": "What is the fabric ...?"}``."""

    image: Image.Image  # RGB
    questions: dict[str, str]
    max_new_tokens: int = DEFAULT_MAX_NEW_TOKENS
    # name → the allowed answers (a subset of ``questions``' names); others are free.
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # A fine-tuned adapter's key (``adapters.py``); ``None``: the base model.
    adapter: str | None = None


@dataclass(frozen=True, slots=True)
class Prompt:
    """The AWS sample's request: a raw prompt and ``generate`` options."""

    image: Image.Image
    prompt: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Answers:
    answers: dict[str, str]
    # name → a probability: the answer's share over the allowed values (constrained),
    # or the model's probability of the generated answer (free).
    confidence: dict[str, float] = field(default_factory=dict)
    # name → allowed value → its normalised probability (constrained questions only).
    scores: dict[str, dict[str, float]] = field(default_factory=dict)


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
        network=network,
        processor=processor,
        profile=profile,
        encoder_decoder=encoder_decoder,
        adapters=AdapterSet(network),
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
        with model.adapters.using(request.adapter):
            return _answer(model, request)
    with model.adapters.using(None):
        (text,) = _generate(model, request.image, [request.prompt], request.options)
    return Generation(generated_text=text.strip())


def _answer(model: Model, request: Questions) -> Answers:
    free = [name for name in request.questions if name not in request.choices]
    answers: dict[str, str] = {}
    confidence: dict[str, float] = {}
    if free:
        prompts = [PROMPT_TEMPLATE.format(question=request.questions[name]) for name in free]
        texts, probabilities = _generate_scored(
            model, request.image, prompts, request.max_new_tokens
        )
        for name, text, probability in zip(free, texts, probabilities, strict=True):
            answers[name], confidence[name] = normalise(text), probability
    scores: dict[str, dict[str, float]] = {}
    if request.choices:
        asked = {name: (request.questions[name], vs) for name, vs in request.choices.items()}
        for name, loglik in score_choices(model, request.image, asked).items():
            scores[name] = _softmax(loglik)
            best = max(scores[name], key=scores[name].__getitem__)
            answers[name], confidence[name] = best, scores[name][best]
    order = list(request.questions)
    return Answers(
        answers={name: answers[name] for name in order},
        confidence={name: confidence[name] for name in order},
        scores=scores,
    )


def score_choices(
    model: Model, image: Image.Image, asked: Mapping[str, tuple[str, Sequence[str]]]
) -> dict[str, dict[str, float]]:
    """Each allowed value's log-likelihood as the answer to its question about ``image``.

    One pass: the image is encoded once, each question once (T5 encoder), then every
    (question, value) pair is a row of one teacher-forced decoder batch; a value's score
    is the sum of its tokens' log-probabilities, end-of-sequence included (so ``long``
    does not also collect the mass of ``long sleeve``).
    """
    import torch

    if not model.encoder_decoder:
        raise ValueError("scoring allowed answers needs a Flan-T5 (encoder-decoder) BLIP-2")
    names = list(asked)
    prompts = [PROMPT_TEMPLATE.format(question=asked[name][0]) for name in names]
    device, network = model.profile.device, model.network
    tokenizer = model.processor.tokenizer
    inputs = model.processor(
        images=[image] * len(prompts), text=prompts, padding=True, return_tensors="pt"
    ).to(device)
    rows = [(index, value) for index, name in enumerate(names) for value in asked[name][1]]
    labels = tokenizer([value for _, value in rows], padding=True, return_tensors="pt").input_ids
    labels = labels.to(device)
    which = torch.tensor([index for index, _ in rows], device=device)
    with torch.inference_mode():
        pixels = inputs["pixel_values"][:1].to(model.profile.dtype)
        image_features = network.get_image_features(pixels).pooler_output
        embeds = network.get_input_embeddings()(inputs["input_ids"])
        slots = network.get_placeholder_mask(inputs["input_ids"], inputs_embeds=embeds)
        features = image_features.to(embeds.dtype).expand(len(prompts), -1, -1)
        embeds = embeds.masked_scatter(slots, features)
        language = network.language_model
        encoded = language.get_encoder()(
            inputs_embeds=embeds, attention_mask=inputs["attention_mask"]
        ).last_hidden_state
        masked = labels.masked_fill(labels == tokenizer.pad_token_id, -100)
        logits = language(
            encoder_outputs=(encoded[which],),
            attention_mask=inputs["attention_mask"][which],
            labels=masked,
        ).logits
        token_logp = logits.float().log_softmax(-1).gather(-1, labels.unsqueeze(-1)).squeeze(-1)
        totals = (token_logp * (masked != -100)).sum(-1).tolist()
    scores: dict[str, dict[str, float]] = {name: {} for name in names}
    for (index, value), total in zip(rows, totals, strict=True):
        scores[names[index]][value] = float(total)
    return scores


def _softmax(loglik: dict[str, float]) -> dict[str, float]:
    top = max(loglik.values())
    weights = {value: math.exp(score - top) for value, score in loglik.items()}
    total = sum(weights.values())
    return {value: weight / total for value, weight in weights.items()}


def _generate_scored(
    model: Model, image: Image.Image, prompts: list[str], max_new_tokens: int
) -> tuple[list[str], list[float]]:
    """Greedy answers and each one's probability under the model (its tokens' product,
    up to and including end-of-sequence), from the same ``generate`` call."""
    import torch

    output, _ = _run_generate(
        model, image, prompts,
        {"max_new_tokens": max_new_tokens, "return_dict_in_generate": True,
         "output_scores": True},
    )
    sequences, steps = output.sequences, len(output.scores)
    tokens = sequences[:, -steps:]
    logp = torch.stack(output.scores, dim=1).float().log_softmax(-1)
    token_logp = logp.gather(-1, tokens.unsqueeze(-1)).squeeze(-1)
    eos = model.processor.tokenizer.eos_token_id
    # Count tokens up to the first end-of-sequence; the padding after it is not the answer.
    ended_before = (tokens == eos).long().cumsum(-1) - (tokens == eos).long()
    totals = (token_logp * (ended_before == 0)).sum(-1)
    texts: list[str] = model.processor.batch_decode(tokens, skip_special_tokens=True)
    return texts, [float(p) for p in totals.exp().tolist()]


def _generate(
    model: Model, image: Image.Image, prompts: list[str], options: dict[str, Any]
) -> list[str]:
    """Answer every prompt about ``image`` in one batched ``generate`` call."""
    output, prompt_length = _run_generate(model, image, prompts, options)
    answers = output if model.encoder_decoder else output[:, prompt_length:]
    texts: list[str] = model.processor.batch_decode(answers, skip_special_tokens=True)
    return texts


def _run_generate(
    model: Model, image: Image.Image, prompts: list[str], options: dict[str, Any]
) -> tuple[Any, int]:
    """``generate`` over one padded batch (the image repeated); also the prompt length."""
    import torch

    inputs = model.processor(
        images=[image] * len(prompts), text=prompts, padding=True, return_tensors="pt"
    )
    inputs = inputs.to(model.profile.device)
    inputs["pixel_values"] = inputs["pixel_values"].to(model.profile.dtype)
    with torch.inference_mode():
        output = model.network.generate(**inputs, **options)
    return output, int(inputs["input_ids"].shape[1])
