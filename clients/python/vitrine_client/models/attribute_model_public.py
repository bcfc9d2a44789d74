from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.attribute_model_public_status import AttributeModelPublicStatus, check_attribute_model_public_status

if TYPE_CHECKING:
    from ..models.attribute_model_public_links import AttributeModelPublicLinks
    from ..models.attribute_model_result import AttributeModelResult
    from ..models.attribute_training_public import AttributeTrainingPublic
    from ..models.job_error_public import JobErrorPublic


T = TypeVar("T", bound="AttributeModelPublic")


@_attrs_define
class AttributeModelPublic:
    """
    Attributes:
        id (str):
        name (str):
        status (AttributeModelPublicStatus):
        rows (int):
        images (int):
        attributes (list[str]):
        taxonomy (None | str):
        product_type (None | str):
        training (AttributeTrainingPublic):
        result (AttributeModelResult | None):
        error (JobErrorPublic | None):
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
        links (AttributeModelPublicLinks):
    """

    id: str
    name: str
    status: AttributeModelPublicStatus
    rows: int
    images: int
    attributes: list[str]
    taxonomy: None | str
    product_type: None | str
    training: AttributeTrainingPublic
    result: AttributeModelResult | None
    error: JobErrorPublic | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    links: AttributeModelPublicLinks
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.attribute_model_result import AttributeModelResult  # noqa: PLC0415
        from ..models.job_error_public import JobErrorPublic  # noqa: PLC0415

        id = self.id

        name = self.name

        status: str = self.status

        rows = self.rows

        images = self.images

        attributes = self.attributes

        taxonomy: None | str
        taxonomy = self.taxonomy

        product_type: None | str
        product_type = self.product_type

        training = self.training.to_dict()

        result: dict[str, Any] | None
        if isinstance(self.result, AttributeModelResult):
            result = self.result.to_dict()
        else:
            result = self.result

        error: dict[str, Any] | None
        if isinstance(self.error, JobErrorPublic):
            error = self.error.to_dict()
        else:
            error = self.error

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        links = self.links.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "name": name,
                "status": status,
                "rows": rows,
                "images": images,
                "attributes": attributes,
                "taxonomy": taxonomy,
                "product_type": product_type,
                "training": training,
                "result": result,
                "error": error,
                "created_at": created_at,
                "updated_at": updated_at,
                "links": links,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attribute_model_public_links import AttributeModelPublicLinks  # noqa: PLC0415
        from ..models.attribute_model_result import AttributeModelResult  # noqa: PLC0415
        from ..models.attribute_training_public import AttributeTrainingPublic  # noqa: PLC0415
        from ..models.job_error_public import JobErrorPublic  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        status = check_attribute_model_public_status(d.pop("status"))

        rows = d.pop("rows")

        images = d.pop("images")

        attributes = cast(list[str], d.pop("attributes"))

        def _parse_taxonomy(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        taxonomy = _parse_taxonomy(d.pop("taxonomy"))

        def _parse_product_type(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        product_type = _parse_product_type(d.pop("product_type"))

        training = AttributeTrainingPublic.from_dict(d.pop("training"))

        def _parse_result(data: object) -> AttributeModelResult | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0 = AttributeModelResult.from_dict(data)

                return result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AttributeModelResult | None, data)

        result = _parse_result(d.pop("result"))

        def _parse_error(data: object) -> JobErrorPublic | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = JobErrorPublic.from_dict(data)

                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JobErrorPublic | None, data)

        error = _parse_error(d.pop("error"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        links = AttributeModelPublicLinks.from_dict(d.pop("links"))

        attribute_model_public = cls(
            id=id,
            name=name,
            status=status,
            rows=rows,
            images=images,
            attributes=attributes,
            taxonomy=taxonomy,
            product_type=product_type,
            training=training,
            result=result,
            error=error,
            created_at=created_at,
            updated_at=updated_at,
            links=links,
        )

        attribute_model_public.additional_properties = d
        return attribute_model_public

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
