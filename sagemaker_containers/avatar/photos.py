"""The avatar's training photos: validated as a set, then centre-cropped to a square.

Every file is checked before any model is loaded, and all problems are reported at
once (``PhotoSetRejected``), so a client fixes its upload in one round trip instead of
learning about one bad file per failed training job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PIL import Image, ImageOps, UnidentifiedImageError

if TYPE_CHECKING:
    from pathlib import Path

# Exit status of train.py when the photo set is rejected (distinct from argparse's 2).
EXIT_PHOTOS_REJECTED = 3


@dataclass(frozen=True, slots=True)
class PhotoProblem:
    name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.name}: {self.reason}"


class PhotoSetRejected(ValueError):
    """The photo set cannot be trained on; ``problems`` lists each bad file."""

    def __init__(self, summary: str, problems: list[PhotoProblem]) -> None:
        self.summary = summary
        self.problems = problems
        details = "; ".join(str(problem) for problem in problems)
        super().__init__(f"{summary}: {details}" if details else summary)


def candidate_files(directory: Path) -> list[Path]:
    """The files a photo set is made of: every visible regular file, sorted by name."""
    return sorted(
        path for path in directory.iterdir() if path.is_file() and not path.name.startswith(".")
    )


def open_photo(path: Path) -> Image.Image:
    """Decode ``path`` fully, upright (EXIF orientation applied), as RGB.

    Raises ``UnidentifiedImageError`` for non-images, ``Image.DecompressionBombError`` for
    absurd pixel counts and ``OSError`` for truncated files.
    """
    with Image.open(path) as probe:
        probe.verify()  # cheap structural check; the image must be reopened after it
    with Image.open(path) as image:
        image.load()
        upright = ImageOps.exif_transpose(image)
        return upright.convert("RGB")


def load_photos(directory: Path, *, min_side: int) -> tuple[list[Image.Image], list[PhotoProblem]]:
    """Decode every candidate file; return the usable photos and the problems found."""
    photos: list[Image.Image] = []
    problems: list[PhotoProblem] = []
    for path in candidate_files(directory):
        try:
            photo = open_photo(path)
        except UnidentifiedImageError:
            problems.append(PhotoProblem(path.name, "not an image (JPEG, PNG or WebP expected)"))
            continue
        except Image.DecompressionBombError:
            problems.append(PhotoProblem(path.name, "too many pixels"))
            continue
        except (OSError, SyntaxError, ValueError) as error:
            problems.append(PhotoProblem(path.name, f"unreadable image ({error})"))
            continue
        width, height = photo.size
        if min(width, height) < min_side:
            problems.append(
                PhotoProblem(path.name, f"{width}x{height} is smaller than {min_side} px")
            )
            continue
        photos.append(photo)
    return photos, problems


def load_photo_set(
    directory: Path, *, min_count: int, max_count: int, min_side: int
) -> list[Image.Image]:
    """The subject's photos, or ``PhotoSetRejected`` naming every problem."""
    if not directory.is_dir():
        raise PhotoSetRejected(f"photo directory {directory} does not exist", [])
    photos, problems = load_photos(directory, min_side=min_side)
    count_ok = min_count <= len(photos) <= max_count
    if problems or not count_ok:
        summary = (
            f"photo set rejected: {len(photos)} usable photo(s), "
            f"{min_count}-{max_count} required"
        )
        if problems:
            summary += f"; {len(problems)} bad file(s)"
        raise PhotoSetRejected(summary, problems)
    return photos


def square_crop(photo: Image.Image, resolution: int) -> Image.Image:
    """Scale the short side to ``resolution`` and keep the centre square."""
    return ImageOps.fit(
        photo, (resolution, resolution), method=Image.Resampling.BICUBIC, centering=(0.5, 0.5)
    )
