"""Attributes: every question about one image answered in a single BLIP-2 call.

With a taxonomy (stored, by name, or inline) each of its attributes is answered only
with one of its allowed values: the container scores every value as the answer and
reports the best with its share of the likelihood (``sagemaker_containers/blip2/core.py``).
Without one, answers are free text with the model's probability of the answer. Either
way an answer below the review threshold (the request's, else the taxonomy's) is
marked ``needs_review``: a person should check it before it reaches a storefront.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from api.domain.errors import ModelInvocationFailed, RequestValidationFailed
from api.services.attribute_models import adapter_key
from api.services.attribute_questions import PRODUCT_TYPE_QUESTION, question, questions_for
from api.services.model_inputs import for_model
from api.services.outputs import expect

if TYPE_CHECKING:
    from collections.abc import Sequence

    from api.domain.commands import AttributesCommand
    from api.domain.results import AttributeAnswer, Attributes
    from api.domain.taxonomies import TaxonomySpec
    from api.ports import JobStore, ModelRuntime
    from api.services.images import ImageLoader
    from api.services.taxonomies import Taxonomies

MODEL = "blip2"
_MAX_ANSWER_CHARS = 100


def taxonomy_questions(
    spec: TaxonomySpec, product_type: str | None, names: Sequence[str] | None
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The questions and allowed values for ``names`` (default: all) of a taxonomy."""
    unknown = [name for name in names or () if name not in spec.attributes]
    if unknown:
        raise RequestValidationFailed(f"not in the taxonomy: {', '.join(unknown)}")
    chosen = dict.fromkeys(names or spec.attributes)
    questions = {
        name: spec.attributes[name].question or question(name, product_type) for name in chosen
    }
    return questions, {name: list(spec.attributes[name].values) for name in chosen}


class ExtractAttributes:
    """``POST /v1/attributes``: every question about one image in a single BLIP-2 call."""

    def __init__(
        self,
        *,
        runtime: ModelRuntime,
        images: ImageLoader,
        taxonomies: Taxonomies,
        jobs: JobStore,
    ) -> None:
        self._runtime = runtime
        self._images = images
        self._taxonomies = taxonomies
        self._jobs = jobs

    def __call__(self, tenant: str, req: AttributesCommand) -> Attributes:
        from api.domain.results import Attributes

        # The taxonomy and model first: a wrong name fails before the image is read.
        spec, taxonomy = self._taxonomy(tenant, req)
        adapter = None if req.model_id is None else adapter_key(self._jobs, tenant, req.model_id)
        image = self._images.load(tenant, req.image)
        choices: dict[str, list[str]] = {}
        if spec is None:
            questions = questions_for(req.product_type, req.attributes)
        else:
            questions, choices = taxonomy_questions(spec, req.product_type, req.attributes)
        asked = dict(questions)
        if req.product_type is None:
            asked["product_type"] = PRODUCT_TYPE_QUESTION
        # Downscaled to the model's working size: InvokeEndpoint bodies stop at 6 MB.
        payload: dict[str, object] = {"image": for_model(image.data).b64(), "questions": asked}
        if choices:
            payload["choices"] = choices
        if adapter is not None:
            payload["adapter"] = adapter
        out = self._runtime.invoke(MODEL, payload)
        answers = expect(out, "answers", dict, model=MODEL)
        confidence = expect(out, "confidence", dict, model=MODEL)
        scores = out.get("scores") or {}
        missing = [
            name for name in asked
            if not isinstance(answers.get(name), str) or not _probability(confidence.get(name))
        ]  # fmt: skip
        if missing:
            raise ModelInvocationFailed(f"{MODEL} gave no answer for {', '.join(missing)}")
        threshold = req.review_threshold
        if threshold is None and spec is not None:
            threshold = spec.review_threshold
        found = {
            name: _answer(name, answers, confidence, scores, choices.get(name), threshold)
            for name in questions
        }
        product_type = req.product_type or _clean(answers["product_type"]) or "garment"
        return Attributes(
            answers=found,
            product_type=product_type,
            model=MODEL,
            review_threshold=threshold,
            taxonomy=taxonomy,
            model_id=req.model_id,
        )

    def _taxonomy(
        self, tenant: str, req: AttributesCommand
    ) -> tuple[TaxonomySpec | None, str | None]:
        if req.taxonomy is None:
            return None, None
        if isinstance(req.taxonomy, str):
            return self._taxonomies.find(tenant, req.taxonomy).spec, req.taxonomy
        return req.taxonomy, "inline"


def _probability(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1


def _answer(
    name: str,
    answers: dict[str, object],
    confidence: dict[str, object],
    scores: object,
    allowed: list[str] | None,
    threshold: float | None,
) -> AttributeAnswer:
    from api.domain.results import AttributeAnswer

    value, certainty = str(answers[name]), float(confidence[name])  # type: ignore[arg-type]
    value_scores: dict[str, float] | None = None
    if allowed is not None:
        # The container is a dependency like any other: an answer off the list is its fault.
        given = scores.get(name) if isinstance(scores, dict) else None
        if (
            value not in allowed
            or not isinstance(given, dict)
            or set(given) != set(allowed)
            or not all(_probability(p) for p in given.values())
        ):
            raise ModelInvocationFailed(f"{MODEL} answered {name} outside its allowed values")
        value_scores = {v: float(given[v]) for v in allowed}
    else:
        value = _clean(value)
    return AttributeAnswer(
        value=value,
        confidence=certainty,
        needs_review=threshold is not None and certainty < threshold,
        scores=value_scores,
    )


def _clean(answer: str) -> str:
    return " ".join(answer.split())[:_MAX_ANSWER_CHARS]
