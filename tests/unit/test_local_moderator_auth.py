"""The local moderator's word list and the local API-key resolver."""

from __future__ import annotations

from api.adapters.local.auth import ApiKeyTenantResolver
from api.adapters.local.moderator import WordListModerator


def test_blocked_terms_are_found_on_word_boundaries_and_across_case_and_accents() -> None:
    moderator = WordListModerator()
    verdict = moderator.check_text("A NAKED mannequin")
    assert verdict.flagged and verdict.reasons == ["blocked term: naked"]
    assert moderator.check_text("pornó shoot").flagged
    assert not moderator.check_text("snakedskin boots").flagged


def test_fashion_words_pass() -> None:
    moderator = WordListModerator()
    for text in ("a nude-coloured silk slip dress", "red linen shirt", "gorgeous gown"):
        assert not moderator.check_text(text).flagged, text


def test_images_pass_locally() -> None:
    assert not WordListModerator().check_image(b"\x89PNG...").flagged


def test_api_keys_resolve_to_their_tenant_only() -> None:
    resolver = ApiKeyTenantResolver({"key-a": "tenant-a", "key-b": "tenant-b"})
    assert resolver.resolve({"x-api-key": "key-a"}, None) == "tenant-a"
    assert resolver.resolve({"x-api-key": "key-b"}, None) == "tenant-b"
    assert resolver.resolve({"x-api-key": "key-c"}, None) is None
    assert resolver.resolve({"x-api-key": "key-a "}, None) is None
    assert resolver.resolve({}, None) is None


def test_no_configured_keys_means_nobody_gets_in() -> None:
    assert ApiKeyTenantResolver({}).resolve({"x-api-key": ""}, None) is None
