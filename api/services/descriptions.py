"""Descriptions: product copy from attributes, through the configured copywriter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from api.ports import ProductBrief
from api.schemas.descriptions import DescriptionPublic
from api.services.prompts import moderate_text

if TYPE_CHECKING:
    from api.bootstrap import Container
    from api.schemas.descriptions import CopyOptions


def write_description(
    container: Container, product_type: str, attributes: dict[str, str], options: CopyOptions
) -> DescriptionPublic:
    """Moderate the client's text, then have the copywriter write (values are data)."""
    for field, text in (("product_type", product_type), ("brand", options.brand or "")):
        if text:
            moderate_text(container, text, field=field)
    for name, value in attributes.items():
        moderate_text(container, value, field=f"attributes.{name}")
    copy = container.copywriter.write(
        ProductBrief(
            product_type=product_type,
            attributes=dict(attributes),
            tone=options.tone,
            language=options.language,
            length=options.length,
            brand=options.brand,
        )
    )
    return DescriptionPublic(
        title=copy.title,
        description=copy.description,
        bullets=list(copy.bullets),
        keywords=list(copy.keywords),
        model=copy.model,
    )
