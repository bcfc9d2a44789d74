from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.generation_create import GenerationCreate
from ...models.generation_job import GenerationJob
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: GenerationCreate,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/generations",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> GenerationJob | Problem | None:
    if response.status_code == 202:
        response_202 = GenerationJob.from_dict(response.json())

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
) -> Response[GenerationJob | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: GenerationCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[GenerationJob | Problem]:
    """Queue a generation; poll the job at Location (or receive the webhook)

     Queue a generation; poll the job at Location (or receive the webhook).

    ``adapters`` name your own ready product/concept models: an unknown model (or
    another tenant's) is 404, one still training 409, one of another kind 422.

    Args:
        idempotency_key (str | Unset):
        body (GenerationCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GenerationJob | Problem]
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
    body: GenerationCreate,
    idempotency_key: str | Unset = UNSET,
) -> GenerationJob | Problem | None:
    """Queue a generation; poll the job at Location (or receive the webhook)

     Queue a generation; poll the job at Location (or receive the webhook).

    ``adapters`` name your own ready product/concept models: an unknown model (or
    another tenant's) is 404, one still training 409, one of another kind 422.

    Args:
        idempotency_key (str | Unset):
        body (GenerationCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GenerationJob | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: GenerationCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[GenerationJob | Problem]:
    """Queue a generation; poll the job at Location (or receive the webhook)

     Queue a generation; poll the job at Location (or receive the webhook).

    ``adapters`` name your own ready product/concept models: an unknown model (or
    another tenant's) is 404, one still training 409, one of another kind 422.

    Args:
        idempotency_key (str | Unset):
        body (GenerationCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GenerationJob | Problem]
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
    body: GenerationCreate,
    idempotency_key: str | Unset = UNSET,
) -> GenerationJob | Problem | None:
    """Queue a generation; poll the job at Location (or receive the webhook)

     Queue a generation; poll the job at Location (or receive the webhook).

    ``adapters`` name your own ready product/concept models: an unknown model (or
    another tenant's) is 404, one still training 409, one of another kind 422.

    Args:
        idempotency_key (str | Unset):
        body (GenerationCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GenerationJob | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
