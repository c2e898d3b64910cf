"""A whole-site build that never leaves a half-written or broken site behind, on all cores.

MkDocs cleans and writes its output folder as it goes and only counts strict-mode warnings at
the end. Building into a sibling folder and swapping it in afterwards keeps the previous site
intact whenever the new one fails.

MkDocs builds one page at a time. With `jobs` > 1 the build runs as that many MkDocs builds in
parallel processes, each writing its share of the generated code pages into its own folder
(shard 0 also writes everything else: hand-written pages, assets, sitemap, search index); the
folders are merged before the swap. Every shard loads and checks the whole data set, so each
one fails on the same bad record.
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

SHARD_ENV = "CODES_SHARD"   # "k/n": this process builds share k of n (read by the plugin)
INCREMENTAL_ENV = "CODES_INCREMENTAL"   # "1": rebuild only the pages an edit affects


def default_jobs() -> int:
    return max(1, min(len(os.sched_getaffinity(0)), 4))


def _build_one(config_file: str, site_dir: str, strict: bool, shard: str | None,
               dirty: bool = False) -> str | None:
    """One MkDocs build; returns None, or the error message."""
    if shard:
        os.environ[SHARD_ENV] = shard
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    handler.setLevel(logging.WARNING)
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    try:
        config = load_config(config_file, site_dir=site_dir, strict=strict)
        build(config, dirty=dirty)
        return None
    except MkDocsException as exc:
        return str(exc)
    finally:
        mkdocs_log.removeHandler(handler)
        os.environ.pop(SHARD_ENV, None)


def _shard(results, config_file: str, site_dir: str, strict: bool, shard: str) -> None:
    results.put(_build_one(config_file, site_dir, strict, shard))


def _merge(source: Path, target: Path) -> None:
    """Move every file of a shard's folder into the main one."""
    for folder, _, names in os.walk(source):
        dest = target / Path(folder).relative_to(source)
        dest.mkdir(parents=True, exist_ok=True)
        for name in names:
            os.replace(Path(folder) / name, dest / name)
    shutil.rmtree(source, ignore_errors=True)


def update_site(config_file: Path, site_dir: Path, strict: bool = True) -> int:
    """Rebuild in place only the pages that changed since the last build of `site_dir`.

    For editors previewing a change: seconds instead of minutes. A bad record still stops the
    build before anything is written (the data is checked first); with no earlier build to
    compare with, every page is built."""
    from .changes import load_state

    site_dir = site_dir.resolve()
    if not site_dir.exists() or load_state(site_dir) is None:
        return build_site(config_file, site_dir, strict)
    started = time.perf_counter()
    os.environ[INCREMENTAL_ENV] = "1"
    try:
        error = _build_one(str(config_file), str(site_dir), strict, None, dirty=True)
    finally:
        os.environ.pop(INCREMENTAL_ENV, None)
    if error:
        print(f"{error}\nIncremental build failed; run a full build.", file=sys.stderr)
        return 1
    print(f"Updated {site_dir} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


def build_site(config_file: Path, site_dir: Path, strict: bool = True, jobs: int = 1) -> int:
    """Build into `site_dir`; return 0, or 1 with the reason printed and `site_dir` untouched."""
    from .changes import state_path

    site_dir = site_dir.resolve()
    staging = site_dir.with_name(site_dir.name + ".new")
    retired = site_dir.with_name(site_dir.name + ".old")
    shards = [site_dir.with_name(f"{site_dir.name}.new{k}") for k in range(1, jobs)]
    for folder in [staging, *shards]:
        shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    if jobs == 1:
        errors = [_build_one(str(config_file), str(staging), strict, None)]
    else:
        # Shards 1..n-1 in child processes, shard 0 here; each reports its error or None.
        # "spawn", not "fork": the caller may have threads (a test's browser driver, a dev
        # server), and a forked child could inherit a lock one of them held.
        context = multiprocessing.get_context("spawn")
        results = context.SimpleQueue()
        children = [context.Process(target=_shard, args=(results, str(config_file), str(folder),
                                                         strict, f"{k}/{jobs}"))
                    for k, folder in enumerate(shards, start=1)]
        for child in children:
            child.start()
        errors = [_build_one(str(config_file), str(staging), strict, f"0/{jobs}")]
        for child in children:
            child.join()
            errors.append(results.get() if child.exitcode == 0 else
                          f"a build shard stopped with exit code {child.exitcode}")
    failed = [e for e in errors if e]
    if failed:
        for folder in [staging, *shards]:
            shutil.rmtree(folder, ignore_errors=True)
        print(f"{failed[0]}\nBuild failed; {site_dir} was left as it was.", file=sys.stderr)
        return 1
    for folder in shards:
        _merge(folder, staging)
    shutil.rmtree(retired, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(retired)
    staging.rename(site_dir)
    shutil.rmtree(retired, ignore_errors=True)
    if state_path(staging).exists():
        state_path(staging).replace(state_path(site_dir))
    pages = sum(1 for _ in site_dir.rglob("*.html"))
    print(f"Built {pages} HTML pages into {site_dir} in {time.perf_counter() - started:.1f} s "
          f"with {jobs} job(s)", file=sys.stderr)
    return 0
