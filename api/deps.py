"""FastAPI dependencies as ``Annotated`` aliases: the use cases, settings, the tenant.

The app factory puts the composition root's ``Services`` (and the tenant resolver,
settings and presenter) on ``app.state``; routes name the use case they call.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from api.domain.errors import Unauthorized
from api.ports import TenantResolver
from api.presenters import Presenter
from api.services.attributes import ExtractAttributes
from api.services.avatar_generation import RequestAvatarGeneration
from api.services.avatars import AvatarModels
from api.services.catalog import Services
from api.services.descriptions import WriteDescription
from api.services.jobs import JobCore
from api.services.products import DescribeProduct
from api.services.segmentation import Segment
from api.services.try_on import RequestTryOn
from api.services.uploads import Uploads
from api.settings import Settings

# Documents the header in OpenAPI (and Swagger's "Authorize"); resolution is the
# TenantResolver port, which on AWS reads the API Gateway request context.
_api_key = APIKeyHeader(name="x-api-key", auto_error=False, scheme_name="ApiKey")


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_presenter(request: Request) -> Presenter:
    presenter: Presenter = request.app.state.presenter
    return presenter


PresenterDep = Annotated[Presenter, Depends(get_presenter)]


def get_tenant(request: Request, _api_key_header: Annotated[str | None, Security(_api_key)]) -> str:
    """The caller's tenant; 401 problem+json when there is none."""
    tenants: TenantResolver = request.app.state.tenants
    tenant = tenants.resolve(request.headers, request.scope.get("aws.event"))
    if tenant is None:
        raise Unauthorized("send a valid API key in the x-api-key header")
    return tenant


TenantDep = Annotated[str, Depends(get_tenant)]


def _jobs(services: ServicesDep) -> JobCore:
    return services.jobs


def _try_ons(services: ServicesDep) -> RequestTryOn:
    return services.try_ons


def _avatars(services: ServicesDep) -> AvatarModels:
    return services.avatars


def _avatar_generations(services: ServicesDep) -> RequestAvatarGeneration:
    return services.avatar_generations


def _segment(services: ServicesDep) -> Segment:
    return services.segment


def _attributes(services: ServicesDep) -> ExtractAttributes:
    return services.attributes


def _describe(services: ServicesDep) -> WriteDescription:
    return services.describe


def _products(services: ServicesDep) -> DescribeProduct:
    return services.products


def _uploads(services: ServicesDep) -> Uploads:
    return services.uploads


JobsDep = Annotated[JobCore, Depends(_jobs)]
TryOnsDep = Annotated[RequestTryOn, Depends(_try_ons)]
AvatarsDep = Annotated[AvatarModels, Depends(_avatars)]
AvatarGenerationsDep = Annotated[RequestAvatarGeneration, Depends(_avatar_generations)]
SegmentDep = Annotated[Segment, Depends(_segment)]
AttributesDep = Annotated[ExtractAttributes, Depends(_attributes)]
DescribeDep = Annotated[WriteDescription, Depends(_describe)]
ProductsDep = Annotated[DescribeProduct, Depends(_products)]
UploadsDep = Annotated[Uploads, Depends(_uploads)]
