"""SageMaker training launcher: the CreateTrainingJob request, under moto and Stubber."""

from __future__ import annotations

import re

import boto3
import pytest
from botocore.stub import Stubber

from api.adapters.aws.sagemaker_training import (
    SageMakerTrainingLauncher,
    tags_of,
    training_job_name,
)
from api.domain import errors as e
from api.ports import TrainingSpec
from tests.aws.conftest import REGION, aws_settings

NAME_RULE = re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}")  # SageMaker's own pattern


def spec(job_id: str = "job_AbC-dEf_123") -> TrainingSpec:
    return TrainingSpec(
        kind="avatar",
        job_id=job_id,
        tenant="tenant-1",
        input_prefix="tenant-1/avatars/av_1/photos/",
        output_prefix="tenant-1/avatars/av_1/training/",
        hyperparameters={"max_train_steps": "400", "class_name": "person"},
    )


@pytest.mark.parametrize("job_id", ["job_" + "A" * 22, "job_--__--", "job_" + "_" * 60, "x"])
def test_training_job_names_obey_sagemakers_rule_and_stay_distinct(job_id):
    name = training_job_name("avatar", job_id)
    assert len(name) <= 63
    assert NAME_RULE.fullmatch(name)
    assert training_job_name("avatar", job_id) == name  # deterministic
    assert training_job_name("avatar", job_id.replace("_", "-") + "z") != name


def test_underscore_and_hyphen_ids_do_not_collide():
    assert training_job_name("avatar", "job_a-b") != training_job_name("avatar", "job_a_b")


def test_launch_creates_the_job_with_channels_output_limits_and_tags(aws):
    launcher = SageMakerTrainingLauncher(settings=aws)

    launcher.launch(spec())

    described = boto3.client("sagemaker", region_name=REGION).describe_training_job(
        TrainingJobName=training_job_name("avatar", "job_AbC-dEf_123")
    )
    channels = {
        c["ChannelName"]: c["DataSource"]["S3DataSource"]["S3Uri"]
        for c in described["InputDataConfig"]
    }
    assert channels == {
        "instance": f"s3://{aws.uploads_bucket}/tenant-1/avatars/av_1/photos/",
        "base": aws.avatar_base_model_uri,
    }
    assert described["OutputDataConfig"]["S3OutputPath"] == (
        f"s3://{aws.models_bucket}/tenant-1/avatars/av_1/training/"
    )
    assert described["AlgorithmSpecification"]["TrainingImage"] == aws.training_image_uri
    assert described["RoleArn"] == aws.training_role_arn
    assert described["ResourceConfig"]["InstanceType"] == aws.training_instance_type
    assert described["StoppingCondition"]["MaxRuntimeInSeconds"] == aws.training_max_seconds
    # The training image's entry point rides along, as the SageMaker SDK passes it
    assert described["HyperParameters"] == {
        "max_train_steps": "400", "class_name": "person",
        "sagemaker_program": "avatar/train.py",
        "sagemaker_submit_directory": "/opt/vitrine/sagemaker_containers",
    }
    assert described["EnableNetworkIsolation"] is True
    tags = boto3.client("sagemaker", region_name=REGION).list_tags(
        ResourceArn=described["TrainingJobArn"]
    )["Tags"]
    assert tags_of(tags) == {
        "vitrine:tenant": "tenant-1", "vitrine:job-id": "job_AbC-dEf_123", "vitrine:kind": "avatar"
    }


def test_kms_key_encrypts_output_and_an_ebs_volume():
    settings = aws_settings(kms_key_id="arn:aws:kms:k", training_instance_type="ml.p3.2xlarge")
    request = SageMakerTrainingLauncher(settings=settings).request(spec())
    assert request["OutputDataConfig"]["KmsKeyId"] == "arn:aws:kms:k"
    assert request["ResourceConfig"]["VolumeKmsKeyId"] == "arn:aws:kms:k"


def test_no_volume_key_on_instances_with_nvme_storage_which_sagemaker_rejects():
    # Given the default g5 instance, whose local NVMe storage is encrypted in hardware
    settings = aws_settings(kms_key_id="arn:aws:kms:k", training_instance_type="ml.g5.2xlarge")
    request = SageMakerTrainingLauncher(settings=settings).request(spec())
    # Then the output is still encrypted with the key, but no VolumeKmsKeyId is sent
    assert request["OutputDataConfig"]["KmsKeyId"] == "arn:aws:kms:k"
    assert "VolumeKmsKeyId" not in request["ResourceConfig"]


def test_unconfigured_training_is_a_503_class_error():
    launcher = SageMakerTrainingLauncher(settings=aws_settings(training_image_uri=""))
    with pytest.raises(e.DependencyUnavailable, match="TRAINING_IMAGE_URI"):
        launcher.launch(spec())


def stubbed() -> tuple[SageMakerTrainingLauncher, Stubber]:
    client = boto3.client("sagemaker", region_name=REGION)
    return SageMakerTrainingLauncher(settings=aws_settings(), client=client), Stubber(client)


def test_a_redelivered_launch_finds_the_job_running_and_does_not_fail():
    launcher, stub = stubbed()
    stub.add_client_error(
        "create_training_job", service_error_code="ResourceInUse",
        service_message="Training job names must be unique within an AWS account and region",
    )
    with stub:
        launcher.launch(spec())
    stub.assert_no_pending_responses()


def test_stop_stops_by_the_derived_name():
    launcher, stub = stubbed()
    stub.add_response(
        "stop_training_job", {}, {"TrainingJobName": training_job_name("avatar", spec().job_id)}
    )
    with stub:
        launcher.stop(spec())
    stub.assert_no_pending_responses()


@pytest.mark.parametrize("code", ["ValidationException", "ResourceNotFound"])
def test_stop_ignores_jobs_that_already_ended_or_never_existed(code):
    launcher, stub = stubbed()
    stub.add_client_error("stop_training_job", service_error_code=code,
                          service_message="The training job is in status Completed.")
    with stub:
        launcher.stop(spec())


def test_stop_reports_other_failures():
    launcher, stub = stubbed()
    stub.add_client_error("stop_training_job", service_error_code="ThrottlingException",
                          http_status_code=400)
    with stub, pytest.raises(e.DependencyUnavailable):
        launcher.stop(spec())
