"""BLIP-2 answers restricted to allowed values, and confidences, on the tiny model.

The judge for scoring is the model itself: each value's likelihood is recomputed the
plain way (one teacher-forced ``forward`` per value, image and prompt through the whole
network) and the handler's normalised scores must match it; a hook on the language
model's head then steers the scores, and the answers must follow.
"""

from __future__ import annotations

import json
import math
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pytest
from tiny_helpers import garment_image, png_b64, run

from sagemaker_containers.blip2 import core

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.slow

Handler = tuple[ModuleType, Any]
QUESTIONS = {
    "sleeve_length": "What is the sleeve length of this shirt?",
    "color": "What is the main color of this shirt?",
    "fabric": "What fabric is this shirt made of?",
}
CHOICES = {
    "sleeve_length": ["sleeveless", "short", "three-quarter", "long"],
    "color": ["red", "navy blue", "green", "off white", "black"],
}


def request(**overrides: Any) -> dict[str, Any]:
    return {"image": png_b64(garment_image()), "questions": QUESTIONS, "choices": CHOICES,
            "max_new_tokens": 4, **overrides}


def direct_loglik(model: core.Model, question: str, value: str) -> float:
    """log P(value | image, question): one plain forward over the whole network."""
    import torch

    prompt = core.PROMPT_TEMPLATE.format(question=question)
    inputs = model.processor(images=[garment_image()], text=[prompt], return_tensors="pt")
    labels = model.processor.tokenizer([value], return_tensors="pt").input_ids
    with torch.inference_mode():
        logits = model.network(**inputs, labels=labels).logits
    logp = logits.float().log_softmax(-1).gather(-1, labels.unsqueeze(-1))
    return float(logp.sum())


@pytest.fixture
def steer(blip2: Handler) -> Iterator[Any]:
    """Bias the language model's logits, so the test controls the scores: ``tokens[i]``
    gains ``amount`` at decoder position ``i`` (every position when ``anywhere``)."""
    import torch

    _, model = blip2
    head = model.network.language_model.get_output_embeddings()
    handles = []

    def add(tokens: list[int], amount: float, *, anywhere: bool = False) -> None:
        bias = torch.zeros(len(tokens), head.out_features)
        bias[range(len(tokens)), tokens] = amount

        def hook(_module: Any, _inputs: Any, out: Any) -> Any:
            if anywhere:
                return out + bias.sum(0)
            steps = min(out.shape[1], len(tokens))
            out = out.clone()
            out[:, :steps] += bias[:steps]
            return out

        handles.append(head.register_forward_hook(hook))

    yield add
    for handle in handles:
        handle.remove()


def test_answers_are_allowed_values_and_confidences_sum_to_one(blip2: Handler) -> None:
    handler, model = blip2
    output = run(handler, model, request())
    assert list(output["answers"]) == list(QUESTIONS)
    for name, allowed in CHOICES.items():
        scores = output["scores"][name]
        assert output["answers"][name] in allowed
        assert list(scores) == allowed
        assert math.isclose(sum(scores.values()), 1.0, abs_tol=1e-6)
        assert output["answers"][name] == max(scores, key=scores.__getitem__)
        assert output["confidence"][name] == scores[output["answers"][name]]
    # The free question is answered by generation, with a probability of its own.
    assert "fabric" not in output["scores"]
    assert 0.0 < output["confidence"]["fabric"] <= 1.0


def test_scores_are_the_models_likelihoods(blip2: Handler) -> None:
    # Faked scoring (random, uniform, a generated answer matched to a value) fails here.
    handler, model = blip2
    output = run(handler, model, request())
    for name, allowed in CHOICES.items():
        loglik = {value: direct_loglik(model, QUESTIONS[name], value) for value in allowed}
        top = max(loglik.values())
        total = sum(math.exp(v - top) for v in loglik.values())
        expected = {value: math.exp(v - top) / total for value, v in loglik.items()}
        for value in allowed:
            assert output["scores"][name][value] == pytest.approx(expected[value], abs=1e-4)


