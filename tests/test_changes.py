"""Incremental builds: which pages an edit affects, and a real rebuild of just those."""
from __future__ import annotations

import dataclasses
import os
import shutil
import time
from pathlib import Path

import pytest

from generator import changes, outputs
from generator.plan import PlanError, make_plan
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


def test_every_file_of_the_package_and_the_inputs_is_fingerprinted(tmp_path, monkeypatch):
    package = tmp_path / "generator"
    shutil.copytree(ROOT / "generator", package, ignore=shutil.ignore_patterns("__pycache__"))
    theme = tmp_path / "overrides"
    (theme / "partials").mkdir(parents=True)
    (theme / "partials" / "nav.html").write_text("nav")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n")
    monkeypatch.setattr(changes, "PACKAGE", package)
    first = changes.renderer_fingerprint([theme, config])
    assert changes.renderer_fingerprint([theme, config]) == first
    # Any module, not a hand-kept list: seo.py and the plugin make pages too.
    for path in [package / "seo.py", package / "plugin.py", package / "templates" / "record.html.j2",
                 theme / "partials" / "nav.html", config]:
        original = path.read_bytes()
        path.write_bytes(original + b"\n")
        assert changes.renderer_fingerprint([theme, config]) != first, path
        path.write_bytes(original)
    (package / "newpart").mkdir()
    (package / "newpart" / "new.py").write_text("")   # a new sub-package counts too
    assert changes.renderer_fingerprint([theme, config]) != first
    (package / "newpart" / "__pycache__").mkdir()
    second = changes.renderer_fingerprint([theme, config])
    (package / "newpart" / "__pycache__" / "new.cpython-311.pyc").write_bytes(b"x")
    assert changes.renderer_fingerprint([theme, config]) == second   # byte code does not


def test_shards_share_out_every_generated_page_once(dataset):
    plans = [make_plan(dataset.catalog, True, [], f"{k}/3") for k in range(3)]
    uris = plans[0].renderer.uris()
    owners = [[p.shard for p in plans if p.writes(u)] for u in uris]
    assert all(len(o) == 1 for o in owners)
    assert [p.writes(None) for p in plans] == [True, False, False]   # hand-written: shard 0
    assert all(p.complete for p in plans)
    # Each shard hands MkDocs its own pages and the pages the navigation lists, no others.
    nav = {u for u, r in plans[0].renderer.records.items() if r.kind == "range"} | set(
        plans[0].renderer.indexes)
    for p in plans:
        listed = p.listed()   # shard 0: every page, as a link target of hand-written pages
        assert [u for u, _ in listed] == (uris if p.main else [
            u for u in uris if p.writes(u) or u in nav])   # the others: none but their own
        assert {u for u, built in listed if built} == {u for u in uris if p.writes(u)} | nav
    # Shards write runs of pages in code order, shard 0 (which writes the rest) a shorter one.
    records = list(plans[0].renderer.records)
    runs = [[i for i, u in enumerate(records) if p.writes(u)] for p in plans]
    assert all(run == list(range(run[0], run[-1] + 1)) for run in runs)
    assert len(runs[0]) <= min(len(run) for run in runs[1:])
    single = make_plan(dataset.catalog, True, [])
    assert single.listed() == [(u, True) for u in uris]
    assert plans[1].page_urls([]) == single.page_urls([])   # the sitemaps list every page
    with pytest.raises(PlanError, match="'k/n' with 0 <= k < n, not '3/3'"):
        make_plan(dataset.catalog, True, [], "3/3")


def test_incremental_and_curated_plans_hand_mkdocs_only_what_they_need(dataset, tmp_path):
    site = tmp_path / "site"
    full = make_plan(dataset.catalog, True, [])
    changes.save_state(full.state, site)
    same = make_plan(dataset.catalog, True, [], incremental=True, previous=site)
    assert same.affected == set() and not same.complete
    ranges = {u for u, r in same.renderer.records.items() if r.kind == "range"}
    assert [u for u, _ in same.listed(False)] == [u for u in same.renderer.uris()
                                                  if u in ranges | set(same.renderer.indexes)]
    assert {u for u, built in same.listed(True) if built} == ranges | set(same.renderer.indexes)
    assert len(same.listed(True)) == len(same.renderer.uris())   # a hand-written page rebuilt
    assert not same.rewrites("modifiers/53.md") and same.rewrites("modifiers/53.md") is False
    fresh = make_plan(dataset.catalog, True, [], incremental=True, previous=tmp_path / "none")
    assert fresh.affected is None and fresh.reason == "no earlier build to compare with"
    root = FIXTURES / "basic"
    catalog = load_dataset(root / "data", root).catalog
    catalog.by_code["99213"].imported = True   # as if it came from an importer's folder
    curated = make_plan(catalog, True, [], subset="curated")
    assert not curated.complete
    assert [u for u, built in curated.listed() if not built] == ["cpt/99213.md"]


