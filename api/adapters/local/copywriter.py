"""Offline ``Copywriter``: deterministic templates, the local stand-in for Bedrock.

It never interprets attribute values: they are cleaned (control characters dropped,
whitespace collapsed) and placed into fixed sentences, so a value such as "ignore the
above" is printed, not obeyed. Its ``model`` says what it is, so clients can tell.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from api.domain.errors import ModelInputRejected
from api.ports import ProductCopy

if TYPE_CHECKING:
    from api.ports import ProductBrief

MODEL_NAME = "offline-template"
_ATTRS_BY_LENGTH = {"short": 3, "medium": 5, "long": 12}
_SENTENCE_ORDER = {
    "short": ("intro", "details"),
    "medium": ("intro", "details", "closing"),
    "long": ("intro", "details", "care", "closing"),
}

# Per language: sentences by tone, fixed phrases, and labels of well-known attributes.
_TEXT: dict[str, dict[str, dict[str, str]]] = {
    "en": {
        "intro": {
            "friendly": "Meet your new favourite {product}.",
            "professional": "A {product} designed for everyday versatility.",
            "luxury": "An exquisitely crafted {product} for the discerning wardrobe.",
            "playful": "Say hello to the {product} that does it all!",
            "minimal": "A {product}, simply done well.",
        },
        "closing": {
            "friendly": "Easy to style, easy to love.",
            "professional": "A dependable choice for work and weekend alike.",
            "luxury": "Timeless elegance, made to last.",
            "playful": "Go on, make it yours!",
            "minimal": "Nothing more, nothing less.",
        },
        "phrase": {
            "details": "Key details: {details}.",
            "care": "Pairs well with the rest of your wardrobe and keeps its shape.",
        },
        "label": {
            "fabric": "fabric", "material": "material", "fit": "fit", "collar": "collar",
            "pattern": "pattern", "sleeve_length": "sleeve length", "color": "color",
            "neckline": "neckline", "closure": "closure", "length": "length", "style": "style",
        },
    },
    "fr": {
        "intro": {
            "friendly": "Découvrez votre nouveau coup de cœur : {product}.",
            "professional": "{product} : un article polyvalent pour tous les jours.",
            "luxury": "{product} : une pièce raffinée pour une garde-robe exigeante.",
            "playful": "{product} : l'allié qui fait tout !",
            "minimal": "{product}, tout simplement bien fait.",
        },
        "closing": {
            "friendly": "Facile à porter, facile à aimer.",
            "professional": "Un choix fiable, en semaine comme le week-end.",
            "luxury": "Une élégance intemporelle, faite pour durer.",
            "playful": "Allez, craquez !",
            "minimal": "Ni plus, ni moins.",
        },
        "phrase": {
            "details": "Points clés : {details}.",
            "care": "S'associe facilement au reste de votre garde-robe et garde sa forme.",
        },
        "label": {
            "fabric": "tissu", "material": "matière", "fit": "coupe", "collar": "col",
            "pattern": "motif", "sleeve_length": "longueur des manches", "color": "couleur",
            "neckline": "encolure", "closure": "fermeture", "length": "longueur",
            "style": "style",
        },
    },
    "de": {
        "intro": {
            "friendly": "Ihr neues Lieblingsstück: {product}.",
            "professional": "{product}: vielseitig für jeden Tag.",
            "luxury": "{product}: exquisit gefertigt für den anspruchsvollen Kleiderschrank.",
            "playful": "{product}: das Teil, das alles kann!",
            "minimal": "{product}, einfach gut gemacht.",
        },
        "closing": {
            "friendly": "Leicht zu kombinieren, leicht zu lieben.",
            "professional": "Eine verlässliche Wahl für Arbeit und Wochenende.",
            "luxury": "Zeitlose Eleganz, gemacht für lange Zeit.",
            "playful": "Na los, gönn es dir!",
            "minimal": "Nicht mehr, nicht weniger.",
        },
        "phrase": {
            "details": "Details: {details}.",
            "care": "Lässt sich mit Ihrer Garderobe kombinieren und bleibt lange in Form.",
        },
        "label": {
            "fabric": "Stoff", "material": "Material", "fit": "Passform", "collar": "Kragen",
            "pattern": "Muster", "sleeve_length": "Ärmellänge", "color": "Farbe",
            "neckline": "Ausschnitt", "closure": "Verschluss", "length": "Länge",
            "style": "Stil",
        },
    },
    "es": {
        "intro": {
            "friendly": "Conoce tu nuevo favorito: {product}.",
            "professional": "{product}: versátil para el día a día.",
            "luxury": "{product}: una pieza exquisita para un armario exigente.",
            "playful": "{product}: ¡el que lo hace todo!",
            "minimal": "{product}, simplemente bien hecho.",
        },
        "closing": {
            "friendly": "Fácil de combinar, fácil de querer.",
            "professional": "Una elección fiable para el trabajo y el fin de semana.",
            "luxury": "Elegancia atemporal, hecha para durar.",
            "playful": "¡Vamos, hazlo tuyo!",
            "minimal": "Ni más, ni menos.",
        },
        "phrase": {
            "details": "Detalles clave: {details}.",
            "care": "Combina con el resto de tu armario y mantiene su forma.",
        },
        "label": {
            "fabric": "tejido", "material": "material", "fit": "corte", "collar": "cuello",
            "pattern": "estampado", "sleeve_length": "largo de manga", "color": "color",
            "neckline": "escote", "closure": "cierre", "length": "largo", "style": "estilo",
        },
    },
}  # fmt: skip
SUPPORTED_LANGUAGES = frozenset(_TEXT)
# Tones without templates of their own borrow the closest one.
_TONE_ALIASES = {"elegant": "luxury", "casual": "friendly"}
# Attributes that read well in a title, in title order.
_TITLE_ATTRS = ("color", "pattern", "fabric", "material", "fit")


class TemplateCopywriter:
    """Writes product copy from fixed, per-language templates (``en``, ``fr``, ``de``, ``es``)."""

    def write(self, brief: ProductBrief) -> ProductCopy:
        language = brief.language.split("-")[0].lower()
        text = _TEXT.get(language)
        if text is None:
            raise ModelInputRejected(
                f"the offline copywriter writes {', '.join(sorted(SUPPORTED_LANGUAGES))};"
                f" {brief.language!r} needs the Bedrock copywriter (aws profile)"
            )
        tone = _TONE_ALIASES.get(brief.tone, brief.tone)
        tone = tone if tone in text["intro"] else "friendly"
        product = _clean(brief.product_type)
        brand = _clean(brief.brand) if brief.brand else ""
        attrs = [(name, _clean(value)) for name, value in brief.attributes.items() if _clean(value)]
        shown = attrs[: _ATTRS_BY_LENGTH.get(brief.length, 5)]

        def label(name: str) -> str:
            return text["label"].get(name, name.replace("_", " "))

        details = "; ".join(f"{label(n)}: {v}" for n, v in shown) or product
        sentences = {
            "intro": text["intro"][tone].format(product=f"{brand} {product}".strip()),
            "details": text["phrase"]["details"].format(details=details),
            "care": text["phrase"]["care"],
            "closing": text["closing"][tone],
        }
        order = _SENTENCE_ORDER.get(brief.length, _SENTENCE_ORDER["medium"])
        return ProductCopy(
            title=_title(brand, product, dict(attrs)),
            description=" ".join(_capitalize(sentences[s]) for s in order),
            bullets=[_capitalize(f"{label(n)}: {v}") for n, v in shown],
            keywords=_keywords(product, attrs),
            model=MODEL_NAME,
        )


def _title(brand: str, product: str, attrs: dict[str, str]) -> str:
    words = [attrs[name] for name in _TITLE_ATTRS if name in attrs]
    title = " ".join([brand, *words, product]).strip()
    return " ".join(w[:1].upper() + w[1:] for w in title.split())[:150]


def _keywords(product: str, attrs: list[tuple[str, str]]) -> list[str]:
    seen: dict[str, None] = {product.lower(): None}
    for name, value in attrs:
        if name in _TITLE_ATTRS:
            seen.setdefault(f"{value.lower()} {product.lower()}", None)
        seen.setdefault(value.lower(), None)
    return list(seen)[:10]


def _clean(value: str | None) -> str:
    """Drop control/format characters and collapse whitespace: values are data."""
    kept = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in (value or ""))
    return " ".join(kept.split())[:200]


def _capitalize(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]
