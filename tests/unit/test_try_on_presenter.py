"""The try-on result as clients see it: keys become URLs, in the TryOnResult shape."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from api.domain.jobs import Job, JobKind, JobStatus
from api.presenters import Presenter


class Urls:
    """Stands in for ``ResultImages``: the presenter only asks it for URLs."""

    def url(self, key: str) -> str:
        return f"https://results.example/{key}?sig=x"


def present(result: dict[str, Any]) -> dict[str, Any]:
    job = Job.new(tenant="t", kind=JobKind.TRY_ON, request={}, ttl_days=1)
    job = replace(job, status=JobStatus.SUCCEEDED, result=result)
    shown = Presenter(outputs=Urls()).job(job).result  # type: ignore[arg-type]
    assert shown is not None
    return shown


def test_images_variants_and_mask_get_fresh_urls() -> None:
    shown = present({
        "images": [{"key": "t/jobs/j/image-0.webp", "width": 300, "height": 400,
                    "variants": {"thumbnail": {"key": "t/jobs/j/image-0-thumbnail.webp",
                                               "width": 48, "height": 64}}}],
        "mask": {"key": "t/jobs/j/mask.png"}, "seed": 3, "withheld": [], "format": "webp",
        "width": 300, "height": 400,
    })
    (image,) = shown["images"]
    assert image["url"].endswith("image-0.webp?sig=x") and "key" not in image
    assert image["variants"]["thumbnail"] == {
        "url": "https://results.example/t/jobs/j/image-0-thumbnail.webp?sig=x",
        "width": 48, "height": 64}
    assert shown["mask"] == {"url": "https://results.example/t/jobs/j/mask.png?sig=x"}
    assert (shown["format"], shown["width"], shown["height"]) == ("webp", 300, 400)


def test_a_result_stored_before_formats_and_variants_still_presents() -> None:
    shown = present({"images": [{"key": "t/jobs/j/image-0.png"}],
                     "mask": {"key": "t/jobs/j/mask.png"}, "seed": 1, "withheld": []})
    assert shown["images"] == [{"url": "https://results.example/t/jobs/j/image-0.png?sig=x",
                                "variants": {}}]
    assert shown["format"] == "png"
