from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.training_row_in import TrainingRowIn


T = TypeVar("T", bound="AttributeModelCreate")


@_attrs_define
class AttributeModelCreate:
    """
    Attributes:
        name (str):
        csv (None | str | Unset): CSV text with a header: image (or upload_id, or the AWS sample's id: upload ids),
            answer, and question and/or attribute.
        rows (list[TrainingRowIn] | None | Unset):
        taxonomy (None | str | Unset): A stored taxonomy: rows may name just the attribute, and answers must be its
            allowed values.
        product_type (None | str | Unset): Names the product in the standard questions ('this shirt'): train with the
            product_type you will ask with.
        callback_url (None | str | Unset): HTTPS URL that receives a signed POST when training ends.
    """

    name: str
    csv: None | str | Unset = UNSET
    rows: list[TrainingRowIn] | None | Unset = UNSET
    taxonomy: None | str | Unset = UNSET
    product_type: None | str | Unset = UNSET
    callback_url: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        csv: None | str | Unset
        if isinstance(self.csv, Unset):
            csv = UNSET
        else:
            csv = self.csv

        rows: list[dict[str, Any]] | None | Unset
        if isinstance(self.rows, Unset):
            rows = UNSET
        elif isinstance(self.rows, list):
            rows = []
            for rows_type_0_item_data in self.rows:
                rows_type_0_item = rows_type_0_item_data.to_dict()
                rows.append(rows_type_0_item)

        else:
            rows = self.rows

        taxonomy: None | str | Unset
        if isinstance(self.taxonomy, Unset):
            taxonomy = UNSET
        else:
            taxonomy = self.taxonomy

        product_type: None | str | Unset
        if isinstance(self.product_type, Unset):
            product_type = UNSET
        else:
            product_type = self.product_type

        callback_url: None | str | Unset
        if isinstance(self.callback_url, Unset):
            callback_url = UNSET
        else:
            callback_url = self.callback_url

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
            }
        )
        if csv is not UNSET:
            field_dict["csv"] = csv
        if rows is not UNSET:
            field_dict["rows"] = rows
        if taxonomy is not UNSET:
            field_dict["taxonomy"] = taxonomy
        if product_type is not UNSET:
            field_dict["product_type"] = product_type
        if callback_url is not UNSET:
            field_dict["callback_url"] = callback_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.training_row_in import TrainingRowIn  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        def _parse_csv(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        csv = _parse_csv(d.pop("csv", UNSET))

        def _parse_rows(data: object) -> list[TrainingRowIn] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                rows_type_0 = []
                _rows_type_0 = data
                for rows_type_0_item_data in _rows_type_0:
                    rows_type_0_item = TrainingRowIn.from_dict(rows_type_0_item_data)

                    rows_type_0.append(rows_type_0_item)

                return rows_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[TrainingRowIn] | None | Unset, data)

        rows = _parse_rows(d.pop("rows", UNSET))

        def _parse_taxonomy(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        taxonomy = _parse_taxonomy(d.pop("taxonomy", UNSET))

        def _parse_product_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        product_type = _parse_product_type(d.pop("product_type", UNSET))

        def _parse_callback_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        callback_url = _parse_callback_url(d.pop("callback_url", UNSET))

        attribute_model_create = cls(
            name=name,
            csv=csv,
            rows=rows,
            taxonomy=taxonomy,
            product_type=product_type,
            callback_url=callback_url,
        )

        return attribute_model_create
