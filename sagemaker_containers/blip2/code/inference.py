"""BLIP-2 handler: the SageMaker inference-toolkit contract over ``core``.

Two request shapes: ``{"image", "questions", "choices"?, "max_new_tokens"?}`` →
``{"answers", "confidence", "scores"}`` (free questions in one batched ``generate``;
those with ``choices``, a name → allowed values object, answered only from those values,
every value scored in one batched pass: ``core.score_choices``; ``adapter``, a key, runs
them on that fine-tuned adapter: ``adapters.py``), and the AWS sample's
``{"image", "prompt", "parameters"?}`` → ``{"generated_text"}``.

How the image finds it, and why bad input is ``InvalidInput`` (400) while anything else is
a 500: ``sagemaker_containers/README.md``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sagemaker_containers.blip2 import core
from sagemaker_containers.blip2.adapters import AdapterNotFound, check_key
from sagemaker_containers.common import images, payload
from sagemaker_containers.common.errors import InvalidInput

MAX_KEY_CHARS = 64
MAX_CHOICES = 64  # allowed values per question
MAX_CHOICE_ROWS = 512  # (question, value) rows scored in one pass
MAX_CHOICE_CHARS = 80


def model_fn(model_dir: str) -> core.Model:
    return core.load(Path(model_dir))


def input_fn(body: bytes | str, content_type: str) -> core.Questions | core.Prompt:
    data = payload.parse_json(body, content_type)
    if ("questions" in data) == ("prompt" in data):
        raise InvalidInput("send either 'questions' (an object) or 'prompt' (a string)")
    image = images.decode_image(data.get("image"))
    max_chars = payload.max_prompt_chars()
    if "prompt" in data:
        return core.Prompt(
            image=image,
            prompt=payload.text(data, "prompt", max_chars=max_chars),
            options=_generation_options(data.get("parameters")),
        )
    questions = _questions(data.get("questions"), max_chars)
    return core.Questions(
        image=image,
        questions=questions,
        choices=_choices(data.get("choices"), questions),
        adapter=_adapter(data.get("adapter")),
        max_new_tokens=payload.integer(
            data, "max_new_tokens", default=core.DEFAULT_MAX_NEW_TOKENS, low=1,
            high=core.MAX_NEW_TOKENS,
        ),
    )


def _questions(value: object, max_chars: int) -> dict[str, str]:
    if not isinstance(value, dict) or not value:
        raise InvalidInput("'questions' must be a non-empty object of name → question")
    if len(value) > core.MAX_QUESTIONS:
        raise InvalidInput(
            f"'questions' has {len(value)} entries; at most {core.MAX_QUESTIONS} are allowed"
        )
    questions: dict[str, str] = {}
    for name, question in value.items():
        if not name.strip() or len(name) > MAX_KEY_CHARS:
            raise InvalidInput(f"question names must be 1-{MAX_KEY_CHARS} characters")
        # Errors name the field as the caller wrote it: 'questions.fabric'.
        questions[name] = payload.text(
            {f"questions.{name}": question}, f"questions.{name}", max_chars=max_chars
        )
    return questions


def _adapter(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput("'adapter' must be a string (an adapter's key)")
    try:
        return check_key(value)
    except AdapterNotFound as exc:
        raise InvalidInput(str(exc)) from exc


def _choices(value: object, questions: dict[str, str]) -> dict[str, tuple[str, ...]]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidInput("'choices' must be an object of question name → allowed answers")
    unknown = sorted(set(value) - set(questions))
    if unknown:
        raise InvalidInput(f"'choices' names no question: {', '.join(unknown)}")
    choices: dict[str, tuple[str, ...]] = {}
    for name, values in value.items():
        if (
            not isinstance(values, list)
            or not 2 <= len(values) <= MAX_CHOICES
            or not all(isinstance(v, str) and 0 < len(v.strip()) <= MAX_CHOICE_CHARS
                       for v in values)
        ):
            raise InvalidInput(
                f"'choices.{name}' must list 2-{MAX_CHOICES} answers of 1-{MAX_CHOICE_CHARS} "
                "characters"
            )
        if len(set(values)) != len(values):
            raise InvalidInput(f"'choices.{name}' lists an answer twice")
        choices[name] = tuple(values)
    if sum(map(len, choices.values())) > MAX_CHOICE_ROWS:
        raise InvalidInput(f"'choices' may hold at most {MAX_CHOICE_ROWS} answers in all")
    return choices


# The ``generate`` options a caller may set, with their bounds; anything else is refused
# rather than passed through to ``generate`` unchecked.
_INT_OPTIONS = {
    "max_new_tokens": (1, core.MAX_NEW_TOKENS),
    "min_new_tokens": (0, core.MAX_NEW_TOKENS),
    "num_beams": (1, 8),
    "top_k": (0, 1000),
    "no_repeat_ngram_size": (0, 16),
}
_FLOAT_OPTIONS = {
    "temperature": (0.01, 5.0),
    "top_p": (0.0, 1.0),
    "repetition_penalty": (0.1, 10.0),
    "length_penalty": (-10.0, 10.0),
}


def _generation_options(value: object) -> dict[str, Any]:
    if value is None:
        return {"max_new_tokens": core.DEFAULT_MAX_NEW_TOKENS}
    if not isinstance(value, dict):
        raise InvalidInput("'parameters' must be an object")
    unknown = set(value) - {*_INT_OPTIONS, *_FLOAT_OPTIONS, "do_sample"}
    if unknown:
        raise InvalidInput(f"unsupported 'parameters': {', '.join(sorted(unknown))}")
    options: dict[str, Any] = {"max_new_tokens": core.DEFAULT_MAX_NEW_TOKENS}
    for key, (low, high) in _INT_OPTIONS.items():
        if key in value:
            options[key] = payload.integer(value, key, default=low, low=low, high=high)
    for key, (flow, fhigh) in _FLOAT_OPTIONS.items():
        if key in value:
            options[key] = payload.number(value, key, default=flow, low=flow, high=fhigh)
    if "do_sample" in value:
        if not isinstance(value["do_sample"], bool):
            raise InvalidInput("'do_sample' must be true or false")
        options["do_sample"] = value["do_sample"]
    return options


def predict_fn(
    data: core.Questions | core.Prompt, model: core.Model
) -> core.Answers | core.Generation:
    if isinstance(data, core.Questions) and data.choices and not model.encoder_decoder:
        raise InvalidInput("'choices' needs a Flan-T5 BLIP-2; this endpoint serves another")
    try:
        return core.predict(model, data)
    except AdapterNotFound as exc:
        raise InvalidInput(str(exc)) from exc


def output_fn(prediction: core.Answers | core.Generation, accept: str | None) -> str:
    payload.check_accept(accept)
    if isinstance(prediction, core.Answers):
        return json.dumps({
            "answers": prediction.answers,
            "confidence": prediction.confidence,
            "scores": prediction.scores,
        })
    return json.dumps({"generated_text": prediction.generated_text})
