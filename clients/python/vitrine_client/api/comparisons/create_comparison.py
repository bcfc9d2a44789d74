from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.comparison_create import ComparisonCreate
from ...models.comparison_job import ComparisonJob
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ComparisonCreate,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/comparisons",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ComparisonJob | Problem | None:
    if response.status_code == 202:
        response_202 = ComparisonJob.from_dict(response.json())

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
) -> Response[ComparisonJob | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ComparisonCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[ComparisonJob | Problem]:
    """Queue a comparison; poll it at Location (``progress`` counts images) or get the webhook

     Queue a comparison; poll it at Location (``progress`` counts images) or get the webhook.

    Each prompt is moderated (a flagged row is recorded as blocked); ``adapters`` and
    ``style_model_id`` name your own ready models (another tenant's or an unknown id is
    404, one still training 409, one of the wrong kind 422).

    Args:
        idempotency_key (str | Unset):
        body (ComparisonCreate): A prompt set (inline, or an uploaded CSV/JSONL) x model
            configurations.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ComparisonJob | Problem]
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
    body: ComparisonCreate,
    idempotency_key: str | Unset = UNSET,
) -> ComparisonJob | Problem | None:
    """Queue a comparison; poll it at Location (``progress`` counts images) or get the webhook

     Queue a comparison; poll it at Location (``progress`` counts images) or get the webhook.

    Each prompt is moderated (a flagged row is recorded as blocked); ``adapters`` and
    ``style_model_id`` name your own ready models (another tenant's or an unknown id is
    404, one still training 409, one of the wrong kind 422).

    Args:
        idempotency_key (str | Unset):
        body (ComparisonCreate): A prompt set (inline, or an uploaded CSV/JSONL) x model
            configurations.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ComparisonJob | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ComparisonCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[ComparisonJob | Problem]:
    """Queue a comparison; poll it at Location (``progress`` counts images) or get the webhook

     Queue a comparison; poll it at Location (``progress`` counts images) or get the webhook.

    Each prompt is moderated (a flagged row is recorded as blocked); ``adapters`` and
    ``style_model_id`` name your own ready models (another tenant's or an unknown id is
    404, one still training 409, one of the wrong kind 422).

    Args:
        idempotency_key (str | Unset):
        body (ComparisonCreate): A prompt set (inline, or an uploaded CSV/JSONL) x model
            configurations.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ComparisonJob | Problem]
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
    body: ComparisonCreate,
    idempotency_key: str | Unset = UNSET,
) -> ComparisonJob | Problem | None:
    """Queue a comparison; poll it at Location (``progress`` counts images) or get the webhook

     Queue a comparison; poll it at Location (``progress`` counts images) or get the webhook.

    Each prompt is moderated (a flagged row is recorded as blocked); ``adapters`` and
    ``style_model_id`` name your own ready models (another tenant's or an unknown id is
    404, one still training 409, one of the wrong kind 422).

    Args:
        idempotency_key (str | Unset):
        body (ComparisonCreate): A prompt set (inline, or an uploaded CSV/JSONL) x model
            configurations.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ComparisonJob | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
