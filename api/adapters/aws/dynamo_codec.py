"""DynamoDB attribute values <-> JSON-safe Python, and the single-table key layout.

DynamoDB numbers are ``Decimal``: floats go in as ``Decimal(repr(x))`` (exact, no
binary noise) and come back as ``int`` when written without a fraction, else ``float``.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from boto3.dynamodb.types import Binary, TypeDeserializer, TypeSerializer

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def tenant_pk(tenant: str) -> str:
    return f"TENANT#{tenant}"


def job_sk(job_id: str) -> str:
    return f"JOB#{job_id}"


def kind_pk(tenant: str, kind: str) -> str:
    """The GSI partition: one tenant's jobs of one kind (sorted by creation time)."""
    return f"TENANT#{tenant}#KIND#{kind}"


def to_attr(value: Any) -> dict[str, Any]:
    """One Python value (JSON-like, bytes allowed) as a DynamoDB attribute value."""
    attr: dict[str, Any] = dict(_serializer.serialize(_decimalize(value)))
    return attr


def to_item(values: dict[str, Any]) -> dict[str, Any]:
    """A whole item; ``None`` values are left out (absent, not NULL)."""
    return {k: to_attr(v) for k, v in values.items() if v is not None}


def from_item(item: dict[str, Any]) -> dict[str, Any]:
    return {k: from_attr(v) for k, v in item.items()}


def from_attr(attr: dict[str, Any]) -> Any:
    return _jsonify(_deserializer.deserialize(attr))  # type: ignore[arg-type]


def _decimalize(value: Any) -> Any:
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("NaN and infinity cannot be stored")
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {str(k): _decimalize(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_decimalize(v) for v in value]
    return value


def _jsonify(value: Any) -> Any:
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        return int(value) if isinstance(exponent, int) and exponent >= 0 else float(value)
    if isinstance(value, Binary):
        return bytes(value.value)  # type: ignore[attr-defined]  # boto3-stubs omit it
    if isinstance(value, dict):
        return {k: _jsonify(v) for k, v in value.items()}
    if isinstance(value, list | set | frozenset):
        return [_jsonify(v) for v in value]
    return value
