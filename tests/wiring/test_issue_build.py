"""`make issue`'s strict build (macros/commands/issue.strict_build) on a fixture site: a warning such as a
broken link refuses the issue, as `make build` would."""

from __future__ import annotations

import pytest
from helpers.files import SITES

from macros.commands.issue import strict_build
from macros.core.errors import Refusal


def test_a_broken_link_refuses_the_issue():
    with pytest.raises(Refusal) as refused:
        strict_build(SITES / "bad_link", 2022)
    lines = str(refused.value).splitlines()
    assert lines[-1] == "严格模式构建未通过，没有标记印发。改正后重新运行 make issue。"
    assert any("no-such-page.md" in line for line in lines), lines
