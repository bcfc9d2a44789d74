"""report_writer.write: a self-contained page with the report embedded safely, the contact
sheet's grid drawn from the images, report.json kept."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from PIL import Image

from sagemaker_containers.comparison import report_writer
from sagemaker_containers.comparison.report_writer import (
    HEADER_HEIGHT,
    LABEL_WIDTH,
    PAD,
    THUMB,
    write,
)
from tests.comparison.report_fixture import (
    COLORS,
    HOSTILE_PROMPT,
    fixture_report,
    write_fixture_images,
)

if TYPE_CHECKING:
    from pathlib import Path


class _Page(HTMLParser):
    """What a browser's parser sees: elements with a src/href, and each script's text."""

    def __init__(self) -> None:
        super().__init__()
        self.references: list[str] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        self.references += [v for k, v in attrs if k in ("src", "href") and v]
        if tag == "script":
            self._script = named
            self.scripts.append((named, ""))

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None


def _parse(page: Path) -> _Page:
    parser = _Page()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_the_page_is_self_contained_and_embeds_the_report(tmp_path: Path) -> None:
    # Given a report whose second prompt tries to close the script element
    report = fixture_report()
    write_fixture_images(tmp_path)
    # When it is written
    page = write(tmp_path, report)
    # Then the page references no file (CSS and script inline; images come from the data)
    parsed = _parse(page)
    assert page == tmp_path / "report.html"
    assert parsed.references == []
    # and a parser sees exactly two scripts: the data (the hostile prompt stayed inside it)
    # and the page's code
    assert [attrs.get("type") for attrs, _ in parsed.scripts] == ["application/json", None]
    data_attrs, data = parsed.scripts[0]
    assert data_attrs["id"] == "report-data"
    assert json.loads(data) == report
    assert json.loads(data)["prompts"][1]["prompt"] == HOSTILE_PROMPT
    assert "humanWinRates" in parsed.scripts[1][1]
    assert "<style>" in page.read_text(encoding="utf-8")
    # and report.json is the report
    assert json.loads((tmp_path / "report.json").read_text()) == report


def test_the_storage_key_follows_the_report(tmp_path: Path) -> None:
    report = fixture_report()
    key = _parse(write(tmp_path / "a", report)).scripts[0][0]["data-key"]
    assert key == _parse(write(tmp_path / "b", report)).scripts[0][0]["data-key"]
    report["seed"] = 7
    assert key != _parse(write(tmp_path / "c", report)).scripts[0][0]["data-key"]


def test_non_finite_scores_embed_as_null(tmp_path: Path) -> None:
    report = fixture_report()
    report["cells"][0]["clip_score"] = float("nan")
    data = _parse(write(tmp_path, report)).scripts[0][1]
    assert json.loads(data)["cells"][0]["clip_score"] is None  # JSON.parse rejects NaN


def _cell_center(row: int, column: int) -> tuple[int, int]:
    return (LABEL_WIDTH + column * (THUMB + PAD) + THUMB // 2,
            HEADER_HEIGHT + row * (THUMB + 18 + PAD) + THUMB // 2)


def test_the_contact_sheet_is_the_grid(tmp_path: Path) -> None:
    report = fixture_report()
    write_fixture_images(tmp_path)
    write(tmp_path, report)
    with Image.open(tmp_path / "contact-sheet.png") as sheet:
        rgb = sheet.convert("RGB")
    # 3 prompts × 3 models
    assert rgb.size == (LABEL_WIDTH + 3 * (THUMB + PAD) + PAD,
                        HEADER_HEIGHT + 3 * (THUMB + report_writer.CAPTION_HEIGHT + PAD) + PAD)
    assert rgb.getpixel(_cell_center(0, 0)) == COLORS["sdxl"]
    assert rgb.getpixel(_cell_center(1, 1)) == COLORS["sdxl-product"]
    # the skipped cell (row 2, sdxl-product) and the failed column (nova) are grey boxes
    assert rgb.getpixel(_cell_center(2, 1)) == (0xF1, 0xF1, 0xF1)
    assert rgb.getpixel(_cell_center(0, 2)) == (0xF1, 0xF1, 0xF1)


def test_the_contact_sheet_reads_no_file_outside_the_report(tmp_path: Path) -> None:
    # Given an image path leading out of the report's folder, to a real image
    Image.new("RGB", (64, 64), (1, 2, 3)).save(tmp_path / "outside.png")
    report = fixture_report()
    write_fixture_images(tmp_path / "report")
    report["cells"][0]["image"] = "../outside.png"
    # When the sheet is drawn
    sheet = report_writer.contact_sheet(tmp_path / "report", report)
    # Then that cell is drawn as missing, not with the outside image
    assert sheet.getpixel(_cell_center(0, 0)) == (0xF1, 0xF1, 0xF1)
    assert sheet.getpixel(_cell_center(1, 0)) == COLORS["sdxl"]
