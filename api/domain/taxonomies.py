"""Taxonomies: a tenant's attributes with their allowed values (its filters and facets).

``POST /v1/attributes`` with a taxonomy answers each of its attributes with one of the
allowed values only, with a confidence; ``review_threshold`` marks less confident
answers for a person to check.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import datetime


@dataclass(frozen=True, slots=True)
class TaxonomyAttribute:
    values: tuple[str, ...]
    # ``None``: the attribute's tuned default question (``api/services/attributes.py``).
    question: str | None = None


@dataclass(frozen=True, slots=True)
class TaxonomySpec:
    """A taxonomy's content: stored under a name, or passed inline with a request."""

    attributes: dict[str, TaxonomyAttribute]  # in the order answers are listed
    review_threshold: float | None = None

    def body(self) -> dict[str, Any]:
        """As stored (JSON)."""
        return {
            "attributes": {
                name: {"question": a.question, "values": list(a.values)}
                for name, a in self.attributes.items()
            },
            "review_threshold": self.review_threshold,
        }

    @classmethod
    def from_body(cls, body: dict[str, Any]) -> TaxonomySpec:
        return cls(
            attributes={
                name: TaxonomyAttribute(values=tuple(a["values"]), question=a.get("question"))
                for name, a in body["attributes"].items()
            },
            review_threshold=body.get("review_threshold"),
        )


@dataclass(frozen=True, slots=True)
class Taxonomy:
    tenant: str
    name: str
    spec: TaxonomySpec
    created_at: datetime
    updated_at: datetime
