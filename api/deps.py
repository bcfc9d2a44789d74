"""FastAPI dependencies as ``Annotated`` aliases: the container, its settings, the tenant."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from api.bootstrap import Container
from api.domain.errors import Unauthorized
from api.settings import Settings

# Documents the header in OpenAPI (and Swagger's "Authorize"); resolution is the
# container's TenantResolver, which on AWS reads the API Gateway request context.
_api_key = APIKeyHeader(name="x-api-key", auto_error=False, scheme_name="ApiKey")


def get_container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


ContainerDep = Annotated[Container, Depends(get_container)]


def get_settings(container: ContainerDep) -> Settings:
    return container.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_tenant(
    request: Request,
    container: ContainerDep,
    _api_key_header: Annotated[str | None, Security(_api_key)],
) -> str:
    """The caller's tenant; 401 problem+json when there is none."""
    tenant = container.tenants.resolve(request.headers, request.scope.get("aws.event"))
    if tenant is None:
        raise Unauthorized("send a valid API key in the x-api-key header")
    return tenant


TenantDep = Annotated[str, Depends(get_tenant)]
