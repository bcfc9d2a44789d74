"""cfn-lint on the synthesized templates: no errors; warnings only of the kind CDK emits
itself (W3005, an explicit DependsOn beside a Ref/GetAtt)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from cfnlint.api import ManualArgs, lint_file  # type: ignore[import-untyped]

if TYPE_CHECKING:
    from conftest import Synthesized

TOLERATED_WARNINGS = {"W3005"}


@pytest.mark.parametrize("stack", ["Storage", "Models", "Api", "Monitoring"])
def test_template_lints_clean(synthesized: Synthesized, stack: str) -> None:
    template = synthesized.template_path(stack)
    matches = lint_file(template, config=ManualArgs(regions=["us-east-1"]))
    errors = [m for m in matches if m.rule.id.startswith("E")]
    assert errors == [], "\n".join(str(m) for m in errors)
    warnings = {m.rule.id for m in matches if m.rule.id.startswith("W")}
    assert warnings <= TOLERATED_WARNINGS, [str(m) for m in matches if m.rule.id in warnings]
