from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.avatar_model_public import AvatarModelPublic
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    avatar_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/avatar-models/{avatar_id}".format(
            avatar_id=quote(str(avatar_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AvatarModelPublic | Problem | None:
    if response.status_code == 200:
        response_200 = AvatarModelPublic.from_dict(response.json())

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
) -> Response[AvatarModelPublic | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    avatar_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[AvatarModelPublic | Problem]:
    """The avatar (status, training figures), if it is the caller's

     The avatar (status, training figures), if it is the caller's.

    Args:
        avatar_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AvatarModelPublic | Problem]
    """

    kwargs = _get_kwargs(
        avatar_id=avatar_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    avatar_id: str,
    *,
    client: AuthenticatedClient,
) -> AvatarModelPublic | Problem | None:
    """The avatar (status, training figures), if it is the caller's

     The avatar (status, training figures), if it is the caller's.

    Args:
        avatar_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AvatarModelPublic | Problem
    """

    return sync_detailed(
        avatar_id=avatar_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    avatar_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[AvatarModelPublic | Problem]:
    """The avatar (status, training figures), if it is the caller's

     The avatar (status, training figures), if it is the caller's.

    Args:
        avatar_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AvatarModelPublic | Problem]
    """

    kwargs = _get_kwargs(
        avatar_id=avatar_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    avatar_id: str,
    *,
    client: AuthenticatedClient,
) -> AvatarModelPublic | Problem | None:
    """The avatar (status, training figures), if it is the caller's

     The avatar (status, training figures), if it is the caller's.

    Args:
        avatar_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AvatarModelPublic | Problem
    """

    return (
        await asyncio_detailed(
            avatar_id=avatar_id,
            client=client,
        )
    ).parsed
