"""The docs are checked: every setting, CLI command and failure code is documented."""

from __future__ import annotations

import re
from pathlib import Path

import click

from wirewatch.cli import main
from wirewatch.settings import SETTINGS

ROOT = Path(__file__).parents[1]


def test_every_setting_is_documented_with_its_default() -> None:
    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for spec in SETTINGS:
        default = str(spec.default).lower() if isinstance(spec.default, bool) else str(spec.default)
        assert f"| `{spec.name}` | {spec.type.__name__} | `{default}` |" in doc, spec.name


def test_every_command_and_option_is_in_the_cli_reference() -> None:
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert isinstance(main, click.Group)
    for name, command in main.commands.items():
        assert f"## `wirewatch {name}" in doc, name
        assert f"`{name}" in readme, name
        for param in command.params:
            if isinstance(param, click.Option):
                assert any(opt in doc for opt in param.opts), (name, param.opts)


def test_every_failure_code_in_the_code_is_documented() -> None:
    doc = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "wirewatch").rglob("*.py"))
    codes = set(re.findall(r'code="([a-z_]+)"', source))
    codes |= set(re.findall(r'Failure\([^)]*?"(?:collect|extract)",\s*"([a-z_]+)"', source))
    store_codes = {c for c in codes if c.startswith(("store_", "migration_", "not_a_store"))}
    internal = {"ambiguous_id", "id_collision", "bad_metadata"} | store_codes
    missing = sorted(code for code in codes - internal if f"`{code}`" not in doc)
    assert not missing


def test_the_quick_start_is_two_make_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    assert [line.split()[:2] for line in block.strip().splitlines()] == [
        ["make", "demo"],
        ["make", "test"],
    ]
