from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.attribute_batch_item_public import AttributeBatchItemPublic


T = TypeVar("T", bound="AttributeBatchResult")


@_attrs_define
class AttributeBatchResult:
    """An attribute job's result: answers per image, in request order.

    Attributes:
        items (list[AttributeBatchItemPublic]):
        succeeded (int):
        failed (int):
        needing_review (int): Images with an answer below the threshold.
        taxonomy (None | str | Unset):
        model_id (None | str | Unset):
    """

    items: list[AttributeBatchItemPublic]
    succeeded: int
    failed: int
    needing_review: int
    taxonomy: None | str | Unset = UNSET
    model_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        succeeded = self.succeeded

        failed = self.failed

        needing_review = self.needing_review

        taxonomy: None | str | Unset
        if isinstance(self.taxonomy, Unset):
            taxonomy = UNSET
        else:
            taxonomy = self.taxonomy

        model_id: None | str | Unset
        if isinstance(self.model_id, Unset):
            model_id = UNSET
        else:
            model_id = self.model_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "items": items,
                "succeeded": succeeded,
                "failed": failed,
                "needing_review": needing_review,
            }
        )
        if taxonomy is not UNSET:
            field_dict["taxonomy"] = taxonomy
        if model_id is not UNSET:
            field_dict["model_id"] = model_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attribute_batch_item_public import AttributeBatchItemPublic  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = AttributeBatchItemPublic.from_dict(items_item_data)

            items.append(items_item)

        succeeded = d.pop("succeeded")

        failed = d.pop("failed")

        needing_review = d.pop("needing_review")

        def _parse_taxonomy(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        taxonomy = _parse_taxonomy(d.pop("taxonomy", UNSET))

        def _parse_model_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        model_id = _parse_model_id(d.pop("model_id", UNSET))

        attribute_batch_result = cls(
            items=items,
            succeeded=succeeded,
            failed=failed,
            needing_review=needing_review,
            taxonomy=taxonomy,
            model_id=model_id,
        )

        attribute_batch_result.additional_properties = d
        return attribute_batch_result

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
