"""Rendered Markdown of generated pages, compared with reviewed golden files.

Run `pytest tests/test_pages.py --update-golden` after an intended change, then read the diff
of tests/golden/ before committing it.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.pages import render_pages
from generator.dataset import load_dataset

from .conftest import FIXTURES

GOLDEN = Path(__file__).parent / "golden"
CASES = ["modifiers/53.md", "modifiers/74.md", "modifiers/XU.md", "cpt/99213.md",
         "cpt/10004-69990.md", "modifiers/index.md", "cpt/index.md"]


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    root = FIXTURES / "basic"
    dataset = load_dataset(root / "data", root)
    assert dataset.errors == [] and dataset.warnings == []
    return render_pages(dataset.catalog)


@pytest.mark.parametrize("uri", CASES)
def test_golden(rendered, uri, update_golden):
    golden = GOLDEN / uri.replace("/", "__")
    if update_golden:
        golden.write_text(rendered[uri], encoding="utf-8")
    assert rendered[uri] == golden.read_text(encoding="utf-8")


def test_every_record_and_index_has_a_page(rendered):
    assert sorted(rendered) == sorted([
        "modifiers/52.md", "modifiers/53.md", "modifiers/73.md", "modifiers/74.md",
        "modifiers/XU.md", "cpt/10004-69990.md", "cpt/99202-99499.md", "cpt/99213.md",
        "cpt/45378.md", "modifiers/index.md", "cpt/index.md"])


def test_member_text_is_never_rendered(rendered):
    for text in rendered.values():
        assert "FIXTURE-SECRET" not in text


def test_html_from_yaml_is_escaped(rendered):
    page = rendered["modifiers/74.md"]
    assert "<script>" not in page
    assert "&lt;script&gt;alert('x')&lt;/script&gt;" in page


def test_chapters_are_in_chapter_order():
    """Chapter 22 (U00-U85) comes after 20 (V00-Y99) and 21 (Z00-Z99), not by its letter."""
    from types import SimpleNamespace

    from generator.pages import chapter_order

    chapters = [SimpleNamespace(code=c, chapter=n) for c, n in
                [("U00-U85", "22"), ("A00-B99", "1"), ("Z00-Z99", "21"), ("V00-Y99", "20")]]
    assert [c.chapter for c in sorted(chapters, key=chapter_order)] == ["1", "20", "21", "22"]


def test_home_page_table_counts_every_code_set(rendered):
    from generator.codesets import CODE_SETS_MARKER, fill_content_page

    root = FIXTURES / "basic"
    catalog = load_dataset(root / "data", root).catalog
    text = fill_content_page(f"# Home\n\n{CODE_SETS_MARKER}\n", catalog, "index.md")
    assert text == (
        "# Home\n\n| Code set | In the reference | Release |\n|---|---|---|\n"
        "| [Modifiers](modifiers/index.md) | 4 CPT, 1 HCPCS Level II modifiers | — |\n"
        "| [CPT](cpt/index.md) | a selection: 2 codes, 2 ranges | — |\n\n")


def test_the_about_pages_sources_spell_out_the_short_source_lines():
    """Code pages say "Source: ICD-10-CM FY2026, ..., (sources)" and "Source: CMS (sources)";
    the about page's Sources section names in full what the real data says it came from."""
    import json
    import re

    import yaml

    root = Path(__file__).resolve().parent.parent
    about = (root / "content" / "about.md").read_text(encoding="utf-8")
    assert "\n## Sources\n" in about
    sources = " ".join(about.split("\n## Sources\n", 1)[1].split("\n## ", 1)[0].split())
    block = yaml.safe_load((root / "data" / "icd-10-cm" / "04" / "E08-E13.yaml").read_text())
    source = block["source"] if "source" in block else block["records"][0]["source"]
    assert f"{source['release']}" in sources and source["url"] in sources
    medicare = json.loads((root / "data" / "icd-10-cm-history" / "releases.json").read_text())["medicare"]
    for text in (medicare["source"], medicare["mdc_source"]):
        assert text in sources, text
    assert re.search(r"public\s+domain", sources, re.I)
