from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.comparison_cell_public_status import ComparisonCellPublicStatus, check_comparison_cell_public_status
from ..types import UNSET, Unset

T = TypeVar("T", bound="ComparisonCellPublic")


@_attrs_define
class ComparisonCellPublic:
    """One image of the grid and its figures, or why there is none.

    Attributes:
        prompt (int):
        model (str):
        status (ComparisonCellPublicStatus):
        moderation (str): passed, blocked_prompt, blocked_by_provider, withheld (the output image), not_checked.
        image (None | str | Unset): A short-lived URL (fresh on every read).
        seed (int | None | Unset):
        clip_score (float | None | Unset): Prompt alignment (CLIP score, 100 x cosine): not product fidelity.
        model_seconds (float | None | Unset): Inside the model call.
        wall_seconds (float | None | Unset): From the run's start (queueing behind earlier cells and loading included).
        cost_usd (float | None | Unset):
        error (None | str | Unset):
    """

    prompt: int
    model: str
    status: ComparisonCellPublicStatus
    moderation: str
    image: None | str | Unset = UNSET
    seed: int | None | Unset = UNSET
    clip_score: float | None | Unset = UNSET
    model_seconds: float | None | Unset = UNSET
    wall_seconds: float | None | Unset = UNSET
    cost_usd: float | None | Unset = UNSET
    error: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        model = self.model

        status: str = self.status

        moderation = self.moderation

        image: None | str | Unset
        if isinstance(self.image, Unset):
            image = UNSET
        else:
            image = self.image

        seed: int | None | Unset
        if isinstance(self.seed, Unset):
            seed = UNSET
        else:
            seed = self.seed

        clip_score: float | None | Unset
        if isinstance(self.clip_score, Unset):
            clip_score = UNSET
        else:
            clip_score = self.clip_score

        model_seconds: float | None | Unset
        if isinstance(self.model_seconds, Unset):
            model_seconds = UNSET
        else:
            model_seconds = self.model_seconds

        wall_seconds: float | None | Unset
        if isinstance(self.wall_seconds, Unset):
            wall_seconds = UNSET
        else:
            wall_seconds = self.wall_seconds

        cost_usd: float | None | Unset
        if isinstance(self.cost_usd, Unset):
            cost_usd = UNSET
        else:
            cost_usd = self.cost_usd

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "prompt": prompt,
                "model": model,
                "status": status,
                "moderation": moderation,
            }
        )
        if image is not UNSET:
            field_dict["image"] = image
        if seed is not UNSET:
            field_dict["seed"] = seed
        if clip_score is not UNSET:
            field_dict["clip_score"] = clip_score
        if model_seconds is not UNSET:
            field_dict["model_seconds"] = model_seconds
        if wall_seconds is not UNSET:
            field_dict["wall_seconds"] = wall_seconds
        if cost_usd is not UNSET:
            field_dict["cost_usd"] = cost_usd
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        prompt = d.pop("prompt")

        model = d.pop("model")

        status = check_comparison_cell_public_status(d.pop("status"))

        moderation = d.pop("moderation")

        def _parse_image(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        image = _parse_image(d.pop("image", UNSET))

        def _parse_seed(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seed = _parse_seed(d.pop("seed", UNSET))

        def _parse_clip_score(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        clip_score = _parse_clip_score(d.pop("clip_score", UNSET))

        def _parse_model_seconds(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        model_seconds = _parse_model_seconds(d.pop("model_seconds", UNSET))

        def _parse_wall_seconds(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        wall_seconds = _parse_wall_seconds(d.pop("wall_seconds", UNSET))

        def _parse_cost_usd(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        cost_usd = _parse_cost_usd(d.pop("cost_usd", UNSET))

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        comparison_cell_public = cls(
            prompt=prompt,
            model=model,
            status=status,
            moderation=moderation,
            image=image,
            seed=seed,
            clip_score=clip_score,
            model_seconds=model_seconds,
            wall_seconds=wall_seconds,
            cost_usd=cost_usd,
            error=error,
        )

        comparison_cell_public.additional_properties = d
        return comparison_cell_public

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
