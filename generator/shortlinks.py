"""Short links: /53 -> /modifiers/53/, /E11.65, /e11.65, /E1165 and /e1165 -> /icd-10-cm/E11.65/.

No rule per code: the build writes a compact lookup, one shard per first two characters of the
spelling (`E1`, `99`, `XU`, ...), listing the published codes by URL folder (about 400 shards
for the full site, 1 MB in all, the largest about 50 KB). One resolver reads it, in
two runtimes:

- on Netlify and in `make preview`, the `shortlinks` edge function (netlify/lib/shortlinks.mjs)
  reads the shard from the deploy's blob store (`shortlinks/<KK>`) and answers 301;
- in the browser, overrides/assets/javascripts/shortlinks.js loads `shortlinks/<KK>.js` (a
  `__shortlinkShard(name, data)` script, which also loads from file://) on the 404 page.

Resolution: the spelling in upper case as published (`E11.65`, `J1100`, `A00-A09`), then
without its dots as published, then as a published code without its dots (`E1165`), the first
listed winning (modifiers, then code order). A spelling two records could claim thus goes to the record published in that
spelling (HCPCS `J1100` rather than ICD-10-CM `J11.00`). `short_links()` lists every spelling
the old `_redirects` file had, as the reference the resolver is tested against.

Entry point for the build: `write(catalog, site_dir, directory_urls=True) -> int`.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from . import members, sitefiles, systems
from .links import Catalog
from .sitefiles import page_url

FILE = "shortlinks/"          # browser shards in the site; the blobs go beside it
FOLDER = "shortlinks"
BLOB_PREFIX = "shortlinks"
VERSION = 1


def spellings(code: str, system: str) -> list[str]:
    """The paths that lead to a code, published form first."""
    if system == "icd-10-cm" and "." in code:
        bare = code.replace(".", "")
        return [code, bare, bare.lower()]
    return list(dict.fromkeys([code, code.lower()]))


def _records(catalog: Catalog) -> list:
    return sorted((r for r in catalog.records if catalog.by_code.get(r.code) is r),
                  key=lambda r: (r.kind != "modifier", systems.sort_key(r.code)))


def short_links(catalog: Catalog, directory_urls: bool = True) -> dict[str, str]:
    """'/spelling' -> the page's site-absolute URL, for every record with a page."""
    records = _records(catalog)
    target = {r.src_uri: "/" + page_url(r.src_uri, directory_urls) for r in records}
    links: dict[str, str] = {}
    for rank in (0, 1, 2):   # published forms claim their spelling before derived ones do
        for r in records:
            forms = spellings(r.code, r.system)
            if rank < len(forms):
                links.setdefault("/" + forms[rank], target[r.src_uri])
    return links


def shard_of(spelling: str) -> str:
    """The shard a spelling is looked up in: its first two characters, upper case. Dots and
    case, the only differences between spellings of one code, never touch them."""
    return spelling[:2].upper()


def lookup(catalog: Catalog, directory_urls: bool = True) -> dict[str, dict]:
    """Shard name -> {"v", "suffix", "folders": {folder: [published codes, in order]}}.

    A page's URL is `<folder>/<code><suffix>` ("/" for the hosted site, ".html" offline);
    `page_url` is checked to agree, so a change of URL scheme cannot go unnoticed here.
    """
    suffix = "/" if directory_urls else ".html"
    shards: dict[str, dict] = {}
    for r in _records(catalog):
        folder, name = r.src_uri[: -len(".md")].rsplit("/", 1)
        if page_url(r.src_uri, directory_urls) != f"{folder}/{name}{suffix}":
            raise ValueError(f"{r.label}: page URL {page_url(r.src_uri, directory_urls)} does "
                             f"not follow <folder>/<code>{suffix}; update generator/shortlinks.py")
        shard = shards.setdefault(shard_of(r.code), {"v": VERSION, "suffix": suffix, "folders": {}})
        shard["folders"].setdefault(folder, []).append(r.code)
    return shards


CALLBACK = "__shortlinkShard"


def _staging(final: Path) -> Path:
    return final.with_name(final.name + ".new")


def _replace_dir(final: Path, files: dict[str, str], staged: bool = False) -> None:
    """Write `files` into a fresh folder and swap it in for `final` (with `staged`, the swap
    is left to `commit`, once the whole build has succeeded)."""
    staging = _staging(final)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    for name, text in files.items():
        (staging / name).write_text(text, encoding="utf-8")
    if not staged:
        _swap(staging, final)


def _swap(staging: Path, final: Path) -> None:
    if staging.is_dir():
        shutil.rmtree(final, ignore_errors=True)
        staging.rename(final)


def commit(site_dir: Path) -> None:
    """Put the edge function's staged lookup in place beside `site_dir`."""
    final = members.blobs_dir(Path(site_dir)) / BLOB_PREFIX
    _swap(_staging(final), final)


def discard(site_dir: Path) -> None:
    """Drop a lookup that a failed build staged; the published one stays."""
    shutil.rmtree(_staging(members.blobs_dir(Path(site_dir)) / BLOB_PREFIX), ignore_errors=True)


def write(catalog: Catalog, site_dir: Path, directory_urls: bool = True,
          staged: bool = False) -> int:
    """Write the lookup: browser shards into `site_dir/shortlinks/`, and for the hosted site
    (directory URLs) the edge function's blobs beside the site (with `staged`, put in place
    by `commit`). Returns the number of codes."""
    site_dir = Path(site_dir)
    shards = lookup(catalog, directory_urls)
    _replace_dir(site_dir / FOLDER, {f"{k}.js": sitefiles.shard_script(CALLBACK, k, v) for k, v in shards.items()})
    if directory_urls:
        _replace_dir(members.blobs_dir(site_dir) / BLOB_PREFIX,
                     {k: json.dumps(v, separators=(",", ":")) for k, v in shards.items()},
                     staged)
        (site_dir / "_redirects").unlink(missing_ok=True)   # the old rule-per-code file
    return sum(len(codes) for s in shards.values() for codes in s["folders"].values())
