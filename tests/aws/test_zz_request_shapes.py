"""Each operation the AWS adapters call ran, in tests/aws, through botocore's
``ParamValidator`` with the exact parameters the adapter sent (``request_shapes.py``).

Named to run last in ``tests/aws``; run alone it has nothing to check and says so.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from botocore.session import get_session
from botocore.validate import ParamValidator

from api.adapters.aws.sagemaker_training import SageMakerTrainingLauncher
from api.domain.training_recipes import CLI_KINDS, RECIPES
from api.ports import TrainingSpec
from tests.aws import request_shapes
from tests.aws.conftest import aws_settings

ADAPTERS = Path(__file__).resolve().parents[2] / "api" / "adapters" / "aws"
# Calls that are no request (presigning is local) or are reached through a paginator.
NOT_REQUESTS = {"generate_presigned_url", "get_paginator", "exceptions", "meta", "can_paginate"}
_CALL = re.compile(r"\b(?:client|dynamodb|sqs|kms)\.([a-z_]+)\(")


def adapter_operations() -> set[str]:
    """snake_case operations the adapters call on a client (``self.client.put_item(``)."""
    found: set[str] = set()
    for path in ADAPTERS.glob("*.py"):
        found |= set(_CALL.findall(path.read_text()))
    return found - NOT_REQUESTS


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def test_every_adapter_operation_was_validated():
    seen = {_snake(operation) for _service, operation in request_shapes.SEEN}
    if len(request_shapes.SEEN) < 10:
        pytest.skip("run with the whole of tests/aws: the other tests make the calls")
    operations = adapter_operations()
    assert {"converse", "invoke_endpoint", "create_training_job", "put_item"} <= operations
    missing = operations - seen - {"list_objects_v2"}  # reached through the paginator
    assert not missing, f"adapter operations never validated: {sorted(missing)}"


@pytest.mark.parametrize("kind", sorted(set(CLI_KINDS.values())))  # the training kinds
def test_the_training_request_fits_sagemakers_model_and_the_image_convention(kind):
    """CreateTrainingJob as the worker sends it: valid for botocore, string
    hyperparameters only, and an entry point the training image has (the SageMaker
    training toolkit runs ``sagemaker_program`` from ``sagemaker_submit_directory``)."""
    settings = aws_settings(kms_key_id="arn:aws:kms:eu-west-1:123456789012:key/k")
    spec = TrainingSpec(
        kind=kind, tenant="t1", job_id="job_abc", input_prefix="t1/in/",
        output_prefix="t1/out/", hyperparameters={RECIPES[kind].steps: "400", "seed": "4"},
    )  # fmt: skip
    request = SageMakerTrainingLauncher(settings=settings).request(spec)

    model = get_session().get_service_model("sagemaker").operation_model("CreateTrainingJob")
    report = ParamValidator().validate(request, model.input_shape)
    assert not report.has_errors(), report.generate_report()
    hyper = request["HyperParameters"]
    assert all(isinstance(v, str) for v in hyper.values())
    repo = Path(__file__).resolve().parents[2]
    dockerfile = (repo / "sagemaker_containers/docker/training.Dockerfile").read_text()
    assert f"COPY . {hyper['sagemaker_submit_directory']}/" in dockerfile
    assert (repo / "sagemaker_containers" / hyper["sagemaker_program"]).is_file()
