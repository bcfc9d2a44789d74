"""Products: attributes from the image, then copy from those attributes."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from api.domain.commands import AttributesCommand, CopyStyle
    from api.domain.results import ProductDescription
    from api.services.attributes import ExtractAttributes
    from api.services.descriptions import WriteDescription


class DescribeProduct:
    """``POST /v1/products/describe``: image → attributes → copy, in one call."""

    def __init__(self, *, attributes: ExtractAttributes, describe: WriteDescription) -> None:
        self._attributes = attributes
        self._describe = describe

    def __call__(
        self, tenant: str, req: AttributesCommand, style: CopyStyle
    ) -> ProductDescription:
        from api.domain.results import ProductDescription

        found = self._attributes(tenant, req)
        # Only confident answers reach the copy; the rest wait for a person (needs_review).
        # Model answers are data like any client value; empty ones would only add noise.
        known = found.confident
        return ProductDescription(
            attributes=found,
            copy=self._describe(found.product_type, known, style),
            used=list(known),
            held_back=[name for name, a in found.answers.items() if a.needs_review],
        )
