from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.attribute_model_result_accuracy import AttributeModelResultAccuracy


T = TypeVar("T", bound="AttributeModelResult")


@_attrs_define
class AttributeModelResult:
    """An attribute model's training job result: its held-out accuracy.

    Attributes:
        model_id (str):
        accuracy (AttributeModelResultAccuracy): Exact-match accuracy per attribute on held-out images (split by image).
        overall_accuracy (float | None): Over every held-out row.
        train_examples (int):
        validation_examples (int):
        validation_images (int):
        steps (int):
        training_job (None | str | Unset):
        model_artifacts (None | str | Unset):
    """

    model_id: str
    accuracy: AttributeModelResultAccuracy
    overall_accuracy: float | None
    train_examples: int
    validation_examples: int
    validation_images: int
    steps: int
    training_job: None | str | Unset = UNSET
    model_artifacts: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        model_id = self.model_id

        accuracy = self.accuracy.to_dict()

        overall_accuracy: float | None
        overall_accuracy = self.overall_accuracy

        train_examples = self.train_examples

        validation_examples = self.validation_examples

        validation_images = self.validation_images

        steps = self.steps

        training_job: None | str | Unset
        if isinstance(self.training_job, Unset):
            training_job = UNSET
        else:
            training_job = self.training_job

        model_artifacts: None | str | Unset
        if isinstance(self.model_artifacts, Unset):
            model_artifacts = UNSET
        else:
            model_artifacts = self.model_artifacts

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "model_id": model_id,
                "accuracy": accuracy,
                "overall_accuracy": overall_accuracy,
                "train_examples": train_examples,
                "validation_examples": validation_examples,
                "validation_images": validation_images,
                "steps": steps,
            }
        )
        if training_job is not UNSET:
            field_dict["training_job"] = training_job
        if model_artifacts is not UNSET:
            field_dict["model_artifacts"] = model_artifacts

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.attribute_model_result_accuracy import AttributeModelResultAccuracy  # noqa: PLC0415

        d = dict(src_dict)
        model_id = d.pop("model_id")

        accuracy = AttributeModelResultAccuracy.from_dict(d.pop("accuracy"))

        def _parse_overall_accuracy(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        overall_accuracy = _parse_overall_accuracy(d.pop("overall_accuracy"))

        train_examples = d.pop("train_examples")

        validation_examples = d.pop("validation_examples")

        validation_images = d.pop("validation_images")

        steps = d.pop("steps")

        def _parse_training_job(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        training_job = _parse_training_job(d.pop("training_job", UNSET))

        def _parse_model_artifacts(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        model_artifacts = _parse_model_artifacts(d.pop("model_artifacts", UNSET))

        attribute_model_result = cls(
            model_id=model_id,
            accuracy=accuracy,
            overall_accuracy=overall_accuracy,
            train_examples=train_examples,
            validation_examples=validation_examples,
            validation_images=validation_images,
            steps=steps,
            training_job=training_job,
            model_artifacts=model_artifacts,
        )

        attribute_model_result.additional_properties = d
        return attribute_model_result

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
