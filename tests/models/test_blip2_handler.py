"""BLIP-2 handler on the tiny model: one batched generate, the AWS shape, bad input."""

from __future__ import annotations

import json
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest
from tiny_helpers import garment_image, png_b64, run

from sagemaker_containers.blip2.core import normalise

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow

Handler = tuple[ModuleType, Any]
QUESTIONS = {
    "fabric": "What is the fabric of this garment?",
    "color": "What color is the dress?",
    "pattern": "Which pattern does it have?",
}


def request(**overrides: Any) -> dict[str, Any]:
    return {"image": png_b64(garment_image()), "questions": QUESTIONS, "max_new_tokens": 4,
            **overrides}


class GenerateSpy:
    """Wraps ``generate`` to record each call's batch size and options."""

    def __init__(self, model: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple[int, dict[str, Any]]] = []
        self._generate = model.network.generate
        monkeypatch.setattr(model.network, "generate", self)

    def __call__(self, **kwargs: Any) -> Any:
        # Free answers also ask for the scores their confidence is computed from.
        options = {k: v for k, v in kwargs.items()
                   if k not in {"input_ids", "attention_mask", "pixel_values",
                                "return_dict_in_generate", "output_scores"}}
        self.calls.append((kwargs["input_ids"].shape[0], options))
        return self._generate(**kwargs)


def test_all_questions_answered_in_one_generate(
    blip2: Handler, monkeypatch: pytest.MonkeyPatch
) -> None:
    handler, model = blip2
    spy = GenerateSpy(model, monkeypatch)
    output = run(handler, model, request())
    assert spy.calls == [(3, {"max_new_tokens": 4})]
    assert list(output["answers"]) == list(QUESTIONS)
    for answer in output["answers"].values():
        assert isinstance(answer, str)
        assert answer == normalise(answer)


def test_answers_do_not_depend_on_batch_neighbours(blip2: Handler) -> None:
    # Padding must not leak between rows: a question alone gets the same answer.
    handler, model = blip2
    together = run(handler, model, request())["answers"]
    for name, question in QUESTIONS.items():
        alone = run(handler, model, request(questions={name: question}))["answers"]
        assert alone == {name: together[name]}


def test_aws_sample_shape(blip2: Handler, monkeypatch: pytest.MonkeyPatch) -> None:
    handler, model = blip2
    spy = GenerateSpy(model, monkeypatch)
    output = run(handler, model, {
        "image": png_b64(garment_image()),
        "prompt": "Question: what is the fabric? Answer:",
        "parameters": {"max_new_tokens": 3, "num_beams": 2, "repetition_penalty": 1.2},
    })
    assert set(output) == {"generated_text"}
    assert isinstance(output["generated_text"], str)
    assert spy.calls == [(1, {"max_new_tokens": 3, "num_beams": 2, "repetition_penalty": 1.2})]


def test_generated_length_is_bounded_by_max_new_tokens(blip2: Handler) -> None:
    handler, model = blip2
    output = run(handler, model, request(max_new_tokens=1))
    tokenizer = model.processor.tokenizer
    for answer in output["answers"].values():
        assert len(tokenizer(answer, add_special_tokens=False)["input_ids"]) <= 2


@pytest.mark.parametrize(
    ("raw", "clean"),
    [(" Cotton. ", "Cotton"), ("light\n  blue", "light blue"), ('"silk"', "silk"), ("", "")],
)
def test_normalise(raw: str, clean: str) -> None:
    assert normalise(raw) == clean


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"questions": QUESTIONS, "prompt": "x"}, "either 'questions'"),
        ({}, "either 'questions'"),
        ({"questions": {}}, "non-empty object"),
        ({"questions": ["What?"]}, "non-empty object"),
        ({"questions": {f"q{i}": "What?" for i in range(17)}}, "at most 16"),
        ({"questions": {"fabric": "  "}}, "'questions.fabric' is required"),
        ({"questions": {"fabric": 3}}, "'questions.fabric' must be a string"),
        ({"questions": {"": "What?"}}, "question names"),
        ({"questions": QUESTIONS, "max_new_tokens": 0}, "'max_new_tokens'"),
        ({"questions": QUESTIONS, "max_new_tokens": 129}, "'max_new_tokens'"),
        ({"prompt": ""}, "'prompt' is required"),
        ({"prompt": "x", "parameters": []}, "'parameters' must be an object"),
        ({"prompt": "x", "parameters": {"trust_remote_code": True}}, "unsupported 'parameters'"),
        ({"prompt": "x", "parameters": {"num_beams": 99}}, "'num_beams'"),
        ({"prompt": "x", "parameters": {"do_sample": "yes"}}, "'do_sample'"),
        ({"prompt": "x", "parameters": {"temperature": 0}}, "'temperature'"),
    ],
)
def test_bad_input_raises_value_error(blip2: Handler, body: dict[str, Any], message: str) -> None:
    handler, _ = blip2
    with pytest.raises(ValueError, match=message):
        handler.input_fn(json.dumps({"image": png_b64(garment_image()), **body}),
                         "application/json")


def test_bad_image_and_content_type_raise_value_error(blip2: Handler) -> None:
    handler, _ = blip2
    with pytest.raises(ValueError, match="'image' is not valid base64"):
        handler.input_fn(json.dumps(request(image="***")), "application/json")
    with pytest.raises(ValueError, match="content type"):
        handler.input_fn(json.dumps(request()), "text/plain")


def test_saved_model_round_trips(tiny_models_dir: Path) -> None:
    from transformers import Blip2ForConditionalGeneration, Blip2Processor

    model, info = Blip2ForConditionalGeneration.from_pretrained(
        tiny_models_dir / "blip2", output_loading_info=True
    )
    assert not info["missing_keys"] and not info["unexpected_keys"]
    processor = Blip2Processor.from_pretrained(tiny_models_dir / "blip2")
    assert processor.num_query_tokens == model.config.num_query_tokens
    image_token = processor.tokenizer.convert_tokens_to_ids("<image>")
    assert model.config.image_token_index == image_token
    assert model.config.text_config.vocab_size == len(processor.tokenizer)
    assert model.config.text_config.is_encoder_decoder
    assert (model.config.qformer_config.encoder_hidden_size
            == model.config.vision_config.hidden_size)


def test_processor_falls_back_to_pil_without_torchvision(
    tiny_models_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from transformers import Blip2Processor
    from transformers.models.blip.image_processing_pil_blip import BlipImageProcessorPil

    from sagemaker_containers.blip2 import core

    def needs_torchvision(*_args: Any, **_kwargs: Any) -> Any:
        raise ImportError("BlipImageProcessor requires the torchvision library")

    saved = Blip2Processor.from_pretrained(tiny_models_dir / "blip2")
    monkeypatch.setattr(Blip2Processor, "from_pretrained", needs_torchvision)
    processor = core._load_processor(tiny_models_dir / "blip2")
    assert isinstance(processor.image_processor, BlipImageProcessorPil)
    assert processor.num_query_tokens == saved.num_query_tokens
    text = "Question: What is the fabric? Answer:"
    image = garment_image()
    rebuilt, original = processor(images=image, text=text), saved(images=image, text=text)
    assert rebuilt["input_ids"] == original["input_ids"]


def test_other_import_errors_are_not_swallowed(
    tiny_models_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from transformers import Blip2Processor

    from sagemaker_containers.blip2 import core

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise ImportError("sentencepiece is missing")

    monkeypatch.setattr(Blip2Processor, "from_pretrained", broken)
    with pytest.raises(ImportError, match="sentencepiece"):
        core._load_processor(tiny_models_dir / "blip2")
