"""The containers' shared helpers: image decoding, JSON fields, device choice."""

from __future__ import annotations

import base64
import io

import pytest
from PIL import Image
from tiny_helpers import png_b64

from sagemaker_containers.common import images, payload
from sagemaker_containers.common.device import select_device
from sagemaker_containers.common.errors import InvalidInput


def test_invalid_input_is_a_value_error() -> None:
    # The inference toolkit and the local runtime both key on ValueError.
    assert issubclass(InvalidInput, ValueError)


def test_decode_image_round_trips_png_and_converts_mode() -> None:
    original = Image.new("RGBA", (7, 5), (10, 20, 30, 255))
    decoded = images.decode_image(png_b64(original))
    assert decoded.size == (7, 5)
    assert decoded.mode == "RGB"
    assert decoded.getpixel((0, 0)) == (10, 20, 30)
    assert images.decode_image(png_b64(original), mode="L").mode == "L"


def test_decode_image_accepts_data_url_and_line_breaks() -> None:
    encoded = png_b64(Image.new("RGB", (3, 3)))
    wrapped = "\n".join(encoded[i : i + 10] for i in range(0, len(encoded), 10))
    assert images.decode_image(f"data:image/png;base64,{wrapped}").size == (3, 3)


def test_decode_image_applies_exif_orientation() -> None:
    # Given a 6x2 JPEG whose EXIF says "rotate 90° clockwise to display"
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    Image.new("RGB", (6, 2), (255, 0, 0)).save(buffer, format="JPEG", exif=exif)
    # When decoded, then it comes out upright, as a viewer shows it
    decoded = images.decode_image(base64.b64encode(buffer.getvalue()).decode())
    assert decoded.size == (2, 6)


def test_encode_png_is_base64_png() -> None:
    encoded = images.encode_png(Image.new("L", (4, 3), 255))
    image = Image.open(io.BytesIO(base64.b64decode(encoded)))
    assert (image.format, image.size, image.mode) == ("PNG", (4, 3), "L")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "non-empty base64"),
        ("", "non-empty base64"),
        (123, "non-empty base64"),
        ("not base64 at all!", "not valid base64"),
        (base64.b64encode(b"plain text, not an image").decode(), "not a readable image"),
        (png_b64(Image.new("RGB", (4, 4)), fmt="GIF"), "not a readable image"),
        (png_b64(Image.new("RGB", (4, 4)))[:40], "not a readable image"),
    ],
    ids=["none", "empty", "number", "bad-base64", "text", "gif", "truncated"],
)
def test_decode_image_rejects(value: object, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        images.decode_image(value)


def test_decode_image_refuses_too_many_pixels(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VITRINE_MAX_IMAGE_PIXELS", "99")
    with pytest.raises(InvalidInput, match="10x10 pixels; at most 99"):
        images.decode_image(png_b64(Image.new("RGB", (10, 10))))
    assert images.decode_image(png_b64(Image.new("RGB", (9, 11)))).size == (9, 11)


@pytest.mark.parametrize("body", [b'{"a": 1}', '{"a": 1}'])
def test_parse_json_takes_bytes_or_str_and_charset(body: bytes | str) -> None:
    assert payload.parse_json(body, "application/json; charset=utf-8") == {"a": 1}


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        ('{"a": 1}', "text/csv", "content type must be application/json"),
        ('{"a": 1}', None, "content type must be application/json"),
        ("{not json", "application/json", "not valid JSON"),
        (b"\xff\xfe", "application/json", "not valid JSON"),
        ("[1, 2]", "application/json", "JSON object"),
    ],
)
def test_parse_json_rejects(body: str | bytes, content_type: str | None, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        payload.parse_json(body, content_type)


@pytest.mark.parametrize("accept", [None, "", "*/*", "application/json", "text/html, */*;q=0.1"])
def test_check_accept_allows_json(accept: str | None) -> None:
    payload.check_accept(accept)


def test_check_accept_refuses_other_types() -> None:
    with pytest.raises(InvalidInput, match="image/png"):
        payload.check_accept("image/png")


def test_integer_fields() -> None:
    data = {"whole": 2.0, "half": 2.5, "flag": True, "big": 11, "text": "3"}
    assert payload.integer(data, "whole", default=1, low=0, high=10) == 2
    assert payload.integer(data, "missing", default=7, low=0, high=10) == 7
    assert payload.optional_integer(data, "missing", low=0, high=10) is None
    for key, message in (("half", "integer"), ("flag", "integer"), ("text", "integer"),
                         ("big", "between 0 and 10")):
        with pytest.raises(InvalidInput, match=message):
            payload.integer(data, key, default=1, low=0, high=10)


def test_number_fields() -> None:
    assert payload.number({"x": 3}, "x", default=0.5, low=0, high=5) == 3.0
    assert payload.number({}, "x", default=0.5, low=0, high=5) == 0.5
    for value in (float("nan"), float("inf"), True, "1", 6):
        with pytest.raises(InvalidInput, match="'x'"):
            payload.number({"x": value}, "x", default=0.5, low=0, high=5)


def test_text_fields() -> None:
    assert payload.text({"p": "  a dress "}, "p", max_chars=10) == "a dress"
    assert payload.optional_text({"p": "   "}, "p", max_chars=10) is None
    for data, message in (({}, "required"), ({"p": " "}, "required"), ({"p": 5}, "string"),
                          ({"p": "x" * 11}, "longer than 10")):
        with pytest.raises(InvalidInput, match=message):
            payload.text(data, "p", max_chars=10)


def test_text_list_fields() -> None:
    assert payload.text_list({"p": [" a ", "b"]}, "p", max_items=2, max_chars=5) == ["a", "b"]
    for value, message in (([], "non-empty list"), ("a", "non-empty list"),
                           (["a", "b", "c"], "at most 2"), (["a", ""], r"p\[1\]"),
                           (["a", 3], r"p\[1\]"), (["toolong"], "longer than 5")):
        with pytest.raises(InvalidInput, match=message):
            payload.text_list({"p": value}, "p", max_items=2, max_chars=5)


def test_select_device_on_this_cpu_host(monkeypatch: pytest.MonkeyPatch) -> None:
    import torch

    monkeypatch.delenv("VITRINE_DEVICE", raising=False)
    profile = select_device("cpu")
    assert (profile.device, profile.dtype, profile.attention) == ("cpu", torch.float32, "sdpa")
    assert not profile.is_cuda
    if not torch.cuda.is_available():
        assert select_device().device == "cpu"
        with pytest.raises(RuntimeError, match="no CUDA device"):
            select_device("cuda")
    monkeypatch.setenv("VITRINE_DEVICE", "tpu")
    with pytest.raises(ValueError, match="VITRINE_DEVICE"):
        select_device()


def test_torch_threads_can_be_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    import torch

    before = torch.get_num_threads()
    try:
        monkeypatch.setenv("VITRINE_TORCH_THREADS", "1")
        select_device("cpu")
        assert torch.get_num_threads() == 1
        monkeypatch.setenv("VITRINE_TORCH_THREADS", "0")
        with pytest.raises(ValueError, match="VITRINE_TORCH_THREADS"):
            select_device("cpu")
    finally:
        torch.set_num_threads(before)
