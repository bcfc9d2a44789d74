from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.attribute_batch_job import AttributeBatchJob
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
from ...types import Response


def _get_kwargs(
    job_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/jobs/{job_id}".format(
            job_id=quote(str(job_id), safe=""),
        ),
    }

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
    if response.status_code == 200:

        def _parse_response_200(
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
                response_200_type_0 = TryOnJob.from_dict(data)

                return response_200_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_1 = AvatarTrainingJob.from_dict(data)

                return response_200_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_2 = AvatarGenerationJob.from_dict(data)

                return response_200_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_3 = AttributeModelTrainingJob.from_dict(data)

                return response_200_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_4 = AttributeBatchJob.from_dict(data)

                return response_200_type_4
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_5 = StyleTrainingJob.from_dict(data)

                return response_200_type_5
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_6 = ProductTrainingJob.from_dict(data)

                return response_200_type_6
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_7 = ConceptTrainingJob.from_dict(data)

                return response_200_type_7
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_8 = GenerationJob.from_dict(data)

                return response_200_type_8
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_200_type_9 = ComparisonJob.from_dict(data)

            return response_200_type_9

        response_200 = _parse_response_200(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
    job_id: str,
    *,
    client: AuthenticatedClient,
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
    """The job, if it is the caller's

     The job, if it is the caller's.

    Args:
        job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AttributeBatchJob | AttributeModelTrainingJob | AvatarGenerationJob | AvatarTrainingJob | ComparisonJob | ConceptTrainingJob | GenerationJob | ProductTrainingJob | StyleTrainingJob | TryOnJob | Problem]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    job_id: str,
    *,
    client: AuthenticatedClient,
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
    """The job, if it is the caller's

     The job, if it is the caller's.

    Args:
        job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AttributeBatchJob | AttributeModelTrainingJob | AvatarGenerationJob | AvatarTrainingJob | ComparisonJob | ConceptTrainingJob | GenerationJob | ProductTrainingJob | StyleTrainingJob | TryOnJob | Problem
    """

    return sync_detailed(
        job_id=job_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    job_id: str,
    *,
    client: AuthenticatedClient,
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
    """The job, if it is the caller's

     The job, if it is the caller's.

    Args:
        job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AttributeBatchJob | AttributeModelTrainingJob | AvatarGenerationJob | AvatarTrainingJob | ComparisonJob | ConceptTrainingJob | GenerationJob | ProductTrainingJob | StyleTrainingJob | TryOnJob | Problem]
    """

    kwargs = _get_kwargs(
        job_id=job_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    job_id: str,
    *,
    client: AuthenticatedClient,
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
    """The job, if it is the caller's

     The job, if it is the caller's.

    Args:
        job_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AttributeBatchJob | AttributeModelTrainingJob | AvatarGenerationJob | AvatarTrainingJob | ComparisonJob | ConceptTrainingJob | GenerationJob | ProductTrainingJob | StyleTrainingJob | TryOnJob | Problem
    """

    return (
        await asyncio_detailed(
            job_id=job_id,
            client=client,
        )
    ).parsed
