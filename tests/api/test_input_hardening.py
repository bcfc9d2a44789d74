"""Issue 16, findings 7 and 8: text that is not text; strict numbers; anchored ids.

7: lone surrogates and control characters in prompts are 422 at the edge.
8: numbers are strict (``"n": true``, ``"seed": "12"`` are 422); ids match in full.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from api_support import A, b64, png, problem_type

if TYPE_CHECKING:
    from fastapi.testclient import TestClient


# --- 7: text that is not text ---
@pytest.mark.parametrize("bad", ["\ud800", "a shirt\udfff", "a shirt\x00", "red\x1b[31m", "a\x7f"])
def test_lone_surrogates_and_control_characters_are_422(client: TestClient, bad: str) -> None:
    image = {"base64": b64(png())}
    requests = [
        ("/v1/segmentations", {"image": image, "prompts": [bad]}),
        ("/v1/try-ons", {"image": image, "garment_prompt": bad}),
        ("/v1/try-ons", {"image": image, "garment_prompt": "a shirt", "negative_prompt": bad}),
        ("/v1/descriptions", {"product_type": "dress", "attributes": {"color": bad}}),
    ]
    for path, body in requests:
        # json.dumps escapes a lone surrogate as \\ud800, as a client's JSON would carry it.
        response = client.post(
            path, content=json.dumps(body).encode(),
            headers={**A, "Content-Type": "application/json"},
        )  # fmt: skip
        assert response.status_code == 422, (path, response.text)
        assert problem_type(response) == "validation-error"


def test_ordinary_whitespace_in_a_prompt_is_fine(client: TestClient) -> None:
    body = {"image": {"base64": b64(png())}, "prompts": ["the\tdress\nand hat"]}
    assert client.post("/v1/segmentations", json=body, headers=A).status_code == 200


# --- 8: strict numbers, anchored ids ---
@pytest.mark.parametrize(
    "extra",
    [{"n": True}, {"n": "2"}, {"seed": "12"}, {"seed": 1.0}, {"steps": "4"},
     {"guidance_scale": "7.5"}, {"guidance_scale": True}],
)  # fmt: skip
def test_numbers_must_be_numbers(client: TestClient, extra: dict[str, Any]) -> None:
    body = {"image": {"base64": b64(png())}, "garment_prompt": "a shirt", **extra}
    response = client.post("/v1/try-ons", json=body, headers=A)
    assert response.status_code == 422, response.text
    assert problem_type(response) == "validation-error"


def test_strict_numbers_elsewhere(client: TestClient) -> None:
    image = {"base64": b64(png())}
    seg = {"image": image, "prompts": ["x"], "threshold": "0.5"}
    assert client.post("/v1/segmentations", json=seg, headers=A).status_code == 422
    upload = {"content_type": "image/png", "size_bytes": "100"}
    assert client.post("/v1/uploads", json=upload, headers=A).status_code == 422
    # Integers are still fine where a float is meant.
    ok = {"image": image, "garment_prompt": "a shirt", "guidance_scale": 7}
    assert client.post("/v1/try-ons", json=ok, headers=A).status_code == 202


def test_an_upload_id_with_a_trailing_newline_is_not_an_upload_id(client: TestClient) -> None:
    body = {"image": {"upload_id": "upl_" + "a" * 20 + "\n"}, "prompts": ["x"]}
    response = client.post("/v1/segmentations", json=body, headers=A)
    assert response.status_code == 422
    assert problem_type(response) == "unknown-upload"
    assert "not an upload id" in response.json()["detail"]


def test_an_idempotency_key_with_a_trailing_newline_is_refused(client: TestClient) -> None:
    # h11 refuses a raw newline in a header; the service must refuse it on its own too.
    from api.domain.errors import RequestValidationFailed
    from api.services.idempotency import check_key

    with pytest.raises(RequestValidationFailed):
        check_key("key-1\n")
