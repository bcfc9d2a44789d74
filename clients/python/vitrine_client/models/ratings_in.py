from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.pick_in import PickIn


T = TypeVar("T", bound="RatingsIn")


@_attrs_define
class RatingsIn:
    """A rater's best image per prompt; their later ratings replace these.

    Attributes:
        rater (str):
        picks (list[PickIn]):
    """

    rater: str
    picks: list[PickIn]

    def to_dict(self) -> dict[str, Any]:
        rater = self.rater

        picks = []
        for picks_item_data in self.picks:
            picks_item = picks_item_data.to_dict()
            picks.append(picks_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "rater": rater,
                "picks": picks,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.pick_in import PickIn  # noqa: PLC0415

        d = dict(src_dict)
        rater = d.pop("rater")

        picks = []
        _picks = d.pop("picks")
        for picks_item_data in _picks:
            picks_item = PickIn.from_dict(picks_item_data)

            picks.append(picks_item)

        ratings_in = cls(
            rater=rater,
            picks=picks,
        )

        return ratings_in
