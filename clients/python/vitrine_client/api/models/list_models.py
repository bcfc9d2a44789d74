from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_models_kind_type_0 import ListModelsKindType0
from ...models.models_public import ModelsPublic
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    kind: ListModelsKindType0 | None | Unset = UNSET,
    limit: int | Unset = 20,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_kind: None | str | Unset
    if isinstance(kind, Unset):
        json_kind = UNSET
    elif isinstance(kind, str):
        json_kind = kind
    else:
        json_kind = kind
    params["kind"] = json_kind

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/models",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ModelsPublic | Problem | None:
    if response.status_code == 200:
        response_200 = ModelsPublic.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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
) -> Response[ModelsPublic | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    kind: ListModelsKindType0 | None | Unset = UNSET,
    limit: int | Unset = 20,
) -> Response[ModelsPublic | Problem]:
    """The caller's models (of one kind, or all), newest first

     The caller's models (of one kind, or all), newest first.

    Args:
        kind (ListModelsKindType0 | None | Unset): Only models of this kind.
        limit (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ModelsPublic | Problem]
    """

    kwargs = _get_kwargs(
        kind=kind,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    kind: ListModelsKindType0 | None | Unset = UNSET,
    limit: int | Unset = 20,
) -> ModelsPublic | Problem | None:
    """The caller's models (of one kind, or all), newest first

     The caller's models (of one kind, or all), newest first.

    Args:
        kind (ListModelsKindType0 | None | Unset): Only models of this kind.
        limit (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ModelsPublic | Problem
    """

    return sync_detailed(
        client=client,
        kind=kind,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    kind: ListModelsKindType0 | None | Unset = UNSET,
    limit: int | Unset = 20,
) -> Response[ModelsPublic | Problem]:
    """The caller's models (of one kind, or all), newest first

     The caller's models (of one kind, or all), newest first.

    Args:
        kind (ListModelsKindType0 | None | Unset): Only models of this kind.
        limit (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ModelsPublic | Problem]
    """

    kwargs = _get_kwargs(
        kind=kind,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    kind: ListModelsKindType0 | None | Unset = UNSET,
    limit: int | Unset = 20,
) -> ModelsPublic | Problem | None:
    """The caller's models (of one kind, or all), newest first

     The caller's models (of one kind, or all), newest first.

    Args:
        kind (ListModelsKindType0 | None | Unset): Only models of this kind.
        limit (int | Unset):  Default: 20.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ModelsPublic | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            kind=kind,
            limit=limit,
        )
    ).parsed
