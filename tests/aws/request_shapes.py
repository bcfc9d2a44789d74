"""Every AWS call the adapters make, validated against botocore's service model.

botocore validates parameters itself, but only when a client was built with
``parameter_validation`` on, and moto or a Stubber would hide a request AWS rejects for
its shape. So every call made while ``tests/aws`` runs goes through ``ParamValidator``
here, explicitly, with the exact parameters sent; the operations seen are recorded for
``test_zz_request_shapes.py``, which checks each operation the adapters call was seen.
"""

from __future__ import annotations

from typing import Any

from botocore.client import BaseClient
from botocore.validate import ParamValidator

SEEN: dict[tuple[str, str], int] = {}
_VALIDATOR = ParamValidator()
# Wrapped where botocore itself validates: after the customizations that rewrite
# parameters (boto3 turns a dict CopySource into a string), before serialization.
_original = BaseClient._convert_to_request_dict


class InvalidRequest(AssertionError):
    """A request that AWS would reject for its shape."""


def _validating_call(
    self: BaseClient, api_params: dict[str, Any], operation_model: Any, *args: Any, **kwargs: Any
) -> Any:
    report = _VALIDATOR.validate(api_params, operation_model.input_shape)
    service = self.meta.service_model.service_name
    if report.has_errors():
        raise InvalidRequest(f"{service}.{operation_model.name}: {report.generate_report()}")
    key = (service, operation_model.name)
    SEEN[key] = SEEN.get(key, 0) + 1
    return _original(self, api_params, operation_model, *args, **kwargs)


def install() -> None:
    BaseClient._convert_to_request_dict = _validating_call  # type: ignore[method-assign]


def uninstall() -> None:
    BaseClient._convert_to_request_dict = _original  # type: ignore[method-assign]