def test_answers_follow_the_models_scores(blip2: Handler, steer: Any) -> None:
    handler, model = blip2
    tokenizer = model.processor.tokenizer
    for favoured in ("three-quarter", "short"):
        steer(tokenizer(favoured).input_ids, 30.0)
        output = run(handler, model, request())
        assert output["answers"]["sleeve_length"] == favoured
        assert output["confidence"]["sleeve_length"] > 0.99
        steer(tokenizer(favoured).input_ids, -30.0)  # undo, for the next value


def test_every_value_scored_in_one_pass(blip2: Handler, monkeypatch: pytest.MonkeyPatch) -> None:
    handler, model = blip2
    language = model.network.language_model
    calls: list[int] = []
    images: list[int] = []
    forward, features = language.forward, model.network.get_image_features

    def counting_forward(**kwargs: Any) -> Any:
        calls.append(kwargs["labels"].shape[0])
        return forward(**kwargs)

    def counting_features(pixels: Any, **kwargs: Any) -> Any:
        images.append(pixels.shape[0])
        return features(pixels, **kwargs)

    monkeypatch.setattr(language, "forward", counting_forward)
    monkeypatch.setattr(model.network, "get_image_features", counting_features)
    run(handler, model, request(questions={k: QUESTIONS[k] for k in CHOICES}))
    assert calls == [sum(map(len, CHOICES.values()))]
    assert images == [1]  # the image is encoded once, not once per value


def test_free_confidence_is_the_generated_answers_probability(blip2: Handler) -> None:
    import torch

    handler, model = blip2
    question = {"fabric": QUESTIONS["fabric"]}
    output = run(handler, model, request(questions=question, choices=None, max_new_tokens=6))
    # Judge: the greedy tokens, re-scored teacher-forced up to end-of-sequence.
    prompt = core.PROMPT_TEMPLATE.format(question=QUESTIONS["fabric"])
    inputs = model.processor(images=[garment_image()], text=[prompt], return_tensors="pt")
    with torch.inference_mode():
        tokens = model.network.generate(**inputs, max_new_tokens=6)[:, 1:]
        eos = model.processor.tokenizer.eos_token_id
        ends = (tokens[0] == eos).nonzero()
        tokens = tokens[:, : int(ends[0]) + 1] if len(ends) else tokens
        logits = model.network(**inputs, labels=tokens).logits
    loglik = float(logits.float().log_softmax(-1).gather(-1, tokens.unsqueeze(-1)).sum())
    assert output["confidence"]["fabric"] == pytest.approx(math.exp(loglik), rel=1e-3)


def test_end_of_sequence_forced_gives_confidence_one(blip2: Handler, steer: Any) -> None:
    handler, model = blip2
    steer([model.processor.tokenizer.eos_token_id], 50.0, anywhere=True)
    output = run(handler, model, request(choices=None))
    for name in QUESTIONS:
        assert output["answers"][name] == ""
        assert output["confidence"][name] == pytest.approx(1.0, abs=1e-6)


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ([], "'choices' must be an object"),
        ({"neckline": ["v", "round"]}, "names no question: neckline"),
        ({"color": ["red"]}, "must list 2-64 answers"),
        ({"color": ["red", ""]}, "must list 2-64 answers"),
        ({"color": ["red", 3]}, "must list 2-64 answers"),
        ({"color": ["red", "x" * 81]}, "must list 2-64 answers"),
        ({"color": ["red", "red"]}, "lists an answer twice"),
        ({"color": [f"c{i}" for i in range(65)]}, "must list 2-64 answers"),
    ],
)
def test_bad_choices_are_invalid_input(blip2: Handler, choices: Any, message: str) -> None:
    handler, _ = blip2
    with pytest.raises(ValueError, match=message):
        handler.input_fn(json.dumps(request(choices=choices)), "application/json")
