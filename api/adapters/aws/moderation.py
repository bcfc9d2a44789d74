"""Moderation: Comprehend toxicity for text, Rekognition moderation labels for images.

Both use ``moderation_min_confidence`` (0-100). Rekognition takes JPEG or PNG up to
5 MB; anything else (WebP, larger files) is re-encoded as JPEG first, with Pillow
imported only then. Moderation fails closed: an image that cannot be prepared raises.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from api.adapters.aws import clients
from api.adapters.aws.errors import aws_errors, error_code
from api.domain import errors as e
from api.ports import Verdict

if TYPE_CHECKING:
    from mypy_boto3_comprehend import ComprehendClient
    from mypy_boto3_rekognition import RekognitionClient

    from api.settings import Settings

REKOGNITION_MAX_BYTES = 5 * 1024 * 1024
_JPEG, _PNG = b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n"
# Comprehend: at most 10 segments per call, each under 1 KB of UTF-8.
SEGMENT_BYTES = 1000
SEGMENTS_PER_CALL = 10


def text_segments(text: str) -> list[str]:
    """Split ``text`` on whitespace into segments of at most ``SEGMENT_BYTES`` bytes."""
    segments: list[str] = []
    current = ""
    for word in text.split():
        while len(word.encode()) > SEGMENT_BYTES:  # one enormous "word": cut it
            head = word.encode()[:SEGMENT_BYTES].decode("utf-8", "ignore")
            segments.append(head)
            word = word[len(head):]
        candidate = f"{current} {word}" if current else word
        if len(candidate.encode()) > SEGMENT_BYTES:
            segments.append(current)
            candidate = word
        current = candidate
    if current:
        segments.append(current)
    return segments


def rekognition_ready(data: bytes) -> bytes:
    """``data`` itself when Rekognition accepts it, else a JPEG re-encoding under 5 MB."""
    if data.startswith((_JPEG, _PNG)) and len(data) <= REKOGNITION_MAX_BYTES:
        return data
    try:
        from PIL import Image, UnidentifiedImageError
    except ImportError as exc:  # fail closed: never skip moderation silently
        raise e.DependencyUnavailable("image moderation needs Pillow to convert it") from exc
    try:
        with Image.open(io.BytesIO(data)) as img:
            rgb = img.convert("RGB")
    except (UnidentifiedImageError, OSError) as exc:
        raise e.InvalidImage("image cannot be decoded for moderation") from exc
    quality = 90
    while True:
        out = io.BytesIO()
        rgb.save(out, format="JPEG", quality=quality)
        if out.tell() <= REKOGNITION_MAX_BYTES:
            return out.getvalue()
        rgb = rgb.resize((max(1, rgb.width * 3 // 4), max(1, rgb.height * 3 // 4)))
        quality = max(70, quality - 10)


class AwsModerator:
    """``Moderator`` on Comprehend (text) and Rekognition (images).

    Parameters
    ----------
    settings
        ``moderation_min_confidence`` and the retry policy.
    comprehend, rekognition
        Clients to use; by default the cached ones.
    """

    def __init__(
        self,
        *,
        settings: Settings,
        comprehend: ComprehendClient | None = None,
        rekognition: RekognitionClient | None = None,
    ) -> None:
        self._settings = settings
        self._comprehend = comprehend
        self._rekognition = rekognition
        self._threshold = settings.moderation_min_confidence / 100.0

    @property
    def comprehend(self) -> ComprehendClient:
        if self._comprehend is None:
            self._comprehend = clients.comprehend(self._settings)
        return self._comprehend

    @property
    def rekognition(self) -> RekognitionClient:
        if self._rekognition is None:
            self._rekognition = clients.rekognition(self._settings)
        return self._rekognition

    def check_text(self, text: str) -> Verdict:
        segments = text_segments(text)
        reasons: set[str] = set()
        with aws_errors("comprehend"):
            for start in range(0, len(segments), SEGMENTS_PER_CALL):
                batch = segments[start : start + SEGMENTS_PER_CALL]
                response = self.comprehend.detect_toxic_content(
                    TextSegments=[{"Text": segment} for segment in batch], LanguageCode="en"
                )
                for result in response.get("ResultList", []):
                    labels: set[str] = {
                        label["Name"]
                        for label in result.get("Labels", [])
                        if label.get("Score", 0.0) >= self._threshold
                    }
                    if not labels and result.get("Toxicity", 0.0) >= self._threshold:
                        labels = {"TOXICITY"}
                    reasons |= labels
        return Verdict(flagged=bool(reasons), reasons=sorted(reasons))

    def check_image(self, data: bytes) -> Verdict:
        image = rekognition_ready(data)
        with aws_errors("rekognition"):
            try:
                response = self.rekognition.detect_moderation_labels(
                    Image={"Bytes": image},
                    MinConfidence=self._settings.moderation_min_confidence,
                )
            except ClientError as exc:
                _raise_image_error(exc)
                raise
        labels = response.get("ModerationLabels", [])
        names = {label["Name"] for label in labels if label.get("Name")}
        return Verdict(flagged=bool(names), reasons=sorted(names))


def _raise_image_error(exc: ClientError) -> None:
    code = error_code(exc)
    if code == "InvalidImageFormatException":
        raise e.InvalidImage("image format not accepted by moderation") from exc
    if code == "ImageTooLargeException":
        raise e.ImageTooLarge("image too large for moderation") from exc
