from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.attribute_batch_job import AttributeBatchJob
from ...models.attribute_job_create import AttributeJobCreate
from ...models.attribute_model_training_job import AttributeModelTrainingJob
from ...models.avatar_generation_job import AvatarGenerationJob
from ...models.avatar_training_job import AvatarTrainingJob
from ...models.comparison_job import ComparisonJob
from ...models.concept_training_job import ConceptTrainingJob
from ...models.generation_job import GenerationJob
from ...models.problem import Problem
from ...models.product_training_job import ProductTrainingJob
from ...models.style_training_job import StyleTrainingJob
from ...models.try_on_job import TryOnJob
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: AttributeJobCreate,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/attribute-jobs",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    AttributeBatchJob
    | AttributeModelTrainingJob
    | AvatarGenerationJob
    | AvatarTrainingJob
    | ComparisonJob
    | ConceptTrainingJob
    | GenerationJob
    | ProductTrainingJob
    | StyleTrainingJob
    | TryOnJob
    | Problem
    | None
):
    if response.status_code == 202:

        def _parse_response_202(
            data: object,
        ) -> (
            AttributeBatchJob
            | AttributeModelTrainingJob
            | AvatarGenerationJob
            | AvatarTrainingJob
            | ComparisonJob
            | ConceptTrainingJob
            | GenerationJob
            | ProductTrainingJob
            | StyleTrainingJob
            | TryOnJob
        ):
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_202_type_0 = TryOnJob.from_dict(data)

                return response_202_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_202_type_1 = AvatarTrainingJob.from_dict(data)

                return response_202_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_202_type_2 = AvatarGenerationJob.from_dict(data)

                return response_202_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_202_type_3 = AttributeModelTrainingJob.from_dict(data)

                return response_202_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_202_type_4 = AttributeBatchJob.from_dict(data)

                return response_202_type_4
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_202_type_5 = StyleTrainingJob.from_dict(data)

                return response_202_type_5
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_202_type_6 = ProductTrainingJob.from_dict(data)

                return response_202_type_6
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_202_type_7 = ConceptTrainingJob.from_dict(data)

                return response_202_type_7
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_202_type_8 = GenerationJob.from_dict(data)

                return response_202_type_8
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_202_type_9 = ComparisonJob.from_dict(data)

            return response_202_type_9

        response_202 = _parse_response_202(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    AttributeBatchJob
    | AttributeModelTrainingJob
    | AvatarGenerationJob
    | AvatarTrainingJob
    | ComparisonJob
    | ConceptTrainingJob
    | GenerationJob
    | ProductTrainingJob
    | StyleTrainingJob
    | TryOnJob
    | Problem
]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: AttributeJobCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[
    AttributeBatchJob
    | AttributeModelTrainingJob
    | AvatarGenerationJob
    | AvatarTrainingJob
    | ComparisonJob
    | ConceptTrainingJob
    | GenerationJob
    | ProductTrainingJob
    | StyleTrainingJob
    | TryOnJob
    | Problem
]:
    """Queue attributes for up to N images; poll the job at Location (or get the webhook)

     Queue attributes for up to N images; poll the job at Location (or get the webhook).

    Args:
        idempotency_key (str | Unset):
        body (AttributeJobCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AttributeBatchJob | AttributeModelTrainingJob | AvatarGenerationJob | AvatarTrainingJob | ComparisonJob | ConceptTrainingJob | GenerationJob | ProductTrainingJob | StyleTrainingJob | TryOnJob | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: AttributeJobCreate,
    idempotency_key: str | Unset = UNSET,
) -> (
    AttributeBatchJob
    | AttributeModelTrainingJob
    | AvatarGenerationJob
    | AvatarTrainingJob
    | ComparisonJob
    | ConceptTrainingJob
    | GenerationJob
    | ProductTrainingJob
    | StyleTrainingJob
    | TryOnJob
    | Problem
    | None
):
    """Queue attributes for up to N images; poll the job at Location (or get the webhook)

     Queue attributes for up to N images; poll the job at Location (or get the webhook).

    Args:
        idempotency_key (str | Unset):
        body (AttributeJobCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AttributeBatchJob | AttributeModelTrainingJob | AvatarGenerationJob | AvatarTrainingJob | ComparisonJob | ConceptTrainingJob | GenerationJob | ProductTrainingJob | StyleTrainingJob | TryOnJob | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: AttributeJobCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[
    AttributeBatchJob
    | AttributeModelTrainingJob
    | AvatarGenerationJob
    | AvatarTrainingJob
    | ComparisonJob
    | ConceptTrainingJob
    | GenerationJob
    | ProductTrainingJob
    | StyleTrainingJob
    | TryOnJob
    | Problem
]:
    """Queue attributes for up to N images; poll the job at Location (or get the webhook)

     Queue attributes for up to N images; poll the job at Location (or get the webhook).

    Args:
        idempotency_key (str | Unset):
        body (AttributeJobCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AttributeBatchJob | AttributeModelTrainingJob | AvatarGenerationJob | AvatarTrainingJob | ComparisonJob | ConceptTrainingJob | GenerationJob | ProductTrainingJob | StyleTrainingJob | TryOnJob | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: AttributeJobCreate,
    idempotency_key: str | Unset = UNSET,
) -> (
    AttributeBatchJob
    | AttributeModelTrainingJob
    | AvatarGenerationJob
    | AvatarTrainingJob
    | ComparisonJob
    | ConceptTrainingJob
    | GenerationJob
    | ProductTrainingJob
    | StyleTrainingJob
    | TryOnJob
    | Problem
    | None
):
    """Queue attributes for up to N images; poll the job at Location (or get the webhook)

     Queue attributes for up to N images; poll the job at Location (or get the webhook).

    Args:
        idempotency_key (str | Unset):
        body (AttributeJobCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AttributeBatchJob | AttributeModelTrainingJob | AvatarGenerationJob | AvatarTrainingJob | ComparisonJob | ConceptTrainingJob | GenerationJob | ProductTrainingJob | StyleTrainingJob | TryOnJob | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
