"""Throwaway projects for tests: one builder instead of a copy in every test module.

`new_project(folder, base)` lays out a project (mkdocs.yml, content/, data/) in `folder/project`
from one of the fixtures, points its theme at this repository's `overrides/`, and adds what the
test asks for. Building it is a separate step (the `site_builder` fixture), so that a test that
only needs the data stays in the fast tier.
"""
from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CUT_XML = FIXTURES / "icd10cm" / "tabular.xml"


def _point_at_overrides(config: Path) -> None:
    text = config.read_text(encoding="utf-8")
    text = text.replace("custom_dir: ../../../overrides", f"custom_dir: {ROOT / 'overrides'}")
    text = text.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    config.write_text(text, encoding="utf-8")


def new_project(folder: Path, base: str = "basic", *, data: tuple[str, ...] = (),
                fixture_data: dict[str, str] | None = None, content: tuple[str, ...] = (),
                icd_xml: Path | None = None, offline_config: bool = False) -> Path:
    """A project in `folder/project`.

    base: "basic" or "icd" (a fixture under tests/fixtures/), or "real" (this repository's
    mkdocs.yml and content/ with an empty data/).
    data: names of files in this repository's data/ to copy in.
    fixture_data: {path under tests/fixtures/: name in the project's data/}.
    content: paths under this repository's content/ to copy in.
    icd_xml: a CDC tabular XML to import into data/ (CUT_XML is a small real cut).
    offline_config: also copy mkdocs.offline.yml.
    """
    from generator import icd10cm

    project = folder / "project"
    if base == "real":
        (project / "data").mkdir(parents=True)
        shutil.copytree(ROOT / "content", project / "content")
        shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    else:
        shutil.copytree(FIXTURES / base, project)
    _point_at_overrides(project / "mkdocs.yml")
    for name in data:
        shutil.copy(ROOT / "data" / name, project / "data" / name)
    for source, name in (fixture_data or {}).items():
        shutil.copy(FIXTURES / source, project / "data" / name)
    for name in content:
        target = project / "content" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "content" / name, target)
    if icd_xml is not None:
        icd10cm.import_tabular(icd_xml, project / "data")
    if offline_config:
        shutil.copy(ROOT / "mkdocs.offline.yml", project / "mkdocs.offline.yml")
    return project


def every_kind_project(folder: Path, offline_config: bool = True) -> Path:
    """A small project with every kind of page: the ICD-10-CM fixture (imported from the cut
    tabular XML) and the basic fixture's modifiers and CPT codes, with member sections."""
    project = new_project(folder, "icd", fixture_data={"basic/data/codes.yaml": "basic.yaml"},
                          content=("search.md",), icd_xml=CUT_XML, offline_config=offline_config)
    (project / "content" / "about.md").write_text(
        "# About\n\nZeppelin readers: back to the [home page](index.md) or "
        "[modifier 53](modifiers/53.md).\n")
    return project
