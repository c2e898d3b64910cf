"""The package stays easy to find one's way in: every module is in the README's layout table,
no module grows past 400 lines, and the MkDocs plugins stay thin."""
from __future__ import annotations

import re

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "generator"
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py")


def _name(path) -> str:
    return ".".join(path.relative_to(PACKAGE).with_suffix("").parts)


def _layout_table() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("### The `generator` package")
    return readme[start:readme.index("\n\n", readme.index("| module |", start))]


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_every_module_is_in_the_readme_layout_table(path):
    assert f"`{_name(path)}`" in _layout_table(), f"add `{_name(path)}` to the README's table"


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_no_module_is_over_400_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400


def test_every_module_in_the_table_exists():
    first_cells = [row.split("|")[1] for row in _layout_table().splitlines() if row.startswith("| `")]
    named = {n for cell in first_cells for n in re.findall(r"`([a-z_./]+)`", cell)}
    missing = named - {_name(p) for p in MODULES} - {"templates/"}
    assert not missing, f"the README names modules that are gone: {missing}"


@pytest.mark.parametrize("plugin", ["plugin.py", "history/plugin.py", "jobboard/plugin.py"])
def test_plugins_stay_thin(plugin):
    assert len((PACKAGE / plugin).read_text(encoding="utf-8").splitlines()) < 120