def test_outputs_written_by_each_kind_of_build():
    def build(**kw):
        values = dict(catalog=None, docs_dir=Path("d"), site_dir=Path("s"), directory_urls=True,
                      site_url="https://x.org/", page_urls=[], state=None, complete=True,
                      subset=False)
        return outputs.Build(**{**values, **kw})

    def names(b):
        return [type(o).__name__ for o in outputs.OUTPUTS if o.wanted(b)]

    everything = ["SearchIndex", "AskData", "ShortLinks", "EdgeRoutes", "Sitemaps", "MemberBlobs",
                  "BuildState"]
    assert names(build()) == everything
    assert names(build(complete=False)) == ["EdgeRoutes", "MemberBlobs", "BuildState"]   # incremental
    assert names(build(complete=False, subset=True)) == ["EdgeRoutes", "MemberBlobs"]  # first preview
    assert names(build(directory_urls=False)) == [   # the offline bundle: no server files
        "SearchIndex", "AskData", "ShortLinks", "MemberBlobs", "BuildState"]
    assert "Sitemaps" not in names(build(site_url=None))


def test_environment_variables_use_the_ocr_prefix_and_old_names_still_work(tmp_path, monkeypatch,
                                                                          caplog):
    from generator import members

    monkeypatch.delenv(members.ENV_DIR, raising=False)
    monkeypatch.setenv("MEMBERS_BLOBS_DIR", str(tmp_path / "old"))
    assert members.blobs_dir(tmp_path / "site") == tmp_path / "old"
    assert "MEMBERS_BLOBS_DIR is deprecated; set OCR_MEMBERS_BLOBS_DIR instead" in caplog.text
    monkeypatch.setenv("OCR_MEMBERS_BLOBS_DIR", str(tmp_path / "new"))
    assert members.blobs_dir(tmp_path / "site") == tmp_path / "new"
    assert "OCR_SITE_URL" in (ROOT / "mkdocs.yml").read_text()


def test_the_plugin_stays_thin_and_outputs_stay_out_of_it():
    package = ROOT / "generator"
    plugin = (package / "plugin.py").read_text()
    assert len(plugin.splitlines()) < 120
    # Site outputs are reached through outputs.py only: adding one never touches the plugin.
    for module in ("ask", "search", "members", "seo", "shortlinks", "jobs", "changes"):
        assert f" {module}," not in plugin and f" {module}\n" not in plugin, module
    for name in ("plugin", "plan", "nav", "outputs", "build", "changes", "members", "dataset",
                 "serve", "deploy", "offline"):
        assert len((package / f"{name}.py").read_text().splitlines()) <= 400, name


def test_serve_catches_up_only_when_a_watched_file_is_newer_than_the_last_build(tmp_path):
    from generator.serve import changed_since

    data = tmp_path / "data"
    (data / "icd-10-cm" / "__pycache__").mkdir(parents=True)
    record = data / "icd-10-cm" / "A00-A09.yaml"
    record.write_text("records: []\n")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n")
    state = tmp_path / "site.codes-state"
    assert changed_since(state, [data, config])   # no earlier build
    state.write_bytes(b"")
    old = state.stat().st_mtime_ns - 10**9
    for path in (record, config):
        os.utime(path, ns=(old, old))
    assert not changed_since(state, [data, config])
    (data / "icd-10-cm" / "__pycache__" / "x.pyc").write_bytes(b"")   # byte code does not count
    assert not changed_since(state, [data, config])
    for path in (record, config):
        os.utime(path, ns=(old + 2 * 10**9, old + 2 * 10**9))
        assert changed_since(state, [data, config]), path
        os.utime(path, ns=(old, old))
