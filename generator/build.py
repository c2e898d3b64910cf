"""Whole-site and incremental builds that never leave a half-written or broken site behind.

MkDocs cleans and writes its output folder as it goes and only counts strict-mode warnings at
the end. Every build here writes into a sibling folder (`site.new/`) and, only when MkDocs
finished without an error or a warning, puts it in place: a full build swaps the folders, an
incremental build moves the pages it rewrote into `site/`. What goes beside the site (member
blobs, the build state; see outputs.py) is staged by the plugin and committed after the swap, or
discarded with the staging folder. A failed build leaves `site/`, the blobs and the state
byte-identical.

With `jobs` > 1 a full build runs as that many MkDocs builds in parallel processes, each
writing its share of the generated code pages into its own folder (shard 0 also writes
everything else: hand-written pages, assets, whole-site outputs); the folders are merged before
the swap. Every shard loads and checks the whole data set, so each fails on the same bad record.

The plugin's options (shard, incremental, previous build, subset, staged) are set here on the
loaded config, never through environment variables.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import sys
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from . import outputs
from .changes import state_path

PLUGIN = "codes"


def default_jobs() -> int:
    return max(1, min(len(os.sched_getaffinity(0)), 4))


def _not_dirty_warning(record: logging.LogRecord) -> bool:
    # An incremental build is MkDocs' dirty build on purpose; its warning would fail --strict.
    return "A 'dirty' build is being performed" not in record.getMessage()


def _build_one(config_file: str, site_dir: str, strict: bool, options: dict,
               dirty: bool = False) -> tuple[str | None, bool]:
    """One MkDocs build with the plugin `options`: (None or the error message, whether every
    page was written)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    handler.setLevel(logging.WARNING)
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    dirty_log = logging.getLogger("mkdocs.commands.build")
    if dirty:
        dirty_log.addFilter(_not_dirty_warning)
    try:
        config = load_config(config_file, site_dir=site_dir, strict=strict)
        plugin = config.plugins.get(PLUGIN)
        if plugin is not None:
            plugin.config.update({"staged": True, **options})
        build(config, dirty=dirty)
        return None, plugin is None or plugin.plan.complete
    except MkDocsException as exc:
        return str(exc), False
    finally:
        mkdocs_log.removeHandler(handler)
        dirty_log.removeFilter(_not_dirty_warning)


def _shard(results, config_file: str, site_dir: str, strict: bool, options: dict) -> None:
    results.put(_build_one(config_file, site_dir, strict, options)[0])


def _merge(source: Path, target: Path) -> None:
    """Move every file of `source` into the same place under `target`."""
    for folder, _, names in os.walk(source):
        dest = target / Path(folder).relative_to(source)
        dest.mkdir(parents=True, exist_ok=True)
        for name in names:
            os.replace(Path(folder) / name, dest / name)
    shutil.rmtree(source, ignore_errors=True)


def _swap(staging: Path, site_dir: Path) -> None:
    retired = site_dir.with_name(site_dir.name + ".old")
    shutil.rmtree(retired, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(retired)
    staging.rename(site_dir)
    shutil.rmtree(retired, ignore_errors=True)


def _fail(error: str, folders: list[Path], site_dir: Path, staging: Path) -> int:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
    outputs.discard(staging)
    print(f"{error}\nBuild failed; {site_dir} and what lies beside it were left as they were.",
          file=sys.stderr)
    return 1


def _staging(site_dir: Path) -> Path:
    staging = site_dir.with_name(site_dir.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    outputs.discard(staging)   # anything a crashed build left behind
    return staging


def update_site(config_file: Path, site_dir: Path, strict: bool = True) -> int:
    """Rebuild only the pages that changed since the last build of `site_dir`.

    For editors previewing a change: seconds instead of minutes. The pages are written into an
    empty `site.new/` and moved into `site_dir` only when the build succeeded; with no earlier
    build to compare with, or when every page must be rebuilt, it is a full build."""
    site_dir = site_dir.resolve()
    # Whether the state can be read is the plan's business (an unreadable one rebuilds every
    # page, in this one process as build_site would); reading it twice took a fifth of a second.
    if not site_dir.exists() or not state_path(site_dir).is_file():
        return build_site(config_file, site_dir, strict)
    started = time.perf_counter()
    staging = _staging(site_dir)
    options = {"incremental": True, "previous": str(site_dir)}
    error, complete = _build_one(str(config_file), str(staging), strict, options, dirty=True)
    if error:
        return _fail(f"{error}\nIncremental build failed.", [staging], site_dir, staging)
    rewritten = sum(1 for _ in staging.rglob("*.html"))
    if complete:   # every page was rebuilt (templates or ranges changed): a whole new site
        _swap(staging, site_dir)
    else:
        _merge(staging, site_dir)
    outputs.commit(staging, site_dir)
    print(f"Updated {site_dir} ({rewritten} pages) in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)
    return 0


def build_site(config_file: Path, site_dir: Path, strict: bool = True, jobs: int = 1,
               subset: str = "all") -> int:
    """Build into `site_dir`; return 0, or 1 with the reason printed and `site_dir` untouched.
    `subset="curated"` builds only curated records, ranges and index pages (a first preview)."""
    site_dir = site_dir.resolve()
    staging = _staging(site_dir)
    shards = [site_dir.with_name(f"{site_dir.name}.new{k}") for k in range(1, jobs)]
    for folder in shards:
        shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    options = {"incremental": False, "subset": subset}
    if jobs == 1:
        errors = [_build_one(str(config_file), str(staging), strict, options)[0]]
    else:
        # Shards 1..n-1 in child processes, shard 0 here; each reports its error or None.
        # "spawn", not "fork": the caller may have threads (a test's browser driver, a dev
        # server), and a forked child could inherit a lock one of them held.
        context = multiprocessing.get_context("spawn")
        results = context.SimpleQueue()
        children = [context.Process(target=_shard, args=(
            results, str(config_file), str(folder), strict, {**options, "shard": f"{k}/{jobs}"}))
            for k, folder in enumerate(shards, start=1)]
        for child in children:
            child.start()
        errors = [_build_one(str(config_file), str(staging), strict,
                             {**options, "shard": f"0/{jobs}"})[0]]
        for child in children:
            child.join()
            errors.append(results.get() if child.exitcode == 0 else
                          f"a build shard stopped with exit code {child.exitcode}")
    failed = [e for e in errors if e]
    if failed:
        return _fail(failed[0], [staging, *shards], site_dir, staging)
    for folder in shards:
        _merge(folder, staging)
    _swap(staging, site_dir)
    outputs.commit(staging, site_dir)
    pages = sum(1 for _ in site_dir.rglob("*.html"))
    print(f"Built {pages} HTML pages into {site_dir} in {time.perf_counter() - started:.1f} s "
          f"with {jobs} job(s)", file=sys.stderr)
    return 0
