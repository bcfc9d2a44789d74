"""Storage stack: encrypted, TLS-only, private, logged buckets; the jobs table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from conftest import Synthesized

DATA_BUCKETS = ("uploads", "results", "models")


def _buckets(synthesized: Synthesized) -> dict[str, dict[str, Any]]:
    return synthesized.resources("Storage", "AWS::S3::Bucket")


def _named(synthesized: Synthesized, purpose: str) -> dict[str, Any]:
    """The data bucket whose name starts with ``vitrine-<purpose>-``."""
    for resource in _buckets(synthesized).values():
        name = resource["Properties"].get("BucketName", {"Fn::Join": ["", [""]]})
        if name["Fn::Join"][1][0] == f"vitrine-{purpose}-":
            properties: dict[str, Any] = resource["Properties"]
            return properties
    raise AssertionError(f"no {purpose} bucket")


def _log_bucket_id(synthesized: Synthesized) -> str:
    unnamed = [
        logical_id
        for logical_id, resource in _buckets(synthesized).items()
        if "BucketName" not in resource["Properties"]
    ]
    assert len(unnamed) == 1, unnamed
    return unnamed[0]


def test_four_buckets_all_private_and_owner_enforced(synthesized: Synthesized) -> None:
    buckets = _buckets(synthesized)
    assert len(buckets) == 4
    for resource in buckets.values():
        properties = resource["Properties"]
        assert properties["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }
        assert properties["OwnershipControls"]["Rules"] == [
            {"ObjectOwnership": "BucketOwnerEnforced"}
        ]


def test_data_buckets_use_the_data_key_and_log_bucket_sse_s3(synthesized: Synthesized) -> None:
    key_ids = list(synthesized.resources("Storage", "AWS::KMS::Key"))
    assert len(key_ids) == 1
    for purpose in DATA_BUCKETS:
        rule = _named(synthesized, purpose)["BucketEncryption"][
            "ServerSideEncryptionConfiguration"
        ][0]
        assert rule["ServerSideEncryptionByDefault"] == {
            "SSEAlgorithm": "aws:kms",
            "KMSMasterKeyID": {"Fn::GetAtt": [key_ids[0], "Arn"]},
        }
        assert rule["BucketKeyEnabled"] is True
    # S3 server access logging only delivers to SSE-S3 buckets.
    log_bucket = _buckets(synthesized)[_log_bucket_id(synthesized)]["Properties"]
    algorithm = log_bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert algorithm["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}


def test_every_bucket_policy_denies_plain_http_and_old_tls(synthesized: Synthesized) -> None:
    buckets = _buckets(synthesized)
    policies = synthesized.resources("Storage", "AWS::S3::BucketPolicy")
    covered = set()
    for policy in policies.values():
        statements = policy["Properties"]["PolicyDocument"]["Statement"]
        denies = [s for s in statements if s["Effect"] == "Deny" and s["Action"] == "s3:*"]
        conditions = [s["Condition"] for s in denies]
        assert {"Bool": {"aws:SecureTransport": "false"}} in conditions
        assert {"NumericLessThan": {"s3:TlsVersion": 1.2}} in conditions
        covered.add(policy["Properties"]["Bucket"]["Ref"])
    assert covered == set(buckets)


def test_data_buckets_log_to_the_log_bucket(synthesized: Synthesized) -> None:
    log_bucket = _log_bucket_id(synthesized)
    for purpose in DATA_BUCKETS:
        logging = _named(synthesized, purpose)["LoggingConfiguration"]
        assert logging == {
            "DestinationBucketName": {"Ref": log_bucket},
            "LogFilePrefix": f"{purpose}/",
        }


def test_lifecycles_follow_the_context(synthesized: Synthesized) -> None:
    context = synthesized.context

    def expiry(purpose: str) -> int | None:
        rules = _named(synthesized, purpose)["LifecycleConfiguration"]["Rules"]
        days = [rule["ExpirationInDays"] for rule in rules if "ExpirationInDays" in rule]
        return days[0] if days else None

    assert expiry("uploads") == context["vitrine:uploadsExpirationDays"]
    # Results live as long as their jobs (VITRINE_JOB_TTL_DAYS is set from the same value).
    assert expiry("results") == context["vitrine:jobTtlDays"]
    assert expiry("models") is None
    models = _named(synthesized, "models")
    assert models["VersioningConfiguration"] == {"Status": "Enabled"}
    assert {
        "Id": "expire-noncurrent",
        "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
        "Status": "Enabled",
    } in models["LifecycleConfiguration"]["Rules"]


def test_browser_cors_only_for_the_configured_origins(synthesized: Synthesized) -> None:
    origins = synthesized.context["vitrine:corsAllowOrigins"]
    (upload_rule,) = _named(synthesized, "uploads")["CorsConfiguration"]["CorsRules"]
    assert upload_rule["AllowedMethods"] == ["PUT"]
    assert upload_rule["AllowedOrigins"] == origins
    # A browser sends the headers the URL is signed with; the preflight must allow them.
    assert {"x-amz-server-side-encryption", "x-amz-server-side-encryption-aws-kms-key-id"} <= set(
        upload_rule["AllowedHeaders"]
    )
    (result_rule,) = _named(synthesized, "results")["CorsConfiguration"]["CorsRules"]
    assert set(result_rule["AllowedMethods"]) == {"GET", "HEAD"}
    assert "CorsConfiguration" not in _named(synthesized, "models")


def test_data_key_rotates(synthesized: Synthesized) -> None:
    synthesized.template("Storage").has_resource_properties(
        "AWS::KMS::Key", {"EnableKeyRotation": True}
    )


def test_jobs_table_single_table_design(synthesized: Synthesized) -> None:
    tables = synthesized.resources("Storage", "AWS::DynamoDB::Table")
    assert len(tables) == 1
    (table,) = tables.values()
    properties = table["Properties"]
    assert properties["KeySchema"] == [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    types = {d["AttributeName"]: d["AttributeType"] for d in properties["AttributeDefinitions"]}
    assert types == {"pk": "S", "sk": "S", "gsi1pk": "S", "gsi1sk": "S", "wh_pk": "S",
                     "wh_due": "N", "gsi2pk": "S", "gsi2sk": "S"}  # fmt: skip
    assert properties["TimeToLiveSpecification"] == {"AttributeName": "expires_at", "Enabled": True}
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["SSESpecification"]["SSEType"] == "KMS"
    assert properties["SSESpecification"]["SSEEnabled"] is True
    assert properties["DeletionProtectionEnabled"] is True
    assert table["DeletionPolicy"] == "Retain"
    by_kind, webhooks, running = properties["GlobalSecondaryIndexes"]
    assert by_kind["IndexName"] == "by_kind"
    assert by_kind["Projection"] == {"ProjectionType": "ALL"}
    # Pending webhook deliveries by due time: the sweep needs only the keys.
    assert webhooks["IndexName"] == "webhooks_due"
    assert webhooks["Projection"] == {"ProjectionType": "KEYS_ONLY"}
    assert [k["AttributeName"] for k in webhooks["KeySchema"]] == ["wh_pk", "wh_due"]
    # Sparse: only running jobs carry its keys (api/adapters/aws/dynamo.py)
    assert running["IndexName"] == "running"
    assert [k["AttributeName"] for k in running["KeySchema"]] == ["gsi2pk", "gsi2sk"]


def test_table_index_names_match_the_settings_defaults(synthesized: Synthesized) -> None:
    from api.settings import Settings

    (table,) = synthesized.resources("Storage", "AWS::DynamoDB::Table").values()
    names = [index["IndexName"] for index in table["Properties"]["GlobalSecondaryIndexes"]]
    assert names == [
        Settings.model_fields["jobs_table_kind_index"].default,
        Settings.model_fields["jobs_table_webhook_index"].default,
        Settings.model_fields["jobs_table_running_index"].default,
    ]


NAME_PROPERTIES = ("BucketName", "TableName", "LogGroupName")


def _retained_names(templates: dict[str, dict[str, Any]]) -> dict[str, str]:
    """``stack/logical id`` -> the fixed physical name of each retained resource."""
    from cdk.nag import flatten_reference

    names = {}
    for stack, template in templates.items():
        for logical, resource in template["Resources"].items():
            if resource.get("DeletionPolicy") != "Retain":
                continue
            for prop in NAME_PROPERTIES:
                if prop in resource.get("Properties", {}):
                    names[f"{stack}/{logical}"] = flatten_reference(resource["Properties"][prop])
    return names


def test_retained_resources_with_fixed_names_take_the_resource_suffix(synth_template) -> None:
    """A redeploy after deleting the stacks would fail with AlreadyExists on every
    retained resource with a fixed name: ``vitrine:resourceSuffix`` renames them all."""
    templates = {
        stack: synth_template(stack, {"vitrine:resourceSuffix": "zz9"})
        for stack in ("Storage", "Api")
    }
    names = _retained_names(templates)
    assert len(names) >= 6  # 3 data buckets, the jobs table, 2 WAF log groups
    for where, name in names.items():
        assert name.endswith("-zz9"), (where, name)
    api = templates["Api"]
    variables = [
        r["Properties"]["Environment"]["Variables"] for r in api["Resources"].values()
        if r["Type"] == "AWS::Lambda::Function"
    ]
    from cdk.nag import flatten_reference

    for env in variables:
        assert flatten_reference(env["VITRINE_UPLOADS_BUCKET"]).endswith("-zz9")
        assert flatten_reference(env["VITRINE_JOBS_TABLE"]).endswith("-zz9")


def test_default_names_are_unchanged(synthesized) -> None:
    names = _retained_names(synthesized.templates)
    assert "Vitrine-jobs" in names.values()
    assert not any(name.endswith("-") for name in names.values())
