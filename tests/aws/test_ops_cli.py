"""``python -m model_artifacts train|register`` (the ops extra) against moto's SageMaker.

The CLI runs in ``.venv/ops`` (the project with the SageMaker SDK, ``make ops``), its
AWS calls sent to a moto server (``AWS_ENDPOINT_URL``) that shares this process's moto
state: the SDK's ``CreateTrainingJob`` reaches moto's SageMaker, and the API, built
here on the aws adapters, lists what ``register`` recorded.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING

import boto3
import pytest
from moto.server import ThreadedMotoServer

from api.adapters.aws.sagemaker_training import training_job_name
from api.domain.training_recipes import CODE_DIR
from tests.aws.avatar_support import state_change, write_training_output
from tests.aws.conftest import REGION
from tests.aws.lambdas_env import FakeContext, api_event, export_settings, fresh_api_handler

if TYPE_CHECKING:
    from collections.abc import Iterator

    from api.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
OPS_PYTHON = ROOT / ".venv" / "ops" / "bin" / "python"
SDXL_BASE = "s3://vitrine-models-test/base/sdxl/"
TENANT = "k7x2q9ab3c"  # the API key id in the canned partner event
TEMPLATE, OTHER = "apigw_api_key_post_try_on", "apigw_cognito_post_try_on"
CTX = FakeContext()


@pytest.fixture
def endpoint(aws: Settings) -> Iterator[str]:
    """A moto server over the same moto state as ``aws`` (buckets, jobs table)."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def ops(endpoint: str, settings: Settings, *argv: str) -> subprocess.CompletedProcess[str]:
    """``python -m model_artifacts ARGV`` in the ops venv, on the moto server."""
    return ops_python(endpoint, settings, "-m", "model_artifacts", *argv)


def ops_python(endpoint: str, settings: Settings, *argv: str) -> subprocess.CompletedProcess[str]:
    """The ops venv's ``python ARGV``, with the API's settings, on the moto server."""
    if not OPS_PYTHON.is_file():
        pytest.fail("the ops venv is missing: make ops")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VITRINE_", "AWS_"))}
    env.update(
        AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION=REGION, VITRINE_AWS_REGION=REGION,
        VITRINE_UPLOADS_BUCKET=settings.uploads_bucket,
        VITRINE_MODELS_BUCKET=settings.models_bucket, VITRINE_JOBS_TABLE=settings.jobs_table,
        VITRINE_TRAINING_IMAGE_URI=settings.training_image_uri,
        VITRINE_TRAINING_ROLE_ARN=settings.training_role_arn,
        VITRINE_TRAINING_INSTANCE_TYPE=settings.training_instance_type,
        VITRINE_SDXL_BASE_MODEL_URI=SDXL_BASE,
    )  # fmt: skip
    return subprocess.run([str(OPS_PYTHON), *argv], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180, check=False)  # fmt: skip


def captioned_set(folder: Path) -> Path:
    folder.mkdir()
    lines = []
    for n in range(3):
        (folder / f"image-{n}.png").write_bytes(b"\x89PNG fake " + bytes([n]))
        lines.append(json.dumps({"file_name": f"image-{n}.png", "text": f"a linen shirt {n}"}))
    (folder / "metadata.jsonl").write_text("\n".join(lines) + "\n")
    return folder


def launched_job(done: subprocess.CompletedProcess[str]) -> tuple[str, str]:
    assert done.returncode == 0, done.stderr[-3000:]
    found = re.search(r"training job (\S+) \(model (\S+)\)", done.stdout)
    assert found, done.stdout
    return found[1], found[2]


