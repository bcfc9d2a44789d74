"""Descriptions: product copy from attributes, through the configured copywriter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from api.ports import ProductBrief

if TYPE_CHECKING:
    from api.domain.commands import CopyStyle
    from api.ports import Copywriter, ProductCopy
    from api.services.prompts import PromptGate


class WriteDescription:
    """``POST /v1/descriptions``: moderate the client's text, then have the copywriter
    write (attribute values are data, never instructions)."""

    def __init__(self, *, copywriter: Copywriter, prompts: PromptGate) -> None:
        self._copywriter = copywriter
        self._prompts = prompts

    def __call__(
        self, product_type: str, attributes: dict[str, str], style: CopyStyle
    ) -> ProductCopy:
        for field, text in (("product_type", product_type), ("brand", style.brand or "")):
            if text:
                self._prompts.moderate(text, field=field)
        for name, value in attributes.items():
            self._prompts.moderate(value, field=f"attributes.{name}")
        return self._copywriter.write(
            ProductBrief(
                product_type=product_type,
                attributes=dict(attributes),
                tone=style.tone,
                language=style.language,
                length=style.length,
                brand=style.brand,
            )
        )
