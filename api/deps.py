"""FastAPI dependencies as ``Annotated`` aliases: the use cases, settings, the tenant.

The app factory puts the composition root's ``Services`` (and the tenant resolver,
settings and presenter) on ``app.state``; routes name the use case they call.

No ``from __future__ import annotations`` here nor in ``api/routers``: FastAPI reads
these annotations when each route is declared, and string annotations would be
evaluated again for every route that uses a dependency (API Lambda cold start).
"""

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from api.domain.errors import Unauthorized
from api.ports import TenantResolver
from api.presenters import Presenter
from api.services.attribute_batches import RequestAttributeBatch
from api.services.attribute_models import AttributeModels
from api.services.attributes import ExtractAttributes
from api.services.avatar_generation import RequestAvatarGeneration
from api.services.avatars import AvatarModels
from api.services.catalog import Services
from api.services.comparisons import Comparisons
from api.services.descriptions import WriteDescription
from api.services.generations import RequestGeneration
from api.services.jobs import JobCore
from api.services.models import TenantModels
from api.services.products import DescribeProduct
from api.services.segmentation import Segment
from api.services.taxonomies import Taxonomies
from api.services.try_on import RequestTryOn
from api.services.uploads import Uploads
from api.services.webhook_secrets import WebhookSecrets
from api.settings import Settings

# Documents the header in OpenAPI (and Swagger's "Authorize"); resolution is the
# TenantResolver port, which on AWS reads the API Gateway request context.
_api_key = APIKeyHeader(
    name="x-api-key",
    auto_error=False,
    scheme_name="ApiKey",
    description="A partner's API key (API Gateway usage plan on AWS; VITRINE_API_KEYS locally).",
)
# Either scheme authenticates a request (OpenAPI lists them as alternatives).
_cognito = HTTPBearer(
    auto_error=False,
    scheme_name="CognitoBearer",
    bearerFormat="JWT",
    description="A Cognito user-pool ID token (storefront frontends; AWS profile).",
)


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


def get_tenant(
    request: Request,
    _api_key_header: Annotated[str | None, Security(_api_key)],
    _bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_cognito)],
) -> str:
    """The caller's tenant; 401 problem+json when there is none."""
    tenants: TenantResolver = request.app.state.tenants
    tenant = tenants.resolve(request.headers, request.scope.get("aws.event"))
    if tenant is None:
        raise Unauthorized("send a valid API key in the x-api-key header")
    return tenant


TenantDep = Annotated[str, Depends(get_tenant)]


def _use_case(pick: Callable[[Services], Any]) -> Any:
    """``Depends`` on the use case ``pick`` takes from the app's ``Services``."""

    def dependency(services: ServicesDep) -> Any:
        return pick(services)

    return Depends(dependency)


JobsDep = Annotated[JobCore, _use_case(lambda s: s.jobs)]
TryOnsDep = Annotated[RequestTryOn, _use_case(lambda s: s.try_ons)]
AvatarsDep = Annotated[AvatarModels, _use_case(lambda s: s.avatars)]
AvatarGenerationsDep = Annotated[
    RequestAvatarGeneration, _use_case(lambda s: s.avatar_generations)
]
SegmentDep = Annotated[Segment, _use_case(lambda s: s.segment)]
AttributesDep = Annotated[ExtractAttributes, _use_case(lambda s: s.attributes)]
DescribeDep = Annotated[WriteDescription, _use_case(lambda s: s.describe)]
ProductsDep = Annotated[DescribeProduct, _use_case(lambda s: s.products)]
UploadsDep = Annotated[Uploads, _use_case(lambda s: s.uploads)]
WebhookSecretsDep = Annotated[WebhookSecrets, _use_case(lambda s: s.webhook_secrets)]
AttributeModelsDep = Annotated[AttributeModels, _use_case(lambda s: s.attribute_models)]
AttributeBatchesDep = Annotated[
    RequestAttributeBatch, _use_case(lambda s: s.attribute_batches)
]
TaxonomiesDep = Annotated[Taxonomies, _use_case(lambda s: s.taxonomies)]
ModelsDep = Annotated[TenantModels, _use_case(lambda s: s.models)]
GenerationsDep = Annotated[RequestGeneration, _use_case(lambda s: s.generations)]
ComparisonsDep = Annotated[Comparisons, _use_case(lambda s: s.comparisons)]
