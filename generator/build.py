"""A whole-site build that never leaves a half-written or broken site behind.

MkDocs cleans and writes its output folder as it goes and only counts strict-mode warnings at
the end. Building into a sibling folder and swapping it in afterwards keeps the previous site
intact whenever the new one fails.
"""
from __future__ import annotations

import logging
import shutil
import sys
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException


def build_site(config_file: Path, site_dir: Path, strict: bool = True) -> int:
    """Build into `site_dir`; return 0, or 1 with the reason printed and `site_dir` untouched."""
    site_dir = site_dir.resolve()
    staging = site_dir.with_name(site_dir.name + ".new")
    retired = site_dir.with_name(site_dir.name + ".old")
    shutil.rmtree(staging, ignore_errors=True)
    started = time.perf_counter()
    # MkDocs reports through logging; show its warnings and errors as its own CLI would.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    handler.setLevel(logging.WARNING)
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    try:
        config = load_config(str(config_file), site_dir=str(staging), strict=strict)
        build(config)
    except MkDocsException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"{exc}\nBuild failed; {site_dir} was left as it was.", file=sys.stderr)
        return 1
    finally:
        mkdocs_log.removeHandler(handler)
    shutil.rmtree(retired, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(retired)
    staging.rename(site_dir)
    shutil.rmtree(retired, ignore_errors=True)
    pages = sum(1 for _ in site_dir.rglob("*.html"))
    print(f"Built {pages} HTML pages into {site_dir} in {time.perf_counter() - started:.1f} s",
          file=sys.stderr)
    return 0
