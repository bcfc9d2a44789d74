"""An attribute model end to end on the local profile: real ``train.py``, real handler.

Through the HTTP API and the in-process worker, on the tiny random-weight BLIP-2:
labelled uploads (the AWS sample's ``id,Question,Answer`` CSV, then taxonomy rows) → a
2-step LoRA training → an adapter in peft's layout and held-out accuracy on the model →
``POST /v1/attributes`` with its ``model_id`` answered by the adapter on the warm base →
delete, and nothing is left. Other tenants never see it.
"""

from __future__ import annotations

import io
import json
import time
from typing import TYPE_CHECKING, Any

import pytest
from api_support import TENANT_A, A, B, make_settings, problem_type
from fastapi.testclient import TestClient
from PIL import Image

from api.adapters.local.wiring import build
from api.app import create_app

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from api.settings import Settings

pytestmark = pytest.mark.slow

MODELS = "/v1/attribute-models"
COLOURS = {"red": (220, 20, 20), "blue": (20, 20, 220), "green": (20, 200, 20),
           "black": (5, 5, 5)}
QUESTION = "What is the color of this garment?"
TAXONOMY = {"attributes": {"color": {"values": list(COLOURS), "question": QUESTION}},
            "review_threshold": 0.5}


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A models folder holding only the tiny BLIP-2, as ``models/blip2``."""
    from model_artifacts.tiny import blip2

    out = tmp_path_factory.mktemp("models")
    blip2.build(out / "blip2")
    return out


@pytest.fixture
def settings(tmp_path: Path, models_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    # The local wiring sets the handler's adapters folder (replacing this placeholder);
    # monkeypatch restores the environment after the test.
    monkeypatch.setenv("VITRINE_BLIP2_ADAPTERS_DIR", "/nonexistent-placeholder")
    return make_settings(
        tmp_path, models_dir=models_dir, attribute_train_steps=2, attribute_train_epochs=2,
        attribute_lora_rank=4, attribute_validation_fraction=0.25, worker_threads=1,
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    container = build(settings)  # the real in-process runtime and training launcher
    try:
        with TestClient(create_app(settings, container), raise_server_exceptions=False) as test:
            yield test
    finally:
        container.close()


def upload(client: TestClient, rgb: tuple[int, int, int]) -> str:
    out = io.BytesIO()
    Image.new("RGB", (40, 48), rgb).save(out, format="PNG")
    data = out.getvalue()
    created = client.post("/v1/uploads", json={"content_type": "image/png",
                                               "size_bytes": len(data)}, headers=A).json()
    target = created["upload"]
    assert client.put(target["url"], content=data, headers=target["headers"]).status_code == 204
    return str(created["upload_id"])


def poll(client: TestClient, path: str, done: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    deadline = time.monotonic() + 240  # training imports torch and transformers: seconds
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(path, headers=A).json()
        if done(body):
            return body
        time.sleep(0.1)
    raise AssertionError(f"{path} did not finish")


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_train_serve_and_delete_an_attribute_model(
    client: TestClient, settings: Settings
) -> None:
    # Given four labelled uploads, in the AWS sample's CSV shape
    uploads = {colour: upload(client, rgb) for colour, rgb in COLOURS.items()}
    csv = "id,Question,Answer\n" + "".join(
        f"{uid},{QUESTION},{colour}\n" for colour, uid in uploads.items())

    # When an attribute model is requested, then train.py trains an adapter for 2 steps
    resp = client.post(MODELS, json={"name": "colours", "csv": csv}, headers=A)
    assert resp.status_code == 202, resp.text
    model_id = resp.json()["id"]
    assert (resp.json()["rows"], resp.json()["images"]) == (4, 4)
    model = poll(client, resp.headers["location"], lambda b: b["status"] in ("ready", "failed"))
    assert model["status"] == "ready", model

    # ...with held-out accuracy (split by image: one of four held out) in the job result
    result = model["result"]
    assert result["steps"] == 2 and result["validation_images"] == 1
    assert result["train_examples"] == 3 and result["validation_examples"] == 1
    assert set(result["accuracy"]) == {QUESTION} and result["overall_accuracy"] in (0.0, 1.0)
    job = client.get(f"/v1/jobs/{model_id}", headers=A).json()
    assert job["kind"] == "attribute_model_training"
    def given(fields: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in fields.items() if v is not None}

    assert given(job["result"]) == given(result)
    adapter = settings.data_dir / "artifacts" / TENANT_A / "attribute-models" / model_id
    config = json.loads((adapter / "adapter_config.json").read_text())
    assert config["peft_type"] == "LORA" and (adapter / "adapter_model.safetensors").is_file()

    # When attributes are asked with the model, the adapter answers from the taxonomy
    image = {"upload_id": uploads["red"]}
    body = {"image": image, "product_type": "shirt", "taxonomy": TAXONOMY}
    base = client.post("/v1/attributes", json=body, headers=A).json()
    tuned = client.post("/v1/attributes", json={**body, "model_id": model_id}, headers=A)
    assert tuned.status_code == 200, tuned.text
    found = tuned.json()
    assert found["model_id"] == model_id and found["attributes"]["color"] in COLOURS
    assert sum(found["answers"]["color"]["scores"].values()) == pytest.approx(1.0)
    assert found["answers"]["color"]["scores"] != base["answers"]["color"]["scores"]

    # Another tenant: the model is not found, by id, in lists, or for attributes
    assert client.get(f"{MODELS}/{model_id}", headers=B).status_code == 404
    assert client.get(MODELS, headers=B).json()["count"] == 0
    other = client.post("/v1/attributes", json={**body, "model_id": model_id}, headers=B)
    assert other.status_code == 404 and problem_type(other) == "not-found"
    assert client.delete(f"{MODELS}/{model_id}", headers=B).status_code == 404

    # When it is deleted, nothing of it is left, and asking with it is a 404
    assert client.delete(f"{MODELS}/{model_id}", headers=A).status_code == 204
    assert files_under(settings.data_dir / "artifacts" / TENANT_A) == []
    assert files_under(settings.data_dir / "uploads" / TENANT_A / "attribute-models") == []
    gone = client.post("/v1/attributes", json={**body, "model_id": model_id}, headers=A)
    assert gone.status_code == 404


def test_rows_from_a_taxonomy_and_bad_training_data(
    client: TestClient, settings: Settings
) -> None:
    uploads = {colour: upload(client, rgb) for colour, rgb in COLOURS.items()}
    assert client.put("/v1/taxonomies/colours", json=TAXONOMY, headers=A).status_code == 200
    rows = [{"image": uid, "attribute": "color", "answer": colour.upper()}
            for colour, uid in uploads.items()]
    resp = client.post(MODELS, json={"name": "t", "rows": rows, "taxonomy": "colours"},
                       headers=A)
    assert resp.status_code == 202, resp.text
    assert resp.json()["attributes"] == ["color"] and resp.json()["taxonomy"] == "colours"
    model = poll(client, resp.headers["location"], lambda b: b["status"] in ("ready", "failed"))
    assert model["status"] == "ready", model
    assert set(model["result"]["accuracy"]) == {"color"}
    # train.py's CSV: the taxonomy's question, answers as the taxonomy spells them
    data = settings.data_dir / "uploads" / TENANT_A / "attribute-models" / model["id"] / "data"
    lines = (data / "train.csv").read_text().splitlines()
    assert lines[0] == "image_path,question,answer,attribute"
    assert lines[1] == f"image-0.png,{QUESTION},red,color"

    bad = [
        ({"name": "x", "rows": [{**rows[0], "answer": "purple"}, rows[1]],
          "taxonomy": "colours"}, "not an allowed value of color"),
        ({"name": "x", "rows": rows[:1], "taxonomy": "colours"}, "2-1000 distinct images"),
        ({"name": "x", "csv": "path,text\nx,y\n"}, "needs a header"),
        ({"name": "x", "csv": "id,question,answer\nupl_nope,Q?,a\nupl_nope2,Q?,b\n"},
         "unknown-upload"),
        ({"name": "x", "rows": rows, "taxonomy": "nope"}, "no taxonomy nope"),
        ({"name": "x", "rows": rows, "csv": "id,question,answer\n"}, "exactly one of"),
    ]
    for body, expected in bad:
        response = client.post(MODELS, json=body, headers=A)
        assert 400 <= response.status_code < 500, (body, response.text)
        assert expected in response.text, (expected, response.text)
