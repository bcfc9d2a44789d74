"""The training recipes against their judge: each kind's own ``train.py`` argument parser.

Every hyperparameter a recipe lets a launcher set is an argument its script takes, with
the script's default; every entry point is a script in ``sagemaker_containers``.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from api.domain.errors import RequestValidationFailed
from api.domain.training_recipes import CLI_KINDS, CODE_DIR, RECIPES, hyperparameters, recipe

CONTAINERS = Path(__file__).resolve().parents[2] / "sagemaker_containers"
# What a launcher's paths add (blip2's parser looks for the channel's CSV otherwise).
_PATHS = {"blip2": ["--train_file", "train.csv"]}
_TYPES = {"int": int, "float": float, "str": str, "bool": lambda v: v == "true"}


def _parse(kind: str, argv: list[str]) -> object:
    # The entry point's module (avatar/train.py: sagemaker_containers.avatar.train).
    name = RECIPES[kind].entry_point.removesuffix(".py").replace("/", ".")
    module = importlib.import_module(f"sagemaker_containers.{name}")
    return module.parse_args([*_PATHS.get(kind, []), *argv])


@pytest.mark.parametrize("kind", sorted(RECIPES))
def test_every_hyperparameter_is_train_py_s_with_its_default(kind: str) -> None:
    run = RECIPES[kind]
    defaults = _parse(kind, [])
    for h in run.hyperparameters:
        assert hasattr(defaults, h.name), f"{kind}/train.py takes no --{h.name}"
        if h.default is not None:
            assert getattr(defaults, h.name) == _TYPES[h.type](h.default), h.name
    # A value the recipe accepts, the script accepts (argparse exits on a bad one).
    argv = [part for name, value in run.defaults().items() for part in (f"--{name}", value)]
    _parse(kind, argv)


@pytest.mark.parametrize("kind", sorted(RECIPES))
def test_entry_point_and_channels_are_the_script_s(kind: str) -> None:
    run = RECIPES[kind]
    assert (CONTAINERS / run.entry_point).is_file()
    assert run.steps is None or run.steps in {h.name for h in run.hyperparameters}
    hp = run.sagemaker_hyperparameters({})
    assert hp == {"sagemaker_program": run.entry_point, "sagemaker_submit_directory": CODE_DIR}


def test_cli_kinds_are_the_training_recipes() -> None:
    assert CLI_KINDS == {"avatar": "avatar", "style": "style", "product": "product",
                         "concept": "concept", "attributes": "blip2"}  # fmt: skip
    assert set(CLI_KINDS.values()) <= set(RECIPES)


@pytest.mark.parametrize(
    ("kind", "values", "message"),
    [
        ("product", {"max_train_steps": "0"}, "at least 1"),
        ("product", {"resolution": "big"}, "expected int"),
        ("product", {"initializer_token": "x"}, "no hyperparameter initializer_token"),
        ("avatar", {"with_prior_preservation": "perhaps"}, "true or false"),
        ("blip2", {"validation_fraction": "-0.1"}, "at least 0"),
        ("style", {"output_dir": "/tmp"}, "no hyperparameter output_dir"),  # paths are ours
    ],
)
def test_values_outside_the_recipe_are_refused(kind: str, values: dict[str, str],
                                               message: str) -> None:
    with pytest.raises(RequestValidationFailed, match=message):
        recipe(kind).checked(values)


def test_hyperparameters_are_strings_and_leave_out_none() -> None:
    assert hyperparameters("style", max_train_steps=5, rank=None, with_prior_preservation="True") \
        == {"max_train_steps": "5", "with_prior_preservation": "true"}
    with pytest.raises(RequestValidationFailed, match="no training kind"):
        recipe("comparison-x")