def test_train_creates_the_api_s_training_job_through_the_sdk(aws, endpoint, tmp_path):
    # Given a local captioned set, when an ML engineer trains a product LoRA and waits
    done = ops(endpoint, aws, "train", "product", "--input", str(captioned_set(tmp_path / "set")),
               "--tenant", TENANT, "--hp", "max_train_steps=7", "--hp", "rank=8",
               "--instance-type", "ml.g4dn.2xlarge", "--wait", "--poll", "0.2")
    name, model_id = launched_job(done)
    assert model_id.startswith("prd_") and name == training_job_name("product", model_id)
    assert "status: Completed" in done.stdout + done.stderr

    # Then moto's SageMaker holds the job the API's launcher would have created
    sagemaker = boto3.client("sagemaker", region_name=REGION)
    job = sagemaker.describe_training_job(TrainingJobName=name)
    assert job["AlgorithmSpecification"]["TrainingImage"] == aws.training_image_uri
    assert job["RoleArn"] == aws.training_role_arn
    assert job["ResourceConfig"]["InstanceType"] == "ml.g4dn.2xlarge"
    assert job["EnableNetworkIsolation"] is True
    data = f"{TENANT}/models/{model_id}/data/"
    channels = {c["ChannelName"]: c["DataSource"]["S3DataSource"]["S3Uri"]
                for c in job["InputDataConfig"]}  # fmt: skip
    assert channels == {"train": f"s3://{aws.uploads_bucket}/{data}", "base": SDXL_BASE}
    hp = job["HyperParameters"]
    assert hp["sagemaker_program"] == "product/train.py"
    assert hp["sagemaker_submit_directory"] == CODE_DIR
    assert (hp["max_train_steps"], hp["rank"], hp["token"]) == ("7", "8", "vtrprod")
    assert job["OutputDataConfig"]["S3OutputPath"] == (
        f"s3://{aws.models_bucket}/{TENANT}/models/{model_id}/")
    tags = {t["Key"]: t["Value"]
            for t in sagemaker.list_tags(ResourceArn=job["TrainingJobArn"])["Tags"]}
    assert tags == {"vitrine:tenant": TENANT, "vitrine:job-id": model_id,
                    "vitrine:kind": "product"}  # fmt: skip
    # ...and the set was uploaded where the API keeps a model's data
    listed = boto3.client("s3", region_name=REGION).list_objects_v2(
        Bucket=aws.uploads_bucket, Prefix=data)
    assert sorted(o["Key"].removeprefix(data) for o in listed["Contents"]) == [
        "image-0.png", "image-1.png", "image-2.png", "metadata.jsonl"]


def test_train_refuses_what_train_py_would_refuse(aws, endpoint, tmp_path):
    done = ops(endpoint, aws, "train", "attributes", "--input", "s3://elsewhere/rows/",
               "--tenant", TENANT, "--hp", "max_train_steps=5")
    assert done.returncode == 2
    assert "no hyperparameter max_train_steps" in done.stderr
    empty = ops(endpoint, aws, "train", "product", "--input", str(tmp_path / "missing"),
                "--tenant", TENANT)
    assert empty.returncode == 2 and "no training data in" in empty.stderr
    assert boto3.client("sagemaker", region_name=REGION).list_training_jobs()[
        "TrainingJobSummaries"] == []


def test_registered_model_is_listed_for_its_tenant_only(aws, endpoint, monkeypatch):
    # Given a concept job trained from an S3 prefix, completed with its output archive
    done = ops(endpoint, aws, "train", "concept", "--input", "s3://team-data/denim/",
               "--tenant", TENANT, "--hp", "token=<denim-x>")
    name, model_id = launched_job(done)
    event = state_change(name)
    weights = b"embedding bytes"
    write_training_output(event, {
        "learned_embeds.safetensors": weights,
        "model.json": json.dumps({"kind": "concept", "images": 12, "steps": 500}).encode(),
    })

    # When it is registered for another tenant, nothing happens; for its own, it is stored
    refused = ops(endpoint, aws, "register", "--training-job", name, "--tenant", "someone-else")
    assert refused.returncode == 2 and "not tenant someone-else's" in refused.stderr
    done = ops(endpoint, aws, "register", "--training-job", name, "--tenant", TENANT,
               "--name", "denim")
    assert done.returncode == 0, done.stderr[-3000:]
    assert model_id in done.stdout
    stored = boto3.client("s3", region_name=REGION).get_object(
        Bucket=aws.models_bucket, Key=f"{TENANT}/models/{model_id}/learned_embeds.safetensors")
    assert stored["Body"].read() == weights

    # Then the API lists it for that tenant, ready, as an API-trained concept model...
    export_settings(monkeypatch, aws)
    api = fresh_api_handler()
    listed = json.loads(api(api_event(TEMPLATE, "GET", "/v1/models"), CTX)["body"])
    (model,) = [m for m in listed["data"] if m["id"] == model_id]
    assert (model["kind"], model["status"], model["name"]) == ("concept", "ready", "denim")
    # ...and not for another tenant
    other = json.loads(api(api_event(OTHER, "GET", "/v1/models"), CTX)["body"])
    assert model_id not in json.dumps(other)
    assert api(api_event(OTHER, "GET", f"/v1/models/{model_id}"), CTX)["statusCode"] == 404
    # A second registration is refused
    again = ops(endpoint, aws, "register", "--training-job", name, "--tenant", TENANT)
    assert again.returncode == 2 and "registered already" in again.stderr


