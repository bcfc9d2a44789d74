"""Tenancy on AWS: from the API Gateway request context, and nothing else.

API Gateway fills ``requestContext`` after its own checks: the Cognito authorizer's
verified claims (frontends) or the id of the API key it validated (partners). Headers
and bodies are client-controlled, so an ``x-api-key`` or ``x-tenant`` header alone
never names a tenant here: without a request context the caller is unauthenticated.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

# Tenants appear in S3 keys and DynamoDB keys: no separators, no path tricks.
_TENANT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")


def valid_tenant(value: Any) -> str | None:
    if isinstance(value, str) and _TENANT.fullmatch(value) and ".." not in value:
        return value
    return None


class RequestContextTenantResolver:
    """``TenantResolver`` reading ``requestContext`` of an API Gateway REST proxy event.

    The Cognito ``sub`` wins when both are present (a frontend route that also needs a
    key): the signed-in user, not the key the app ships, owns the records.
    """

    def resolve(
        self, headers: Mapping[str, str], aws_event: Mapping[str, Any] | None
    ) -> str | None:
        if not aws_event:
            return None
        context = aws_event.get("requestContext") or {}
        authorizer = context.get("authorizer") or {}
        claims = authorizer.get("claims") or {}
        sub = valid_tenant(claims.get("sub"))
        if sub:
            return sub
        identity = context.get("identity") or {}
        return valid_tenant(identity.get("apiKeyId"))
