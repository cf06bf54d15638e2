"""The docs stay true: README's set-up commands, CI's test command, documented settings."""

from __future__ import annotations

import re
from pathlib import Path

from amante.config import Settings

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    block = re.search(r"```bash\n(.*?)```", text, re.S)
    assert block, "README must start with a bash block of set-up commands"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_starts_with_exactly_two_setup_commands():
    text = (ROOT / "README.md").read_text()
    assert text.index("```bash") < 40, "the commands come first"
    main, tests = readme_commands()
    assert main.endswith("amante serve")
    assert "pytest" in tests


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert readme_commands()[1] in ci


def test_every_setting_is_documented():
    text = (ROOT / "README.md").read_text()
    for name in Settings.model_fields:
        assert f"AMANTE_{name.upper()}" in text, f"AMANTE_{name.upper()} is not in README.md"
