"""Facts about SageMaker instance types that the adapters and the CDK stacks share."""

from __future__ import annotations

# Instance families with local NVMe storage: SageMaker encrypts it in hardware and
# rejects a volume KMS key (endpoint-config ``KmsKeyId``, training ``VolumeKmsKeyId``).
INSTANCE_STORAGE_FAMILIES = frozenset(
    {
        "g4dn",
        "g5",
        "g6",
        "g6e",
        "p3dn",
        "p4d",
        "p4de",
        "p5",
        "p5e",
        "m5d",
        "c5d",
        "r5d",
        "inf2",
        "trn1",
    }
)


def has_instance_storage(instance_type: str) -> bool:
    """``ml.g5.2xlarge`` → True (``g5`` has NVMe instance storage)."""
    parts = instance_type.split(".")
    return len(parts) == 3 and parts[1] in INSTANCE_STORAGE_FAMILIES
