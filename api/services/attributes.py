"""Attributes: every question about one image answered in a single BLIP-2 call."""

from __future__ import annotations

from typing import TYPE_CHECKING

from api.domain.errors import ModelInvocationFailed
from api.services.model_inputs import for_model
from api.services.outputs import expect

if TYPE_CHECKING:
    from collections.abc import Sequence

    from api.domain.commands import AttributesCommand
    from api.domain.results import Attributes
    from api.ports import ModelRuntime
    from api.services.images import ImageLoader

MODEL = "blip2"
PRODUCT_TYPE_QUESTION = "What type of clothing item is this?"
_MAX_ANSWER_CHARS = 100
QUESTIONS: dict[str, str] = {
    "fabric": "What fabric is this {product} made of?",
    "material": "What material is this {product} made of?",
    "fit": "What is the fit of this {product}?",
    "collar": "What type of collar does this {product} have?",
    "pattern": "What is the pattern of this {product}?",
    "sleeve_length": "What is the sleeve length of this {product}?",
    "color": "What is the main color of this {product}?",
    "neckline": "What is the neckline of this {product}?",
    "closure": "What type of closure does this {product} have?",
    "length": "What is the length of this {product}?",
    "style": "What is the style of this {product}?",
    "occasion": "For what occasion is this {product} suited?",
}
_TOPS = ("fabric", "fit", "collar", "pattern", "sleeve_length", "color", "closure")
_BOTTOMS = ("fabric", "fit", "pattern", "color", "length", "closure", "style")
DEFAULTS: dict[str, tuple[str, ...]] = {
    "shirt": _TOPS,
    "blouse": _TOPS,
    "t-shirt": ("fabric", "fit", "neckline", "pattern", "sleeve_length", "color"),
    "sweater": ("fabric", "fit", "neckline", "pattern", "sleeve_length", "color"),
    "dress": ("fabric", "fit", "neckline", "pattern", "sleeve_length", "length", "color", "style"),
    "skirt": ("fabric", "pattern", "length", "color", "style"),
    "pants": _BOTTOMS,
    "trousers": _BOTTOMS,
    "jeans": _BOTTOMS,
    "shorts": _BOTTOMS,
    "jacket": ("fabric", "fit", "collar", "closure", "length", "color", "style"),
    "coat": ("fabric", "fit", "collar", "closure", "length", "color", "style"),
    "shoes": ("material", "color", "closure", "style", "occasion"),
}
GENERIC = ("fabric", "pattern", "color", "style")


def default_attributes(product_type: str | None) -> tuple[str, ...]:
    if product_type is None:
        return GENERIC
    key = product_type.lower().strip()
    return DEFAULTS.get(key) or DEFAULTS.get(key.removesuffix("s")) or GENERIC


def questions_for(product_type: str | None, names: Sequence[str] | None) -> dict[str, str]:
    """One question per attribute (known names have tuned wording), in request order."""
    product = (product_type or "garment").lower()
    chosen = dict.fromkeys(names or default_attributes(product_type))
    return {
        name: QUESTIONS.get(name, "What is the {name} of this {product}?").format(
            product=product, name=name.replace("_", " ")
        )
        for name in chosen
    }


class ExtractAttributes:
    """``POST /v1/attributes``: every question about one image in a single BLIP-2 call."""

    def __init__(self, *, runtime: ModelRuntime, images: ImageLoader) -> None:
        self._runtime = runtime
        self._images = images

    def __call__(self, tenant: str, req: AttributesCommand) -> Attributes:
        from api.domain.results import Attributes

        image = self._images.load(tenant, req.image)
        questions = questions_for(req.product_type, req.attributes)
        asked = dict(questions)
        if req.product_type is None:
            asked["product_type"] = PRODUCT_TYPE_QUESTION
        # Downscaled to the model's working size: InvokeEndpoint bodies stop at 6 MB.
        sent = for_model(image.data)
        out = self._runtime.invoke(MODEL, {"image": sent.b64(), "questions": asked})
        answers = expect(out, "answers", dict, model=MODEL)
        missing = [name for name in asked if not isinstance(answers.get(name), str)]
        if missing:
            raise ModelInvocationFailed(f"{MODEL} gave no answer for {', '.join(missing)}")
        product_type = req.product_type or _clean(answers["product_type"]) or "garment"
        return Attributes(
            attributes={name: _clean(answers[name]) for name in questions},
            product_type=product_type,
            model=MODEL,
        )


def _clean(answer: str) -> str:
    return " ".join(answer.split())[:_MAX_ANSWER_CHARS]
