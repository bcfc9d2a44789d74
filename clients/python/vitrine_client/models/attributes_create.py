from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.image_in import ImageIn
    from ..models.taxonomy_in import TaxonomyIn


T = TypeVar("T", bound="AttributesCreate")


@_attrs_define
class AttributesCreate:
    """
    Attributes:
        image (ImageIn): An image: inline base64 (small) or the id of an upload (up to the upload limit).
        product_type (None | str | Unset): e.g. 'shirt'; asked of the model when omitted.
        attributes (list[str] | None | Unset): Names such as fabric, fit, collar (default: the taxonomy's, else a set
            per product type).
        taxonomy (None | str | TaxonomyIn | Unset): A stored taxonomy's name, or one inline: answers are then only its
            allowed values, each with a confidence normalised over them.
        review_threshold (float | None | Unset): Answers less confident than this get needs_review: true (default: the
            taxonomy's threshold; none: nothing is marked).
        model_id (None | str | Unset): A ready attribute model (POST /v1/attribute-models): its fine-tuned adapter
            answers instead of the base model.
    """

    image: ImageIn
    product_type: None | str | Unset = UNSET
    attributes: list[str] | None | Unset = UNSET
    taxonomy: None | str | TaxonomyIn | Unset = UNSET
    review_threshold: float | None | Unset = UNSET
    model_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.taxonomy_in import TaxonomyIn  # noqa: PLC0415

        image = self.image.to_dict()

        product_type: None | str | Unset
        if isinstance(self.product_type, Unset):
            product_type = UNSET
        else:
            product_type = self.product_type

        attributes: list[str] | None | Unset
        if isinstance(self.attributes, Unset):
            attributes = UNSET
        elif isinstance(self.attributes, list):
            attributes = self.attributes

        else:
            attributes = self.attributes

        taxonomy: dict[str, Any] | None | str | Unset
        if isinstance(self.taxonomy, Unset):
            taxonomy = UNSET
        elif isinstance(self.taxonomy, TaxonomyIn):
            taxonomy = self.taxonomy.to_dict()
        else:
            taxonomy = self.taxonomy

        review_threshold: float | None | Unset
        if isinstance(self.review_threshold, Unset):
            review_threshold = UNSET
        else:
            review_threshold = self.review_threshold

        model_id: None | str | Unset
        if isinstance(self.model_id, Unset):
            model_id = UNSET
        else:
            model_id = self.model_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "image": image,
            }
        )
        if product_type is not UNSET:
            field_dict["product_type"] = product_type
        if attributes is not UNSET:
            field_dict["attributes"] = attributes
        if taxonomy is not UNSET:
            field_dict["taxonomy"] = taxonomy
        if review_threshold is not UNSET:
            field_dict["review_threshold"] = review_threshold
        if model_id is not UNSET:
            field_dict["model_id"] = model_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.image_in import ImageIn  # noqa: PLC0415
        from ..models.taxonomy_in import TaxonomyIn  # noqa: PLC0415

        d = dict(src_dict)
        image = ImageIn.from_dict(d.pop("image"))

        def _parse_product_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        product_type = _parse_product_type(d.pop("product_type", UNSET))

        def _parse_attributes(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                attributes_type_0 = cast(list[str], data)

                return attributes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        attributes = _parse_attributes(d.pop("attributes", UNSET))

        def _parse_taxonomy(data: object) -> None | str | TaxonomyIn | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                taxonomy_type_1 = TaxonomyIn.from_dict(data)

                return taxonomy_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | str | TaxonomyIn | Unset, data)

        taxonomy = _parse_taxonomy(d.pop("taxonomy", UNSET))

        def _parse_review_threshold(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        review_threshold = _parse_review_threshold(d.pop("review_threshold", UNSET))

        def _parse_model_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        model_id = _parse_model_id(d.pop("model_id", UNSET))

        attributes_create = cls(
            image=image,
            product_type=product_type,
            attributes=attributes,
            taxonomy=taxonomy,
            review_threshold=review_threshold,
            model_id=model_id,
        )

        return attributes_create
