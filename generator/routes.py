"""Which requests run an edge function, declared at build time from the data.

The members gate runs only on pages that carry member sections: one route per such page,
derived from the same records whose sections members.py writes as blobs, so a page that gains a
member section gains its route in the same build and no other page pays for a function call.
Short links run the `shortlinks` function on one-segment paths shaped like a code.

Written as Netlify's Frameworks API file `.netlify/v1/config.json` (key `edge_functions`)
beside the site, next to the deploy blobs; the local preview reads the same file. Other keys
of that file are kept.

Entry point for the build: `write(catalog, site_dir) -> Path`.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from . import sitefiles
from .links import Catalog

CONFIG = Path(".netlify") / "v1" / "config.json"
MEMBERS = "members"
SHORTLINKS = "shortlinks"
# One path segment of letters, digits, dots and hyphens, optionally with a trailing slash:
# "/53", "/E11.65", "/e1165/", "/A00-A09". Files at the top of the site are left out.
SHORTLINK_PATTERN = r"^/[A-Za-z0-9][A-Za-z0-9.-]{0,15}/?$"
SHORTLINK_EXCLUDED = r"\.(html|xml|txt|ico|json|js|css|png|svg|webmanifest|gz|zip|map|woff2?)$"


def gated_pages(catalog: Catalog) -> list[str]:
    """Site paths of the pages that carry member sections: '/modifiers/53/'. The same records
    as members.member_blobs(), by the same test."""
    return sorted("/" + sitefiles.page_url(r.src_uri) for r in catalog.records if r.members)


def declarations(catalog: Catalog) -> list[dict]:
    routes = [{"function": MEMBERS, "path": page} for page in gated_pages(catalog)]
    routes += [{"function": MEMBERS, "path": page + "index.html"} for page in gated_pages(catalog)]
    routes.append({"function": SHORTLINKS, "pattern": SHORTLINK_PATTERN,
                   "excludedPattern": SHORTLINK_EXCLUDED})
    return routes


def config_path(site_dir: Path) -> Path:
    return Path(site_dir).resolve().parent / CONFIG


def write(catalog: Catalog, site_dir: Path, staged: bool = False) -> Path:
    """Replace the edge function declarations in .netlify/v1/config.json beside `site_dir`
    (with `staged`, written beside it as config.json.new and put in place by `commit`)."""
    path = config_path(site_dir)
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        config = {}
    config["edge_functions"] = declarations(catalog)
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_suffix(".json.new")
    staging.write_text(json.dumps(config, indent=1) + "\n", encoding="utf-8")
    if not staged:
        os.replace(staging, path)
    return path


def commit(site_dir: Path) -> None:
    """Put staged routes in place beside `site_dir`."""
    path = config_path(site_dir)
    if path.with_suffix(".json.new").exists():
        os.replace(path.with_suffix(".json.new"), path)


def discard(site_dir: Path) -> None:
    config_path(site_dir).with_suffix(".json.new").unlink(missing_ok=True)
