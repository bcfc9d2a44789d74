"""The question asked of BLIP-2 per attribute, and the default attributes per product type."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

PRODUCT_TYPE_QUESTION = "What type of clothing item is this?"
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


def question(name: str, product_type: str | None) -> str:
    """The attribute's question (known names have tuned wording)."""
    product = (product_type or "garment").lower()
    return QUESTIONS.get(name, "What is the {name} of this {product}?").format(
        product=product, name=name.replace("_", " ")
    )


def questions_for(product_type: str | None, names: Sequence[str] | None) -> dict[str, str]:
    """One question per attribute, in request order."""
    chosen = dict.fromkeys(names or default_attributes(product_type))
    return {name: question(name, product_type) for name in chosen}
