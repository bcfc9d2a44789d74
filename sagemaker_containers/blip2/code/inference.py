"""BLIP-2 handler: the SageMaker inference-toolkit contract over ``core``.

Two request shapes: ``{"image", "questions", "max_new_tokens"?}`` → ``{"answers"}``
(all questions in one batched ``generate``), and the AWS sample's
``{"image", "prompt", "parameters"?}`` → ``{"generated_text"}``.

How the image finds it, and why bad input is ``InvalidInput`` (400) while anything else is
a 500: ``sagemaker_containers/README.md``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sagemaker_containers.blip2 import core
from sagemaker_containers.common import images, payload
from sagemaker_containers.common.errors import InvalidInput

MAX_KEY_CHARS = 64


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
    return core.Questions(
        image=image,
        questions=_questions(data.get("questions"), max_chars),
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
    return core.predict(model, data)


def output_fn(prediction: core.Answers | core.Generation, accept: str | None) -> str:
    payload.check_accept(accept)
    if isinstance(prediction, core.Answers):
        return json.dumps({"answers": prediction.answers})
    return json.dumps({"generated_text": prediction.generated_text})
