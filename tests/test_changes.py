"""Incremental builds: which pages an edit affects, and a real rebuild of just those."""
from __future__ import annotations

import dataclasses
import shutil
import time

import pytest

from generator import changes
from generator.build import build_site, update_site
from generator.dataset import load_dataset

from .conftest import FIXTURES, ROOT


@pytest.fixture(scope="module")
def dataset():
    root = FIXTURES / "basic"
    return load_dataset(root / "data", root)


def test_nothing_changed_means_nothing_to_build(dataset):
    state = changes.capture(dataset.catalog)
    assert changes.affected_pages(dataset.catalog, state, state) == set()


def test_an_edited_modifier_rebuilds_itself_and_what_shows_it(dataset):
    old = changes.capture(dataset.catalog)
    new = dataclasses.replace(old, fingerprints={**old.fingerprints, "53": "edited"})
    assert changes.affected_pages(dataset.catalog, old, new) == {
        "modifiers/53.md",          # itself
        "modifiers/52.md", "modifiers/73.md", "modifiers/74.md",   # it lists them
        "cpt/10004-69990.md",       # applies_to: the range lists it under "Referenced by"
        "cpt/99213.md",             # mentions it
        "cpt/45378.md",             # it mentions it
        "modifiers/index.md",       # lists its title
    }


def test_new_codes_ranges_or_code_changes_need_a_full_build(dataset):
    old = changes.capture(dataset.catalog)
    added = dataclasses.replace(old, fingerprints={**old.fingerprints, "99999": "x"})
    assert changes.affected_pages(dataset.catalog, old, added) is None
    ranged = dataclasses.replace(old, fingerprints={**old.fingerprints, "99202-99499": "x"})
    assert changes.affected_pages(dataset.catalog, old, ranged) is None
    recoded = dataclasses.replace(old, renderer="other templates")
    assert changes.affected_pages(dataset.catalog, recoded, old) is None
    assert changes.affected_pages(dataset.catalog, None, old) is None


@pytest.mark.slow
def test_incremental_build_rewrites_only_affected_pages(tmp_path):
    project = tmp_path / "basic"
    shutil.copytree(FIXTURES / "basic", project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("../../../overrides", str(ROOT / "overrides")))
    site = tmp_path / "site"
    assert build_site(config, site) == 0
    assert changes.state_path(site).exists() and not (site / ".codes-state").exists()
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*.html")}
    time.sleep(0.05)
    data = project / "data" / "codes.yaml"
    data.write_text(data.read_text().replace("Facility version, before anesthesia.",
                                             "Facility version, stopped before anesthesia."))
    assert update_site(config, site) == 0
    rewritten = sorted(str(p.relative_to(site)) for p in site.rglob("*.html")
                       if p.stat().st_mtime_ns != before.get(p))
    assert "stopped before anesthesia" in (site / "modifiers/73/index.html").read_text()
    assert "modifiers/73/index.html" in rewritten
    assert "cpt/99213/index.html" not in rewritten
    assert len(rewritten) < len(before) / 2


def test_record_cache_rereads_only_changed_files(tmp_path):
    from generator.records import load_records

    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "basic" / "data", data)
    cache = tmp_path / ".cache" / "records.pickle"
    first, _, _ = load_records(data, tmp_path, cache)
    assert cache.exists()
    again, _, _ = load_records(data, tmp_path, cache)
    assert [r.title for r in again] == [r.title for r in first]
    codes = data / "codes.yaml"
    codes.write_text(codes.read_text().replace("title: Reduced services", "title: Reduced service"))
    changed, _, _ = load_records(data, tmp_path, cache)
    assert "Reduced service" in [r.title for r in changed]
    codes.write_text(codes.read_text().replace("title: Reduced service\n", "titel: x\n"))
    _, problems, _ = load_records(data, tmp_path, cache)
    assert any("'titel' is not a known field" in str(p) for p in problems)
