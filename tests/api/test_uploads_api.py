"""Uploads: announce, PUT to the signed local URL, then use the upload id."""

from __future__ import annotations

import io
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from api_support import TENANT_A, A, B, png, problem_type
from PIL import Image

from api.adapters.local.signing import UrlSigner
from api.services.uploads import Uploads

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

    from api.ports import Adapters
    from api.settings import Settings


def announce(client: TestClient, data: bytes, content_type: str = "image/png") -> Any:
    response = client.post(
        "/v1/uploads", json={"content_type": content_type, "size_bytes": len(data)}, headers=A
    )
    assert response.status_code == 201, response.text
    return response.json()


def test_upload_then_use_it(client: TestClient, container: Adapters) -> None:
    data = png(50, 40)
    created = announce(client, data)
    target = created["upload"]
    assert target["method"] == "PUT" and target["headers"] == {"Content-Type": "image/png"}
    put = client.put(target["url"], content=data, headers=target["headers"])
    assert put.status_code == 204, put.text
    assert container.uploads.exists(f"{TENANT_A}/uploads/{created['upload_id']}")
    response = client.post(
        "/v1/segmentations",
        json={"image": {"upload_id": created["upload_id"]}, "prompts": ["shirt"]},
        headers=A,
    )
    assert response.status_code == 200 and response.json()["width"] == 50


def test_an_upload_url_is_single_use(client: TestClient, container: Adapters) -> None:
    data = png(50, 40)
    created = announce(client, data)
    target = created["upload"]
    assert client.put(target["url"], content=data, headers=target["headers"]).status_code == 204
    # Replaying the URL (leaked, or a retry) cannot overwrite what was uploaded.
    other = png(50, 40, (0, 0, 255))
    again = client.put(target["url"], content=other, headers=target["headers"])
    assert again.status_code == 409 and problem_type(again) == "conflict"
    assert container.uploads.get(f"{TENANT_A}/uploads/{created['upload_id']}") == data


def test_concurrent_puts_to_one_upload_url_store_exactly_one(
    client: TestClient, container: Adapters, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given two different images of the same size, and an upload URL announced for it
    first, second = png(50, 40, (200, 30, 30)), png(50, 40, (30, 200, 30))
    assert len(first) == len(second) and first != second
    target = announce(client, first)["upload"]
    # ... and two PUTs held until both have passed every check (the race a replayed URL
    # or a client's retry runs: neither has stored anything yet)
    both_checked = threading.Barrier(2, timeout=10)
    check = Uploads.check

    def held_check(self: Uploads, data: bytes, *, content_type: str) -> None:
        check(self, data, content_type=content_type)
        both_checked.wait()

    monkeypatch.setattr(Uploads, "check", held_check)

    # When both go on at once
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(
            lambda data: client.put(target["url"], content=data, headers=target["headers"]),
            (first, second),
        ))  # fmt: skip

    # Then exactly one stored its bytes, whole, and the other was told the URL is spent
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [204, 409], [a.text for a in answers]
    loser = next(a for a in answers if a.status_code == 409)
    assert problem_type(loser) == "conflict"
    winner = first if answers[0].status_code == 204 else second
    stored = container.uploads.get(target["url"].split("/v1/files/uploads/")[1].split("?")[0])
    assert stored == winner
    leftovers = [p for p in container.uploads.root.rglob(".tmp-*")]  # type: ignore[attr-defined]
    assert leftovers == []


def test_another_tenant_cannot_use_the_upload(client: TestClient) -> None:
    data = png()
    created = announce(client, data)
    target = created["upload"]
    client.put(target["url"], content=data, headers=target["headers"])
    response = client.post(
        "/v1/segmentations",
        json={"image": {"upload_id": created["upload_id"]}, "prompts": ["shirt"]},
        headers=B,
    )
    assert response.status_code == 422 and problem_type(response) == "unknown-upload"


def test_announced_size_over_the_limit(client: TestClient, settings: Settings) -> None:
    size = settings.max_upload_bytes + 1
    response = client.post(
        "/v1/uploads", json={"content_type": "image/png", "size_bytes": size}, headers=A
    )
    assert response.status_code == 413 and problem_type(response) == "image-too-large"


def test_unsupported_announced_type(client: TestClient) -> None:
    response = client.post(
        "/v1/uploads", json={"content_type": "image/gif", "size_bytes": 10}, headers=A
    )
    assert response.status_code == 422 and problem_type(response) == "validation-error"


@pytest.mark.parametrize(
    ("body", "content_type", "slug"),
    [
        (png(), "image/jpeg", "upload-rejected"),  # header differs from the signed type
        (png() + b"extra", "image/png", "upload-rejected"),  # size differs
    ],
)
def test_put_must_match_the_announcement(
    client: TestClient, body: bytes, content_type: str, slug: str
) -> None:
    target = announce(client, png())["upload"]
    put = client.put(target["url"], content=body, headers={"Content-Type": content_type})
    assert put.status_code == 422 and problem_type(put) == slug


def test_put_of_bytes_that_are_not_the_announced_image(client: TestClient) -> None:
    jpeg = io.BytesIO()
    Image.new("RGB", (8, 8)).save(jpeg, format="JPEG")
    target = announce(client, jpeg.getvalue(), "image/png")["upload"]
    put = client.put(target["url"], content=jpeg.getvalue(), headers={"Content-Type": "image/png"})
    assert put.status_code == 422 and problem_type(put) == "upload-rejected"
    junk = b"not an image at all"
    target = announce(client, junk, "image/png")["upload"]
    put = client.put(target["url"], content=junk, headers={"Content-Type": "image/png"})
    assert put.status_code == 422 and problem_type(put) == "invalid-image"


def test_tampered_or_expired_upload_urls_are_refused(
    client: TestClient, settings: Settings
) -> None:
    data = png()
    url = urlsplit(announce(client, data)["upload"]["url"])
    query = dict(parse_qsl(url.query))
    tampered = {**query, "sig": "0" * 64}
    put = client.put(
        f"{url.path}?{urlencode(tampered)}", content=data, headers={"Content-Type": "image/png"}
    )
    assert put.status_code == 403 and problem_type(put) == "invalid-signature"

    past = UrlSigner(settings.url_signing_secret.get_secret_value(), clock=lambda: 0.0)
    resource = url.path.removeprefix("/v1/files/")
    params = {"content_type": "image/png", "size": str(len(data))}
    expired = past.query("PUT", resource, params, expires_in=60)
    put = client.put(f"{url.path}?{expired}", content=data, headers={"Content-Type": "image/png"})
    assert put.status_code == 403 and "expired" in put.json()["detail"]


def test_put_only_into_the_uploads_store(client: TestClient) -> None:
    put = client.put(
        "/v1/files/results/tenant-a/x.png?expires=1&sig=x",
        content=png(),
        headers={"Content-Type": "image/png"},
    )
    assert put.status_code == 404
