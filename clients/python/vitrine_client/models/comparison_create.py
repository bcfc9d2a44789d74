from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.comparison_create_size import ComparisonCreateSize, check_comparison_create_size
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.compared_model_in import ComparedModelIn
    from ..models.compared_prompt_in import ComparedPromptIn


T = TypeVar("T", bound="ComparisonCreate")


@_attrs_define
class ComparisonCreate:
    """A prompt set (inline, or an uploaded CSV/JSONL) x model configurations.

    Attributes:
        models (list[ComparedModelIn]):
        prompts (list[ComparedPromptIn] | Unset):
        prompts_upload (None | str | Unset): An uploaded prompts file: CSV with a prompt column (and optional
            negative_prompt, reference_image, person_image), or JSONL objects with those keys.
        seed (int | None | Unset): The same for every model that takes one (drawn when not given; the result names it).
        steps (int | None | Unset): Diffusion steps (default 30).
        guidance (float | Unset):  Default: 7.0.
        size (ComparisonCreateSize | Unset):  Default: 'square'.
        callback_url (None | str | Unset): Receives the terminal job event (webhook).
    """

    models: list[ComparedModelIn]
    prompts: list[ComparedPromptIn] | Unset = UNSET
    prompts_upload: None | str | Unset = UNSET
    seed: int | None | Unset = UNSET
    steps: int | None | Unset = UNSET
    guidance: float | Unset = 7.0
    size: ComparisonCreateSize | Unset = "square"
    callback_url: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        models = []
        for models_item_data in self.models:
            models_item = models_item_data.to_dict()
            models.append(models_item)

        prompts: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.prompts, Unset):
            prompts = []
            for prompts_item_data in self.prompts:
                prompts_item = prompts_item_data.to_dict()
                prompts.append(prompts_item)

        prompts_upload: None | str | Unset
        if isinstance(self.prompts_upload, Unset):
            prompts_upload = UNSET
        else:
            prompts_upload = self.prompts_upload

        seed: int | None | Unset
        if isinstance(self.seed, Unset):
            seed = UNSET
        else:
            seed = self.seed

        steps: int | None | Unset
        if isinstance(self.steps, Unset):
            steps = UNSET
        else:
            steps = self.steps

        guidance = self.guidance

        size: str | Unset = UNSET
        if not isinstance(self.size, Unset):
            size = self.size

        callback_url: None | str | Unset
        if isinstance(self.callback_url, Unset):
            callback_url = UNSET
        else:
            callback_url = self.callback_url

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "models": models,
            }
        )
        if prompts is not UNSET:
            field_dict["prompts"] = prompts
        if prompts_upload is not UNSET:
            field_dict["prompts_upload"] = prompts_upload
        if seed is not UNSET:
            field_dict["seed"] = seed
        if steps is not UNSET:
            field_dict["steps"] = steps
        if guidance is not UNSET:
            field_dict["guidance"] = guidance
        if size is not UNSET:
            field_dict["size"] = size
        if callback_url is not UNSET:
            field_dict["callback_url"] = callback_url

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.compared_model_in import ComparedModelIn  # noqa: PLC0415
        from ..models.compared_prompt_in import ComparedPromptIn  # noqa: PLC0415

        d = dict(src_dict)
        models = []
        _models = d.pop("models")
        for models_item_data in _models:
            models_item = ComparedModelIn.from_dict(models_item_data)

            models.append(models_item)

        _prompts = d.pop("prompts", UNSET)
        prompts: list[ComparedPromptIn] | Unset = UNSET
        if _prompts is not UNSET:
            prompts = []
            for prompts_item_data in _prompts:
                prompts_item = ComparedPromptIn.from_dict(prompts_item_data)

                prompts.append(prompts_item)

        def _parse_prompts_upload(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        prompts_upload = _parse_prompts_upload(d.pop("prompts_upload", UNSET))

        def _parse_seed(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seed = _parse_seed(d.pop("seed", UNSET))

        def _parse_steps(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        steps = _parse_steps(d.pop("steps", UNSET))

        guidance = d.pop("guidance", UNSET)

        _size = d.pop("size", UNSET)
        size: ComparisonCreateSize | Unset
        if isinstance(_size, Unset):
            size = UNSET
        else:
            size = check_comparison_create_size(_size)

        def _parse_callback_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        callback_url = _parse_callback_url(d.pop("callback_url", UNSET))

        comparison_create = cls(
            models=models,
            prompts=prompts,
            prompts_upload=prompts_upload,
            seed=seed,
            steps=steps,
            guidance=guidance,
            size=size,
            callback_url=callback_url,
        )

        return comparison_create
