from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.cost_figures import CostFigures
    from ..models.stats import Stats


T = TypeVar("T", bound="ModelSummaryPublic")


@_attrs_define
class ModelSummaryPublic:
    """
    Attributes:
        model (str):
        images (int):
        failed (int):
        clip_score (Stats):
        model_seconds (Stats):
        wall_seconds (Stats):
        cost_usd (CostFigures):
        clip_win_rate (float | None | Unset): Share of prompts (with 2+ scored models) where it scored highest; ties
            split.
        human_win_rate (float | None | Unset): Its share of the raters' picks (null: nobody rated yet).
        human_picks (int | Unset):  Default: 0.
    """

    model: str
    images: int
    failed: int
    clip_score: Stats
    model_seconds: Stats
    wall_seconds: Stats
    cost_usd: CostFigures
    clip_win_rate: float | None | Unset = UNSET
    human_win_rate: float | None | Unset = UNSET
    human_picks: int | Unset = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        model = self.model

        images = self.images

        failed = self.failed

        clip_score = self.clip_score.to_dict()

        model_seconds = self.model_seconds.to_dict()

        wall_seconds = self.wall_seconds.to_dict()

        cost_usd = self.cost_usd.to_dict()

        clip_win_rate: float | None | Unset
        if isinstance(self.clip_win_rate, Unset):
            clip_win_rate = UNSET
        else:
            clip_win_rate = self.clip_win_rate

        human_win_rate: float | None | Unset
        if isinstance(self.human_win_rate, Unset):
            human_win_rate = UNSET
        else:
            human_win_rate = self.human_win_rate

        human_picks = self.human_picks

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "model": model,
                "images": images,
                "failed": failed,
                "clip_score": clip_score,
                "model_seconds": model_seconds,
                "wall_seconds": wall_seconds,
                "cost_usd": cost_usd,
            }
        )
        if clip_win_rate is not UNSET:
            field_dict["clip_win_rate"] = clip_win_rate
        if human_win_rate is not UNSET:
            field_dict["human_win_rate"] = human_win_rate
        if human_picks is not UNSET:
            field_dict["human_picks"] = human_picks

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.cost_figures import CostFigures  # noqa: PLC0415
        from ..models.stats import Stats  # noqa: PLC0415

        d = dict(src_dict)
        model = d.pop("model")

        images = d.pop("images")

        failed = d.pop("failed")

        clip_score = Stats.from_dict(d.pop("clip_score"))

        model_seconds = Stats.from_dict(d.pop("model_seconds"))

        wall_seconds = Stats.from_dict(d.pop("wall_seconds"))

        cost_usd = CostFigures.from_dict(d.pop("cost_usd"))

        def _parse_clip_win_rate(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        clip_win_rate = _parse_clip_win_rate(d.pop("clip_win_rate", UNSET))

        def _parse_human_win_rate(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        human_win_rate = _parse_human_win_rate(d.pop("human_win_rate", UNSET))

        human_picks = d.pop("human_picks", UNSET)

        model_summary_public = cls(
            model=model,
            images=images,
            failed=failed,
            clip_score=clip_score,
            model_seconds=model_seconds,
            wall_seconds=wall_seconds,
            cost_usd=cost_usd,
            clip_win_rate=clip_win_rate,
            human_win_rate=human_win_rate,
            human_picks=human_picks,
        )

        model_summary_public.additional_properties = d
        return model_summary_public

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
