"""The README and the tool agree: documented commands exist, codes are listed, first lines run."""

from __future__ import annotations

import re

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_documented_command_exists():
    from zhili.cli.app import COMMANDS

    documented = set(re.findall(r"^### zhili (\w+)", README, re.MULTILINE))
    documented |= {page.stem for page in (ROOT / "docs" / "commands").glob("*.md")}  # one reference page per command
    mentioned = set(re.findall(r"\$ zhili (\w+)", README))
    assert documented, "README documents no command"
    assert documented | mentioned <= set(COMMANDS)
    assert set(COMMANDS) <= documented, f"undocumented: {set(COMMANDS) - documented}"


def test_every_diagnostic_code_is_listed():
    from zhili.diagnostics import CODES

    for code, title in CODES.items():
        assert f"| `{code}` | {title} |" in README, code


def test_two_commands_at_the_top():
    blocks = re.findall(r"```bash\n(.*?)\n```", README, re.DOTALL)
    assert "pip install ." in blocks[0] and "zhili validate" in blocks[0]
    assert "'.[test]'" in blocks[1] and "pytest" in blocks[1]


def test_ci_runs_the_readme_test_command():
    blocks = re.findall(r"```bash\n(.*?)\n```", README, re.DOTALL)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1] in ci
