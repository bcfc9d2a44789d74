"""Moderation over botocore Stubbers (moto lacks both calls)."""

from __future__ import annotations

import io
import os

import boto3
import pytest
from botocore.stub import ANY, Stubber
from PIL import Image

from api.adapters.aws.moderation import (
    REKOGNITION_MAX_BYTES,
    SEGMENT_BYTES,
    AwsModerator,
    rekognition_ready,
    text_segments,
)
from api.domain import errors as e
from tests.aws.conftest import REGION, aws_settings


def image_bytes(fmt: str, size: tuple[int, int] = (8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


@pytest.fixture
def moderator():
    comprehend = boto3.client("comprehend", region_name=REGION)
    rekognition = boto3.client("rekognition", region_name=REGION)
    mod = AwsModerator(
        settings=aws_settings(moderation_min_confidence=70),
        comprehend=comprehend,
        rekognition=rekognition,
    )
    with Stubber(comprehend) as c, Stubber(rekognition) as r:
        yield mod, c, r
        c.assert_no_pending_responses()
        r.assert_no_pending_responses()


def toxic(labels: dict[str, float], toxicity: float) -> dict:
    return {"Labels": [{"Name": n, "Score": s} for n, s in labels.items()], "Toxicity": toxicity}


def test_toxic_text_is_flagged_with_the_labels_above_the_threshold(moderator):
    mod, comprehend, _ = moderator
    comprehend.add_response(
        "detect_toxic_content",
        {"ResultList": [toxic({"SEXUAL": 0.91, "INSULT": 0.2}, 0.9)]},
        {"TextSegments": [{"Text": "some prompt"}], "LanguageCode": "en"},
    )

    verdict = mod.check_text("some   prompt")

    assert verdict.flagged is True
    assert verdict.reasons == ["SEXUAL"]


def test_clean_text_passes(moderator):
    mod, comprehend, _ = moderator
    comprehend.add_response(
        "detect_toxic_content", {"ResultList": [toxic({"INSULT": 0.1}, 0.05)]}
    )
    assert mod.check_text("a linen shirt").flagged is False


def test_long_text_is_split_into_bounded_segments_and_batches(moderator):
    mod, comprehend, _ = moderator
    text = " ".join(["word"] * 3000)  # ~15 KB: 15 segments, two calls (10 + 5)
    segments = text_segments(text)
    assert all(len(s.encode()) <= SEGMENT_BYTES for s in segments)
    assert " ".join(segments) == text
    comprehend.add_response(
        "detect_toxic_content",
        {"ResultList": [toxic({}, 0.0)] * 10},
        {"TextSegments": [{"Text": s} for s in segments[:10]], "LanguageCode": "en"},
    )
    comprehend.add_response(
        "detect_toxic_content",
        {"ResultList": [toxic({}, 0.0)] * 4 + [toxic({}, 0.95)]},
        {"TextSegments": [{"Text": s} for s in segments[10:]], "LanguageCode": "en"},
    )

    verdict = mod.check_text(text)

    assert verdict.flagged and verdict.reasons == ["TOXICITY"]


def test_one_huge_word_is_cut_not_sent_whole():
    segments = text_segments("é" * 3000)
    assert all(len(s.encode()) <= SEGMENT_BYTES for s in segments)
    assert "".join(segments) == "é" * 3000


def test_flagged_image_reports_rekognition_labels(moderator):
    mod, _, rekognition = moderator
    png = image_bytes("PNG")
    rekognition.add_response(
        "detect_moderation_labels",
        {"ModerationLabels": [
            {"Confidence": 93.0, "Name": "Explicit Nudity", "ParentName": ""},
            {"Confidence": 93.0, "Name": "Nudity", "ParentName": "Explicit Nudity"},
        ]},
        {"Image": {"Bytes": png}, "MinConfidence": 70.0},
    )

    verdict = mod.check_image(png)

    assert verdict.flagged is True
    assert verdict.reasons == ["Explicit Nudity", "Nudity"]


def test_webp_is_converted_to_jpeg_before_rekognition(moderator):
    mod, _, rekognition = moderator
    webp = image_bytes("WEBP")
    rekognition.add_response(
        "detect_moderation_labels", {"ModerationLabels": []},
        {"Image": {"Bytes": ANY}, "MinConfidence": 70.0},
    )
    sent = []
    rekognition.client.meta.events.register(
        "before-parameter-build.rekognition.DetectModerationLabels",
        lambda params, **_: sent.append(params["Image"]["Bytes"]),
    )

    assert mod.check_image(webp).flagged is False
    assert sent[0].startswith(b"\xff\xd8\xff")  # JPEG, not the WebP bytes


def test_jpeg_and_png_under_5mb_go_as_they_are():
    jpeg, png = image_bytes("JPEG"), image_bytes("PNG")
    assert rekognition_ready(jpeg) is jpeg
    assert rekognition_ready(png) is png


def test_images_over_5mb_are_reencoded_under_the_limit():
    noisy = Image.frombytes("RGB", (1600, 1600), os.urandom(1600 * 1600 * 3))
    out = io.BytesIO()
    noisy.save(out, format="PNG")
    assert out.tell() > REKOGNITION_MAX_BYTES

    ready = rekognition_ready(out.getvalue())

    assert ready.startswith(b"\xff\xd8\xff") and len(ready) <= REKOGNITION_MAX_BYTES


def test_undecodable_bytes_are_invalid_image():
    with pytest.raises(e.InvalidImage):
        rekognition_ready(b"GIF89a not really")


@pytest.mark.parametrize(("code", "error"), [
    ("InvalidImageFormatException", e.InvalidImage),
    ("ImageTooLargeException", e.ImageTooLarge),
    ("ThrottlingException", e.DependencyUnavailable),
    ("ProvisionedThroughputExceededException", e.DependencyUnavailable),
])
def test_rekognition_errors_become_domain_errors(moderator, code, error):
    mod, _, rekognition = moderator
    rekognition.add_client_error("detect_moderation_labels", service_error_code=code)
    with pytest.raises(error):
        mod.check_image(image_bytes("PNG"))
