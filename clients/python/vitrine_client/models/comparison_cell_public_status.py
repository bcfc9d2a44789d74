from typing import Literal

ComparisonCellPublicStatus = Literal["blocked", "failed", "skipped", "succeeded"]

COMPARISON_CELL_PUBLIC_STATUS_VALUES: set[ComparisonCellPublicStatus] = {
    "blocked",
    "failed",
    "skipped",
    "succeeded",
}


def check_comparison_cell_public_status(value: str) -> ComparisonCellPublicStatus:
    if value in COMPARISON_CELL_PUBLIC_STATUS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {COMPARISON_CELL_PUBLIC_STATUS_VALUES!r}")
