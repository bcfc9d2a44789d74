from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.compared_model_public import ComparedModelPublic
    from ..models.compared_prompt_public import ComparedPromptPublic
    from ..models.comparison_cell_public import ComparisonCellPublic
    from ..models.comparison_result_public_ratings import ComparisonResultPublicRatings
    from ..models.comparison_result_public_scorer import ComparisonResultPublicScorer
    from ..models.model_summary_public import ModelSummaryPublic


T = TypeVar("T", bound="ComparisonResultPublic")


@_attrs_define
class ComparisonResultPublic:
    """The report: the grid (prompts x models), per-model summary, scorer.

    Attributes:
        version (int):
        prompts (list[ComparedPromptPublic]):
        models (list[ComparedModelPublic]):
        cells (list[ComparisonCellPublic]):
        summary (list[ModelSummaryPublic]):
        tiny_models (bool | None | Unset): Tiny random-weight models: the figures test the pipeline, not the models.
        seed (int | None | Unset):
        scorer (ComparisonResultPublicScorer | Unset):
        ratings (ComparisonResultPublicRatings | Unset):
        contact_sheet (None | str | Unset): A short-lived URL (fresh on every read).
        training_job (None | str | Unset): The SageMaker job (aws).
    """

    version: int
    prompts: list[ComparedPromptPublic]
    models: list[ComparedModelPublic]
    cells: list[ComparisonCellPublic]
    summary: list[ModelSummaryPublic]
    tiny_models: bool | None | Unset = UNSET
    seed: int | None | Unset = UNSET
    scorer: ComparisonResultPublicScorer | Unset = UNSET
    ratings: ComparisonResultPublicRatings | Unset = UNSET
    contact_sheet: None | str | Unset = UNSET
    training_job: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        prompts = []
        for prompts_item_data in self.prompts:
            prompts_item = prompts_item_data.to_dict()
            prompts.append(prompts_item)

        models = []
        for models_item_data in self.models:
            models_item = models_item_data.to_dict()
            models.append(models_item)

        cells = []
        for cells_item_data in self.cells:
            cells_item = cells_item_data.to_dict()
            cells.append(cells_item)

        summary = []
        for summary_item_data in self.summary:
            summary_item = summary_item_data.to_dict()
            summary.append(summary_item)

        tiny_models: bool | None | Unset
        if isinstance(self.tiny_models, Unset):
            tiny_models = UNSET
        else:
            tiny_models = self.tiny_models

        seed: int | None | Unset
        if isinstance(self.seed, Unset):
            seed = UNSET
        else:
            seed = self.seed

        scorer: dict[str, Any] | Unset = UNSET
        if not isinstance(self.scorer, Unset):
            scorer = self.scorer.to_dict()

        ratings: dict[str, Any] | Unset = UNSET
        if not isinstance(self.ratings, Unset):
            ratings = self.ratings.to_dict()

        contact_sheet: None | str | Unset
        if isinstance(self.contact_sheet, Unset):
            contact_sheet = UNSET
        else:
            contact_sheet = self.contact_sheet

        training_job: None | str | Unset
        if isinstance(self.training_job, Unset):
            training_job = UNSET
        else:
            training_job = self.training_job

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "version": version,
                "prompts": prompts,
                "models": models,
                "cells": cells,
                "summary": summary,
            }
        )
        if tiny_models is not UNSET:
            field_dict["tiny_models"] = tiny_models
        if seed is not UNSET:
            field_dict["seed"] = seed
        if scorer is not UNSET:
            field_dict["scorer"] = scorer
        if ratings is not UNSET:
            field_dict["ratings"] = ratings
        if contact_sheet is not UNSET:
            field_dict["contact_sheet"] = contact_sheet
        if training_job is not UNSET:
            field_dict["training_job"] = training_job

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.compared_model_public import ComparedModelPublic  # noqa: PLC0415
        from ..models.compared_prompt_public import ComparedPromptPublic  # noqa: PLC0415
        from ..models.comparison_cell_public import ComparisonCellPublic  # noqa: PLC0415
        from ..models.comparison_result_public_ratings import ComparisonResultPublicRatings  # noqa: PLC0415
        from ..models.comparison_result_public_scorer import ComparisonResultPublicScorer  # noqa: PLC0415
        from ..models.model_summary_public import ModelSummaryPublic  # noqa: PLC0415

        d = dict(src_dict)
        version = d.pop("version")

        prompts = []
        _prompts = d.pop("prompts")
        for prompts_item_data in _prompts:
            prompts_item = ComparedPromptPublic.from_dict(prompts_item_data)

            prompts.append(prompts_item)

        models = []
        _models = d.pop("models")
        for models_item_data in _models:
            models_item = ComparedModelPublic.from_dict(models_item_data)

            models.append(models_item)

        cells = []
        _cells = d.pop("cells")
        for cells_item_data in _cells:
            cells_item = ComparisonCellPublic.from_dict(cells_item_data)

            cells.append(cells_item)

        summary = []
        _summary = d.pop("summary")
        for summary_item_data in _summary:
            summary_item = ModelSummaryPublic.from_dict(summary_item_data)

            summary.append(summary_item)

        def _parse_tiny_models(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        tiny_models = _parse_tiny_models(d.pop("tiny_models", UNSET))

        def _parse_seed(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seed = _parse_seed(d.pop("seed", UNSET))

        _scorer = d.pop("scorer", UNSET)
        scorer: ComparisonResultPublicScorer | Unset
        if isinstance(_scorer, Unset):
            scorer = UNSET
        else:
            scorer = ComparisonResultPublicScorer.from_dict(_scorer)

        _ratings = d.pop("ratings", UNSET)
        ratings: ComparisonResultPublicRatings | Unset
        if isinstance(_ratings, Unset):
            ratings = UNSET
        else:
            ratings = ComparisonResultPublicRatings.from_dict(_ratings)

        def _parse_contact_sheet(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        contact_sheet = _parse_contact_sheet(d.pop("contact_sheet", UNSET))

        def _parse_training_job(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        training_job = _parse_training_job(d.pop("training_job", UNSET))

        comparison_result_public = cls(
            version=version,
            prompts=prompts,
            models=models,
            cells=cells,
            summary=summary,
            tiny_models=tiny_models,
            seed=seed,
            scorer=scorer,
            ratings=ratings,
            contact_sheet=contact_sheet,
            training_job=training_job,
        )

        comparison_result_public.additional_properties = d
        return comparison_result_public

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
