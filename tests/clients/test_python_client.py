"""The generated Python client (``clients/python``, openapi-python-client) against a live
local server: typed models in, typed models out, problems typed too."""

from __future__ import annotations

import sys
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "clients" / "python"))

from vitrine_client import AuthenticatedClient  # noqa: E402
from vitrine_client.api.jobs import get_job  # noqa: E402
from vitrine_client.api.segmentations import create_segmentation  # noqa: E402
from vitrine_client.api.try_ons import create_try_on  # noqa: E402
from vitrine_client.api.uploads import create_upload  # noqa: E402
from vitrine_client.models import (  # noqa: E402
    ImageIn,
    JobProgressPublic,
    Problem,
    SegmentationCreate,
    SegmentationPublic,
    TryOnCreate,
    TryOnJob,
    TryOnResult,
    UploadCreate,
    UploadPublic,
)

from tests.clients.conftest import API_KEY  # noqa: E402

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = pytest.mark.slow


@pytest.fixture
def client(live_api: str) -> Iterator[AuthenticatedClient]:
    # The API key scheme: the x-api-key header, no prefix.
    with AuthenticatedClient(
        base_url=live_api, token=API_KEY, prefix="", auth_header_name="x-api-key"
    ) as c:
        yield c


def upload(client: AuthenticatedClient, photo: bytes) -> str:
    created = create_upload.sync(
        client=client, body=UploadCreate(content_type="image/jpeg", size_bytes=len(photo))
    )
    assert isinstance(created, UploadPublic)
    target = created.upload
    put = httpx.put(target.url, content=photo, headers=target.headers.additional_properties)
    assert put.status_code == 204
    return created.upload_id


def test_upload_then_segment(client: AuthenticatedClient, photo_path: Path) -> None:
    upload_id = upload(client, photo_path.read_bytes())
    found = create_segmentation.sync(
        client=client,
        body=SegmentationCreate(
            image=ImageIn(upload_id=upload_id), prompts=["the shirt", "the face"]
        ),
    )
    assert isinstance(found, SegmentationPublic)
    assert [m.prompt for m in found.masks] == ["the shirt", "the face"]


def test_try_on_polled_to_success_with_a_typed_result(
    client: AuthenticatedClient, photo_path: Path
) -> None:
    upload_id = upload(client, photo_path.read_bytes())
    job = create_try_on.sync(
        client=client,
        body=TryOnCreate(
            image=ImageIn(upload_id=upload_id), garment_prompt="a red linen shirt", steps=2, seed=1
        ),
    )
    assert isinstance(job, TryOnJob)
    assert isinstance(job.progress, JobProgressPublic) and job.progress.stage == "queued"
    deadline = time.monotonic() + 120
    while True:
        seen = get_job.sync(client=client, job_id=job.id)
        assert isinstance(seen, TryOnJob)  # the union, resolved by its kind
        if seen.status in ("succeeded", "failed", "canceled") or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert seen.status == "succeeded", seen.error
    assert isinstance(seen.result, TryOnResult)
    assert len(seen.result.images) == 1 and seen.result.mask.url.startswith("http")


def test_a_wrong_key_is_a_typed_401(live_api: str) -> None:
    with AuthenticatedClient(
        base_url=live_api, token="not-a-key", prefix="", auth_header_name="x-api-key"
    ) as stranger:
        answer = get_job.sync_detailed(client=stranger, job_id="job_x")
    assert answer.status_code == 401
    assert isinstance(answer.parsed, Problem)
    assert answer.parsed.type_ == "https://vitrine.dev/problems/unauthorized"


def test_an_unknown_job_is_a_typed_404(client: AuthenticatedClient) -> None:
    answer = get_job.sync_detailed(client=client, job_id="job_doesnotexist")
    assert answer.status_code == 404
    assert isinstance(answer.parsed, Problem)
    assert answer.parsed.type_ == "https://vitrine.dev/problems/not-found"


def test_an_idempotency_key_replays_the_first_answer(client: AuthenticatedClient) -> None:
    key = f"py-{uuid.uuid4()}"
    body = UploadCreate(content_type="image/png", size_bytes=1234)
    first = create_upload.sync_detailed(client=client, body=body, idempotency_key=key)
    again = create_upload.sync_detailed(client=client, body=body, idempotency_key=key)
    assert isinstance(first.parsed, UploadPublic) and isinstance(again.parsed, UploadPublic)
    assert again.parsed.upload_id == first.parsed.upload_id
    assert again.headers["idempotent-replayed"] == "true"
