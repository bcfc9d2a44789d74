"""``python -m model_artifacts <subcommand>``.

Each subcommand is one ``Subcommand`` row: a name, a help line, a function that adds
its arguments and a function that runs it. Adding one (``pack``, ``upload``, ``pull``,
``compare``) is a ``configure``/``run`` pair and a row in ``SUBCOMMANDS``.
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from model_artifacts import compare, pack, pull, register, train, upload

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence


@dataclass(frozen=True, slots=True)
class Subcommand:
    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def _configure_tiny(parser: argparse.ArgumentParser) -> None:
    from model_artifacts.tiny import BUILDERS

    parser.add_argument(
        "--out",
        type=Path,
        default=Path(os.environ.get("VITRINE_MODELS_DIR", "models")),
        help="models folder; each model goes to OUT/<name> (default: $VITRINE_MODELS_DIR "
        "or ./models)",
    )
    parser.add_argument("--force", action="store_true", help="rebuild tiny models already built")
    parser.add_argument(
        "--only", nargs="+", choices=sorted(BUILDERS), metavar="MODEL",
        help=f"build only these ({', '.join(sorted(BUILDERS))})",
    )


def _run_tiny(args: argparse.Namespace) -> int:
    from model_artifacts.tiny import build_all

    started = time.perf_counter()
    built = build_all(args.out, force=args.force, names=args.only)
    for name, path in built.items():
        size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
        print(f"{name:<11} {path}  {size / 1e6:.2f} MB")
    print(f"done in {time.perf_counter() - started:.1f} s")
    return 0


SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand(
        name="tiny",
        help="build tiny random-weight models offline (tests, demo)",
        configure=_configure_tiny,
        run=_run_tiny,
    ),
    Subcommand("pack", "pack a model dir + its container code into model.tar.gz",
               pack.configure_pack, pack.run_pack),
    Subcommand("pack-avatar", "pack an avatar adapter as <tenant>/<avatar>.tar.gz (MME)",
               pack.configure_pack_avatar, pack.run_pack_avatar),
    Subcommand("upload", "upload to S3 (multipart, progress bar)",
               upload.configure_upload, upload.run_upload),
    Subcommand("pull", "download real weights from the Hugging Face Hub (needs network)",
               pull.configure_pull, pull.run_pull),
    Subcommand("compare", "compare models on one prompt set: images, scores, report",
               compare.configure, compare.run_compare),
    Subcommand("train", "launch a SageMaker training job of a kind (the ops extra's SDK)",
               train.configure_train, train.run_train),
    Subcommand("register", "make a completed training job a tenant's model (/v1/models)",
               register.configure_register, register.run_register),
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m model_artifacts", description=__doc__)
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in SUBCOMMANDS:
        sub = subparsers.add_parser(command.name, help=command.help, description=command.help)
        command.configure(sub)
        sub.set_defaults(run=command.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    return run(args)
