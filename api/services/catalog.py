"""The use cases one deployment runs, as the composition root builds them.

Routers reach them through ``api/deps.py``; the Lambdas through ``lambdas/_root.py``.
Each was built with only the ports it uses (see ``api/bootstrap.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from api.services.attribute_batches import RequestAttributeBatch
    from api.services.attribute_models import AttributeModels
    from api.services.attributes import ExtractAttributes
    from api.services.avatar_generation import RequestAvatarGeneration
    from api.services.avatars import AvatarModels
    from api.services.comparisons import Comparisons
    from api.services.descriptions import WriteDescription
    from api.services.generations import RequestGeneration
    from api.services.idempotency import Idempotency
    from api.services.jobs import JobCore
    from api.services.models import TenantModels
    from api.services.products import DescribeProduct
    from api.services.segmentation import Segment
    from api.services.taxonomies import Taxonomies
    from api.services.try_on import RequestTryOn
    from api.services.uploads import Uploads
    from api.services.webhook_secrets import WebhookSecrets


@dataclass(frozen=True, slots=True)
class Services:
    """The use cases the routers and the Lambdas call, built by the composition root."""

    jobs: JobCore
    try_ons: RequestTryOn
    avatars: AvatarModels
    avatar_generations: RequestAvatarGeneration
    segment: Segment
    attributes: ExtractAttributes
    describe: WriteDescription
    products: DescribeProduct
    uploads: Uploads
    idempotency: Idempotency
    webhook_secrets: WebhookSecrets
    taxonomies: Taxonomies
    attribute_models: AttributeModels
    attribute_batches: RequestAttributeBatch
    models: TenantModels
    generations: RequestGeneration
    comparisons: Comparisons
