"""Models stack: four SageMaker models, the async try-on endpoint scaling to zero, the
avatar multi-model endpoint on Triton, the inference and training roles."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from api.adapters.aws.instances import has_instance_storage
from cdk.nag import flatten_reference

if TYPE_CHECKING:
    from conftest import Synthesized


def _by_data(synthesized: Synthesized) -> dict[str, dict[str, Any]]:
    """SageMaker models keyed by the tail of their (flattened) model data URL."""
    models = synthesized.resources("Models", "AWS::SageMaker::Model")
    return {
        flatten_reference(m["Properties"]["PrimaryContainer"]["ModelDataUrl"]).split(
            "-<AWS::Region>/"
        )[1]: m
        for m in models.values()
    }


def _config_of(synthesized: Synthesized, model_id: str) -> dict[str, Any]:
    for config in synthesized.resources("Models", "AWS::SageMaker::EndpointConfig").values():
        (variant,) = config["Properties"]["ProductionVariants"]
        if variant["ModelName"] == {"Fn::GetAtt": [model_id, "ModelName"]}:
            properties: dict[str, Any] = config["Properties"]
            return properties
    raise AssertionError(f"no endpoint config for {model_id}")


def _model_id(synthesized: Synthesized, data_tail: str) -> str:
    models = synthesized.resources("Models", "AWS::SageMaker::Model")
    target = _by_data(synthesized)[data_tail]
    return next(logical for logical, model in models.items() if model is target)


def test_models_take_data_images_and_instances_from_context(synthesized: Synthesized) -> None:
    context = synthesized.context
    by_data = _by_data(synthesized)
    roles = {"segmentation": "clipseg", "attributes": "blip2", "tryon": "inpainting",
             "generation": "generation"}
    assert set(by_data) == {*(f"packed/{m}/model.tar.gz" for m in roles.values()), "avatars/"}
    for role in (*roles, "avatar"):
        tail = context.get(f"vitrine:{role}:modelDataKey", context["vitrine:mmePrefix"])
        container = by_data[tail]["Properties"]["PrimaryContainer"]
        assert context[f"vitrine:{role}:imageUri"] == ""  # built from the repo (test_cdk_images)
        assert "container-assets" in flatten_reference(container["Image"])
        variant = _config_of(synthesized, _model_id(synthesized, tail))["ProductionVariants"][0]
        assert variant["InstanceType"] == context[f"vitrine:{role}:instanceType"]
        assert variant["InitialInstanceCount"] == context[f"vitrine:{role}:instanceCount"]


def test_avatar_endpoint_is_multi_model_on_triton(synthesized: Synthesized) -> None:
    avatar = _by_data(synthesized)["avatars/"]["Properties"]
    container = avatar["PrimaryContainer"]
    assert container["Mode"] == "MultiModel"
    assert flatten_reference(container["ModelDataUrl"]).endswith(
        "/" + synthesized.context["vitrine:mmePrefix"]
    )
    # The base is baked into the Triton image: no S3 location, no network needed.
    assert "VITRINE_AVATAR_BASE_MODEL_URI" not in container.get("Environment", {})
    others = [m for tail, m in _by_data(synthesized).items() if tail != "avatars/"]
    assert all(m["Properties"]["PrimaryContainer"]["Mode"] == "SingleModel" for m in others)


ADAPTER_MODELS = ("packed/generation/model.tar.gz", "packed/inpainting/model.tar.gz",
                  "packed/blip2/model.tar.gz")


def test_only_adapter_loading_models_leave_network_isolation_and_only_into_the_vpc(
    synthesized: Synthesized,
) -> None:
    models = _by_data(synthesized)
    assert len(models) == 5
    groups = synthesized.resources("Models", "AWS::EC2::SecurityGroup")
    subnets = synthesized.resources("Models", "AWS::EC2::Subnet")
    for tail, model in models.items():
        properties = model["Properties"]
        if tail not in ADAPTER_MODELS:
            assert properties["EnableNetworkIsolation"] is True, tail
            assert "VpcConfig" not in properties, tail
            continue
        assert properties["EnableNetworkIsolation"] is False, tail
        vpc = properties["VpcConfig"]
        assert {flatten_reference(g) for g in vpc["SecurityGroupIds"]} <= {
            f"<{g}.GroupId>" for g in groups}
        assert {s["Ref"] for s in vpc["Subnets"]} == set(subnets)
        env = properties["PrimaryContainer"]["Environment"]
        assert flatten_reference(env["VITRINE_ADAPTERS_URI"]).startswith("s3://vitrine-models-")
        assert flatten_reference(env["VITRINE_BLIP2_ADAPTERS_URI"]).startswith(
            "s3://vitrine-models-")


def test_the_adapter_network_reaches_only_adapter_objects_in_s3(synthesized: Synthesized) -> None:
    template = synthesized.templates["Models"]["Resources"]
    by_type: dict[str, list[dict[str, Any]]] = {}
    for resource in template.values():
        by_type.setdefault(resource["Type"], []).append(resource["Properties"])
    # Isolated subnets only: no internet or NAT gateway, no public subnet, no route out.
    assert "AWS::EC2::InternetGateway" not in by_type and "AWS::EC2::NatGateway" not in by_type
    assert all(s.get("MapPublicIpOnLaunch") is False for s in by_type["AWS::EC2::Subnet"])
    assert all("GatewayId" not in r and "NatGatewayId" not in r
               for r in by_type.get("AWS::EC2::Route", []))
    # One gateway endpoint, S3, allowing GetObject on the adapter patterns only.
    (endpoint,) = by_type["AWS::EC2::VPCEndpoint"]
    assert endpoint["VpcEndpointType"] == "Gateway"
    assert "s3" in flatten_reference(endpoint["ServiceName"])
    (statement,) = endpoint["PolicyDocument"]["Statement"]
    assert (statement["Effect"], statement["Action"]) == ("Allow", "s3:GetObject")
    resources = {flatten_reference(r) for r in statement["Resource"]}
    patterns = synthesized.context["vitrine:adapters:objectPatterns"]
    assert resources == {
        f"arn:<AWS::Partition>:s3:::vitrine-models-<AWS::AccountId>-<AWS::Region>/{p}"
        for p in patterns}
    # The endpoints' group: HTTPS to the S3 prefix list, nothing else, nothing in.
    (group,) = by_type["AWS::EC2::SecurityGroup"]
    (egress,) = group["SecurityGroupEgress"]
    assert egress == {"DestinationPrefixListId":
                      synthesized.context["vitrine:adapters:s3PrefixListId"],
                      "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                      "Description": "S3 (gateway endpoint) over HTTPS"}
    assert "SecurityGroupIngress" not in group
    assert by_type["AWS::EC2::FlowLog"][0]["TrafficType"] == "ALL"


def test_inference_models_name_their_handler_in_the_image(synthesized: Synthesized) -> None:
    handlers = {"packed/clipseg/model.tar.gz": "clipseg", "packed/blip2/model.tar.gz": "blip2",
                "packed/inpainting/model.tar.gz": "inpainting"}
    for tail, model in handlers.items():
        env = _by_data(synthesized)[tail]["Properties"]["PrimaryContainer"]["Environment"]
        assert env["SAGEMAKER_PROGRAM"] == f"sagemaker_containers.{model}.code.inference"
        assert env["SAGEMAKER_MODEL_SERVER_WORKERS"] == "1"
        assert int(env["SAGEMAKER_MODEL_SERVER_TIMEOUT"]) >= 60


def test_try_on_container_gets_the_compositing_and_licence_settings(
    synthesized: Synthesized,
) -> None:
    env = _by_data(synthesized)["packed/inpainting/model.tar.gz"]["Properties"][
        "PrimaryContainer"]["Environment"]
    assert env["VITRINE_TRYON_MAX_OUTPUT_SIDE"] == "4096"
    assert int(env["VITRINE_TRYON_MASK_DILATE_PX"]) > 0
    # Non-commercial weights are refused unless a deployment opts in explicitly.
    assert env["VITRINE_ALLOW_NONCOMMERCIAL_MODELS"] == "false"
    clipseg = _by_data(synthesized)["packed/clipseg/model.tar.gz"]["Properties"][
        "PrimaryContainer"]["Environment"]
    assert "VITRINE_TRYON_MAX_OUTPUT_SIDE" not in clipseg


def test_gpu_variants_pin_a_host_driver(synthesized: Synthesized) -> None:
    for config in synthesized.resources("Models", "AWS::SageMaker::EndpointConfig").values():
        (variant,) = config["Properties"]["ProductionVariants"]
        assert variant["InferenceAmiVersion"] == "al2-ami-sagemaker-inference-gpu-3-1"


@pytest.mark.parametrize("tail", ["packed/inpainting/model.tar.gz",
                                  "packed/generation/model.tar.gz"])
def test_async_endpoints_notify_their_own_sns_topics(synthesized: Synthesized,
                                                     tail: str) -> None:
    topics = synthesized.resources("Models", "AWS::SNS::Topic")
    assert len(topics) == 4  # try-on and generation: success and error each
    for topic in topics.values():
        assert "KmsMasterKeyId" in topic["Properties"]
    config = _config_of(synthesized, _model_id(synthesized, tail))
    output = config["AsyncInferenceConfig"]["OutputConfig"]
    notify = output["NotificationConfig"]
    assert {notify["SuccessTopic"]["Ref"], notify["ErrorTopic"]["Ref"]} <= set(topics)
    assert notify["SuccessTopic"] != notify["ErrorTopic"]
    assert flatten_reference(output["S3OutputPath"]).endswith("/async-outputs/")
    assert flatten_reference(output["S3FailurePath"]).endswith("/async-failures/")
    assert flatten_reference(output["S3OutputPath"]).startswith("s3://vitrine-results-")
    assert "KmsKeyId" in output
    realtime = [
        _config_of(synthesized, _model_id(synthesized, tail))
        for tail in ("packed/clipseg/model.tar.gz", "packed/blip2/model.tar.gz", "avatars/")
    ]
    assert all("AsyncInferenceConfig" not in c for c in realtime)


@pytest.mark.parametrize("role", ["tryon", "generation"])
def test_async_endpoints_scale_to_zero_on_backlog(synthesized: Synthesized, role: str) -> None:
    context = synthesized.context
    construct = {"tryon": "TryOn", "generation": "Generation"}[role]
    ((target_id, target),) = [
        (logical, target) for logical, target in synthesized.resources(
            "Models", "AWS::ApplicationAutoScaling::ScalableTarget").items()
        if logical.startswith(construct)]
    properties = target["Properties"]
    assert properties["MinCapacity"] == 0
    assert properties["MaxCapacity"] == context[f"vitrine:{role}:maxInstances"]
    assert properties["ServiceNamespace"] == "sagemaker"
    assert properties["ScalableDimension"] == "sagemaker:variant:DesiredInstanceCount"
    assert flatten_reference(properties["ResourceId"]).endswith("/variant/AllTraffic")

    policies = {logical: p for logical, p in synthesized.resources(
        "Models", "AWS::ApplicationAutoScaling::ScalingPolicy").items()
        if logical.startswith(construct)}
    by_type = {p["Properties"]["PolicyType"]: (logical, p) for logical, p in policies.items()}
    assert set(by_type) == {"TargetTrackingScaling", "StepScaling"}
    tracking = by_type["TargetTrackingScaling"][1]["Properties"]
    assert tracking["ScalingTargetId"] == {"Ref": target_id}
    spec = tracking["TargetTrackingScalingPolicyConfiguration"]
    assert (
        spec["CustomizedMetricSpecification"]["MetricName"] == "ApproximateBacklogSizePerInstance"
    )
    assert spec["TargetValue"] == context[f"vitrine:{role}:backlogPerInstance"]

    # With zero instances the per-instance backlog has no value: a step policy, fired by
    # HasBacklogWithoutCapacity, adds the first instance.
    step_id, step = by_type["StepScaling"]
    step_config = step["Properties"]["StepScalingPolicyConfiguration"]
    assert step_config["AdjustmentType"] == "ChangeInCapacity"
    assert step_config["StepAdjustments"] == [
        {"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}
    ]
    (alarm,) = [a for logical, a in synthesized.resources(
        "Models", "AWS::CloudWatch::Alarm").items() if logical.startswith(construct)]
    assert alarm["Properties"]["MetricName"] == "HasBacklogWithoutCapacity"
    assert alarm["Properties"]["AlarmActions"] == [{"Ref": step_id}]
    assert alarm["Properties"]["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert alarm["Properties"]["Threshold"] == 1


def test_endpoint_volume_key_only_where_the_instance_allows_it(synthesized: Synthesized) -> None:
    for config in synthesized.resources("Models", "AWS::SageMaker::EndpointConfig").values():
        instance = config["Properties"]["ProductionVariants"][0]["InstanceType"]
        assert ("KmsKeyId" in config["Properties"]) is not has_instance_storage(instance)


@pytest.mark.parametrize(
    ("instance", "local_storage"),
    [
        ("ml.g5.2xlarge", True),
        ("ml.g4dn.xlarge", True),
        ("ml.m5.xlarge", False),
        ("ml.c5d.large", True),
        ("ml.p3.2xlarge", False),
    ],
)
def test_has_instance_storage(instance: str, local_storage: bool) -> None:
    assert has_instance_storage(instance) is local_storage


def test_roles_are_assumed_by_sagemaker_only(synthesized: Synthesized) -> None:
    roles = {logical: role for logical, role in synthesized.resources(
        "Models", "AWS::IAM::Role").items() if "FlowLog" not in logical}
    assert len(roles) == 2  # inference, training (scaling uses the service-linked role)
    for role in roles.values():
        (statement,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
        assert statement["Principal"] == {"Service": "sagemaker.amazonaws.com"}
        assert statement["Action"] == "sts:AssumeRole"


def test_models_depend_on_their_role_policy(synthesized: Synthesized) -> None:
    """CreateModel checks image and data access: the policy must exist first."""
    policies = set(synthesized.resources("Models", "AWS::IAM::Policy"))
    for model in synthesized.resources("Models", "AWS::SageMaker::Model").values():
        assert policies & set(model.get("DependsOn", []))


def test_model_data_at_mutable_keys_is_flagged_and_versioned_keys_roll_the_model(
    synth_template,
) -> None:
    """ModelDataUrl at an overwritable key: a new archive reaches some instances only.
    Content-addressed keys (model_artifacts upload --versioned) make a new archive a new
    model, rolled out by deploy; unversioned keys get a synth warning."""
    from cdk.config import content_addressed

    assert not content_addressed("packed/clipseg/model.tar.gz")
    assert content_addressed("packed/clipseg/0123456789abcdef/model.tar.gz")
    digest = "0123456789abcdef"
    overrides = {
        f"vitrine:{role}:modelDataKey": f"packed/{role}/{digest}/model.tar.gz"
        for role in ("segmentation", "attributes", "tryon", "generation")
    }
    template = synth_template("Models", overrides)
    urls = [
        json.dumps(resource["Properties"]["PrimaryContainer"]["ModelDataUrl"])
        for resource in template["Resources"].values()
        if resource["Type"] == "AWS::SageMaker::Model"
        and "ModelDataUrl" in resource["Properties"]["PrimaryContainer"]
        and "avatars" not in json.dumps(resource["Properties"]["PrimaryContainer"]["ModelDataUrl"])
    ]
    assert len(urls) == 4
    assert all(f"/{digest}/model.tar.gz" in url for url in urls)
    for resource in template["Resources"].values():
        assert resource["Properties"].get("ModelName") is None  # replaceable: a new model


def test_unversioned_model_keys_warn_at_synth(synthesized) -> None:
    warnings = [
        str(m.data) for m in synthesized.app.node.find_child("Vitrine-Models").node.metadata
        if "mutable-model-data" in str(m.data)
    ]
    assert len(warnings) == 4, warnings