def test_wait_streams_the_job_s_logs_with_a_bar_of_its_steps(aws, endpoint, tmp_path):
    # Given a job whose container logged two of its seven steps to CloudWatch
    done = ops(endpoint, aws, "train", "style", "--input", "s3://team-data/skirts/",
               "--tenant", TENANT, "--hp", "max_train_steps=7")
    name, _model_id = launched_job(done)
    logs = boto3.client("logs", region_name=REGION)
    logs.create_log_group(logGroupName="/aws/sagemaker/TrainingJobs")
    stream = f"{name}/algo-1-1764490000"
    now = int(time.time() * 1000)  # CloudWatch refuses events over 14 days old
    logs.create_log_stream(logGroupName="/aws/sagemaker/TrainingJobs", logStreamName=stream)
    logs.put_log_events(logGroupName="/aws/sagemaker/TrainingJobs", logStreamName=stream,
                        logEvents=[{"timestamp": now + n, "message": line}
                                   for n, line in enumerate(
                                       ["Invoking script", "step=1 loss=0.5", "step=3 loss=0.4"])])

    # When the engineer follows it
    script = ("import sys; from model_artifacts.train import follow; "
              f"sys.exit(follow({name!r}, steps=7, poll=0.1) != 'Completed')")
    followed = ops_python(endpoint, aws, "-c", script)

    # Then the log lines are printed and the bar stands at step 3 of 7
    assert followed.returncode == 0, followed.stderr[-3000:]
    out = followed.stdout + followed.stderr
    assert "step=3 loss=0.4" in out and "Invoking script" in out
    assert re.search(r"\b3/7\b", followed.stderr), followed.stderr[-2000:]
    assert "status: Completed" in out



def test_a_registered_avatar_is_served_by_the_multi_model_endpoint(aws, endpoint, tmp_path,
                                                                    monkeypatch):
    # Given an avatar trained from a local folder of ten photos
    photos = tmp_path / "photos"
    photos.mkdir()
    for n in range(10):
        (photos / f"photo-{n}.jpg").write_bytes(b"\xff\xd8 fake " + bytes([n]))
    done = ops(endpoint, aws, "train", "avatar", "--input", str(photos), "--tenant", TENANT)
    name, model_id = launched_job(done)
    hp = boto3.client("sagemaker", region_name=REGION).describe_training_job(
        TrainingJobName=name)["HyperParameters"]
    assert (hp["sagemaker_program"], hp["min_photos"], hp["max_photos"]) == (
        "avatar/train.py", "10", "10")  # exactly the photos sent, as the API holds a set to
    write_training_output(state_change(name), {"pytorch_lora_weights.safetensors": b"lora",
                                               "avatar.json": b'{"token": "sks"}'})

    # When it is registered
    registered = ops(endpoint, aws, "register", "--training-job", name, "--tenant", TENANT)
    assert registered.returncode == 0, registered.stderr[-3000:]

    # Then its archive is under the MME prefix and the API lists it, ready, for its tenant
    archives = boto3.client("s3", region_name=REGION).list_objects_v2(
        Bucket=aws.models_bucket, Prefix=aws.mme_prefix)["Contents"]
    assert any(model_id in o["Key"] for o in archives)
    export_settings(monkeypatch, aws)
    api = fresh_api_handler()
    listed = json.loads(api(api_event(TEMPLATE, "GET", "/v1/models"), CTX)["body"])
    (model,) = [m for m in listed["data"] if m["id"] == model_id]
    assert (model["kind"], model["status"], model["images"]) == ("avatar", "ready", 10)
    assert api(api_event(OTHER, "GET", f"/v1/models/{model_id}"), CTX)["statusCode"] == 404


def test_a_registered_attribute_model_answers_for_its_tenant_only(aws, endpoint, tmp_path,
                                                                  monkeypatch):
    # Given an attribute model trained from a folder of Q/A rows and images
    rows = tmp_path / "rows"
    rows.mkdir()
    (rows / "train.csv").write_text("image,question,answer\nshirt.png,sleeve length?,long\n")
    (rows / "shirt.png").write_bytes(b"\x89PNG fake")
    done = ops(endpoint, aws, "train", "attributes", "--input", str(rows), "--tenant", TENANT,
               "--hp", "epochs=2")
    name, model_id = launched_job(done)
    assert model_id.startswith("atm_")
    training = {"accuracy": {"sleeve_length": 0.75, "neckline": 0.5, "__overall__": 0.625},
                "train_examples": 8, "validation_examples": 4, "validation_images": 2,
                "steps": 12}
    write_training_output(state_change(name), {"adapter_model.safetensors": b"lora",
                                               "training.json": json.dumps(training).encode()})

    # When it is registered
    registered = ops(endpoint, aws, "register", "--training-job", name, "--tenant", TENANT,
                     "--name", "tops")
    assert registered.returncode == 0, registered.stderr[-3000:]

    # Then /v1/attribute-models shows it ready with train.py's figures, to its tenant only
    export_settings(monkeypatch, aws)
    api = fresh_api_handler()
    found = api(api_event(TEMPLATE, "GET", f"/v1/attribute-models/{model_id}"), CTX)
    assert found["statusCode"] == 200, found["body"]
    model = json.loads(found["body"])
    assert (model["status"], model["name"], model["rows"]) == ("ready", "tops", 12)
    assert sorted(model["attributes"]) == ["neckline", "sleeve_length"]
    assert api(api_event(OTHER, "GET", f"/v1/attribute-models/{model_id}"),
               CTX)["statusCode"] == 404
