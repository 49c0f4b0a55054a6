"""Documentation stays in step with the code: every setting and every command is documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from akhbar.config import SETTINGS

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.env_name)
def test_every_setting_is_documented(setting):
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    assert f"`{setting.env_name}`" in text, f"{setting.env_name} is missing from docs/configuration.md"


@pytest.mark.parametrize(
    "command",
    [
        "akhbar config",
        "akhbar sources add",
        "akhbar sources list",
        "akhbar sources remove",
        "akhbar sources import",
        "akhbar sources export",
        "akhbar sources enable",
        "akhbar fetch",
        "akhbar run",
        "akhbar demo",
        "akhbar extract",
        "akhbar db upgrade",
        "akhbar db copy",
        "akhbar db backup",
        "akhbar db restore",
        "akhbar db prune",
        "akhbar worker",
        "akhbar scheduler",
        "akhbar web",
        "akhbar admin create-user",
    ],
)
def test_every_command_is_documented(command):
    assert f"`{command}" in (DOCS / "cli.md").read_text(encoding="utf-8")
