from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.compared_model_in_type import ComparedModelInType, check_compared_model_in_type
from ..models.compared_model_in_variant import ComparedModelInVariant, check_compared_model_in_variant
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.adapter_in import AdapterIn
    from ..models.control_spec_in import ControlSpecIn


T = TypeVar("T", bound="ComparedModelIn")


@_attrs_define
class ComparedModelIn:
    """A column: one model configuration.

    Attributes:
        name (str): The column's name (unique).
        type_ (ComparedModelInType): sdxl: the SDXL base (+ your product/concept models, + ControlNet); try_on: the try-
            on model on each row's person_image (+ a style model); bedrock: an Amazon Bedrock image model; openai: the
            OpenAI Images API (where a key is set).
        variant (ComparedModelInVariant | Unset):  Default: 'base'.
        adapters (list[AdapterIn] | Unset): sdxl: your ready product/concept models.
        control (ControlSpecIn | None | Unset): sdxl: ControlNet on each row's reference_image.
        style_model_id (None | str | Unset): try_on: your style model.
        model_id (None | str | Unset): bedrock: the model id (default amazon.nova-canvas-v1:0); it must be in the price
            table.
        model (None | str | Unset): openai: the model (default gpt-image-1).
    """

    name: str
    type_: ComparedModelInType
    variant: ComparedModelInVariant | Unset = "base"
    adapters: list[AdapterIn] | Unset = UNSET
    control: ControlSpecIn | None | Unset = UNSET
    style_model_id: None | str | Unset = UNSET
    model_id: None | str | Unset = UNSET
    model: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.control_spec_in import ControlSpecIn  # noqa: PLC0415

        name = self.name

        type_: str = self.type_

        variant: str | Unset = UNSET
        if not isinstance(self.variant, Unset):
            variant = self.variant

        adapters: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.adapters, Unset):
            adapters = []
            for adapters_item_data in self.adapters:
                adapters_item = adapters_item_data.to_dict()
                adapters.append(adapters_item)

        control: dict[str, Any] | None | Unset
        if isinstance(self.control, Unset):
            control = UNSET
        elif isinstance(self.control, ControlSpecIn):
            control = self.control.to_dict()
        else:
            control = self.control

        style_model_id: None | str | Unset
        if isinstance(self.style_model_id, Unset):
            style_model_id = UNSET
        else:
            style_model_id = self.style_model_id

        model_id: None | str | Unset
        if isinstance(self.model_id, Unset):
            model_id = UNSET
        else:
            model_id = self.model_id

        model: None | str | Unset
        if isinstance(self.model, Unset):
            model = UNSET
        else:
            model = self.model

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "name": name,
                "type": type_,
            }
        )
        if variant is not UNSET:
            field_dict["variant"] = variant
        if adapters is not UNSET:
            field_dict["adapters"] = adapters
        if control is not UNSET:
            field_dict["control"] = control
        if style_model_id is not UNSET:
            field_dict["style_model_id"] = style_model_id
        if model_id is not UNSET:
            field_dict["model_id"] = model_id
        if model is not UNSET:
            field_dict["model"] = model

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.adapter_in import AdapterIn  # noqa: PLC0415
        from ..models.control_spec_in import ControlSpecIn  # noqa: PLC0415

        d = dict(src_dict)
        name = d.pop("name")

        type_ = check_compared_model_in_type(d.pop("type"))

        _variant = d.pop("variant", UNSET)
        variant: ComparedModelInVariant | Unset
        if isinstance(_variant, Unset):
            variant = UNSET
        else:
            variant = check_compared_model_in_variant(_variant)

        _adapters = d.pop("adapters", UNSET)
        adapters: list[AdapterIn] | Unset = UNSET
        if _adapters is not UNSET:
            adapters = []
            for adapters_item_data in _adapters:
                adapters_item = AdapterIn.from_dict(adapters_item_data)

                adapters.append(adapters_item)

        def _parse_control(data: object) -> ControlSpecIn | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                control_type_0 = ControlSpecIn.from_dict(data)

                return control_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ControlSpecIn | None | Unset, data)

        control = _parse_control(d.pop("control", UNSET))

        def _parse_style_model_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        style_model_id = _parse_style_model_id(d.pop("style_model_id", UNSET))

        def _parse_model_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        model_id = _parse_model_id(d.pop("model_id", UNSET))

        def _parse_model(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        model = _parse_model(d.pop("model", UNSET))

        compared_model_in = cls(
            name=name,
            type_=type_,
            variant=variant,
            adapters=adapters,
            control=control,
            style_model_id=style_model_id,
            model_id=model_id,
            model=model,
        )

        return compared_model_in
