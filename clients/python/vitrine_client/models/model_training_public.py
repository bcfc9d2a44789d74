from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ModelTrainingPublic")


@_attrs_define
class ModelTrainingPublic:
    """How the model is (being) trained; the figures arrive once training ends.

    Attributes:
        steps (int):
        resolution (int):
        rank (int | None | Unset): LoRA rank (LoRA kinds).
        loss_curve (list[float] | None | Unset):
        final_loss (float | None | Unset):
        adapter_bytes (int | None | Unset):
        seconds (float | None | Unset):
    """

    steps: int
    resolution: int
    rank: int | None | Unset = UNSET
    loss_curve: list[float] | None | Unset = UNSET
    final_loss: float | None | Unset = UNSET
    adapter_bytes: int | None | Unset = UNSET
    seconds: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        steps = self.steps

        resolution = self.resolution

        rank: int | None | Unset
        if isinstance(self.rank, Unset):
            rank = UNSET
        else:
            rank = self.rank

        loss_curve: list[float] | None | Unset
        if isinstance(self.loss_curve, Unset):
            loss_curve = UNSET
        elif isinstance(self.loss_curve, list):
            loss_curve = self.loss_curve

        else:
            loss_curve = self.loss_curve

        final_loss: float | None | Unset
        if isinstance(self.final_loss, Unset):
            final_loss = UNSET
        else:
            final_loss = self.final_loss

        adapter_bytes: int | None | Unset
        if isinstance(self.adapter_bytes, Unset):
            adapter_bytes = UNSET
        else:
            adapter_bytes = self.adapter_bytes

        seconds: float | None | Unset
        if isinstance(self.seconds, Unset):
            seconds = UNSET
        else:
            seconds = self.seconds

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "steps": steps,
                "resolution": resolution,
            }
        )
        if rank is not UNSET:
            field_dict["rank"] = rank
        if loss_curve is not UNSET:
            field_dict["loss_curve"] = loss_curve
        if final_loss is not UNSET:
            field_dict["final_loss"] = final_loss
        if adapter_bytes is not UNSET:
            field_dict["adapter_bytes"] = adapter_bytes
        if seconds is not UNSET:
            field_dict["seconds"] = seconds

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        steps = d.pop("steps")

        resolution = d.pop("resolution")

        def _parse_rank(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rank = _parse_rank(d.pop("rank", UNSET))

        def _parse_loss_curve(data: object) -> list[float] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                loss_curve_type_0 = cast(list[float], data)

                return loss_curve_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[float] | None | Unset, data)

        loss_curve = _parse_loss_curve(d.pop("loss_curve", UNSET))

        def _parse_final_loss(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        final_loss = _parse_final_loss(d.pop("final_loss", UNSET))

        def _parse_adapter_bytes(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        adapter_bytes = _parse_adapter_bytes(d.pop("adapter_bytes", UNSET))

        def _parse_seconds(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        seconds = _parse_seconds(d.pop("seconds", UNSET))

        model_training_public = cls(
            steps=steps,
            resolution=resolution,
            rank=rank,
            loss_curve=loss_curve,
            final_loss=final_loss,
            adapter_bytes=adapter_bytes,
            seconds=seconds,
        )

        model_training_public.additional_properties = d
        return model_training_public

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
