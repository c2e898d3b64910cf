"""Shared helpers for what the build writes besides the pages themselves.

- `page_url` / `page_href` / `relative_url`: the URL MkDocs gives a docs-tree file, with directory URLs
  ('cpt/99213/') or without them, as in the offline bundle ('cpt/99213.html').
- `index_pages`: the generated index pages (Modifiers, CPT codes, ICD-10-CM codes ...) a data
  set has, computed once for the pages, the navigation, the search index and the ask box.
- `read_content_page`: a hand-written Markdown page's front matter, title, headings and body.
- `shard_script` / `write_folder`: the `window.__xShard(name, data)` script files that the
  search index and the ask data are made of (scripts, not JSON, so they load from file://),
  written into a folder that is cleared first.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import systems


# --- URLs ----------------------------------------------------------------------------------

def page_url(src_uri: str, directory_urls: bool = True) -> str:
    """The URL MkDocs gives a docs-tree file: 'cpt/99213.md' -> 'cpt/99213/' (or '.html')."""
    stem = src_uri[:-3]
    if not directory_urls:
        return stem + ".html"
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[:-5]
    return stem + "/"


def page_href(from_uri: str, to_uri: str, directory_urls: bool = True) -> str:
    """Relative URL from one generated page to another, as MkDocs would write it.

    Computed directly (not with mkdocs.utils.get_relative_url) because the full site has
    millions of links.
    """
    source = page_url(from_uri, directory_urls)
    target = page_url(to_uri, directory_urls)
    base = [p for p in source.split("/")[:-1] if p]
    parts = [p for p in target.split("/") if p]
    common = 0
    while common < len(base) and common < len(parts) and base[common] == parts[common]:
        common += 1
    rel = "/".join([".."] * (len(base) - common) + parts[common:]) or "."
    return rel + "/" if target.endswith("/") else rel


def relative_url(from_uri: str, to_uri: str) -> str:
    """Relative Markdown link from one docs-tree file to another ('cpt/99213.md').

    Called for every link of every page (millions at full scale), so it compares folder
    names directly instead of going through posixpath.relpath.
    """
    here = from_uri.split("/")[:-1]
    there = to_uri.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    return "../" * (len(here) - common) + "/".join(there[common:])


# --- generated index pages -------------------------------------------------------------------

@dataclass(frozen=True)
class IndexPage:
    """One generated index page: 'modifiers/index.md' or '<system folder>/index.md'."""

    uri: str
    title: str              # "Modifiers", "CPT codes"
    system: str | None      # the system key, None for the modifier index
    summary: str            # one sentence on what it lists

    def url(self, directory_urls: bool = True) -> str:
        return page_url(self.uri, directory_urls)


def index_uri(folder: str) -> str:
    return f"{folder}/index.md"


def index_pages(records) -> list[IndexPage]:
    """The index pages `records` call for: Modifiers when there is a modifier, then one per
    system that has codes or ranges, in the order of systems.SYSTEMS."""
    kinds: dict[str, set[str]] = {}
    for r in records:
        kinds.setdefault(r.system, set()).add(r.kind)
    out = []
    if any("modifier" in k for k in kinds.values()):
        out.append(IndexPage(index_uri(systems.MODIFIER_FOLDER), "Modifiers", None,
                             "Every CPT and HCPCS Level II modifier, in code order."))
    for system in systems.SYSTEMS.values():
        if kinds.get(system.key, set()) - {"modifier"}:
            out.append(IndexPage(index_uri(system.folder), f"{system.label} codes", system.key,
                                 f"{system.label} code ranges and codes, in code order."))
    return out


# --- hand-written pages ----------------------------------------------------------------------

FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$", re.M)
_HEADING_MARKS = re.compile(r"[*_`]|\{[^}]*\}")


@dataclass
class ContentPage:
    uri: str                       # 'about.md', relative to the docs folder
    meta: dict                     # front matter ({} when none or not a mapping)
    body: str                      # the Markdown after the front matter
    headings: list[tuple[int, str]] = field(default_factory=list)   # (level, plain text)

    @property
    def title(self) -> str:
        """The front matter's title, else the first level-1 heading, else the file name."""
        if self.meta.get("title"):
            return str(self.meta["title"]).strip()
        first = next((text for level, text in self.headings if level == 1), None)
        return first or self.uri[:-3]

    @property
    def excluded_from_search(self) -> bool:
        return bool((self.meta.get("search") or {}).get("exclude"))


def split_front_matter(source: str) -> tuple[dict, str]:
    """(front matter, body); front matter that is not valid YAML or not a mapping reads as {}."""
    match = FRONT_MATTER.match(source)
    if not match:
        return {}, source
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError:
        meta = {}
    return (meta if isinstance(meta, dict) else {}), source[match.end():]


def read_content_page(path: Path, docs_dir: Path) -> ContentPage:
    meta, body = split_front_matter(path.read_text(encoding="utf-8"))
    headings = [(len(h[0]), _HEADING_MARKS.sub("", h[1]).strip()) for h in _HEADING.findall(body)]
    return ContentPage(path.relative_to(docs_dir).as_posix(), meta, body, headings)


def content_pages(docs_dir: Path | None, exclude: set[str] = frozenset()) -> list[ContentPage]:
    """Every Markdown page under `docs_dir` in path order, except the URIs in `exclude`."""
    if docs_dir is None or not docs_dir.is_dir():
        return []
    pages = (read_content_page(p, docs_dir) for p in sorted(docs_dir.rglob("*.md")))
    return [p for p in pages if p.uri not in exclude]


# --- shard scripts ---------------------------------------------------------------------------

def shard_script(callback: str, name: str, data) -> str:
    """A file that registers `data` under `name` with `window.<callback>(name, data)`.

    JSON is valid JavaScript; "<", U+2028 and U+2029 are escaped so that "</script>" or "<!--"
    in a title means nothing should the file ever be inlined into a page.
    """
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    payload = payload.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"{callback}({json.dumps(name)},{payload});\n"


def clear_folder(target: Path) -> None:
    """Remove everything inside `target` (and `target` itself), if it exists."""
    if target.exists():
        for old in sorted(target.rglob("*"), reverse=True):
            old.rmdir() if old.is_dir() and not old.is_symlink() else old.unlink()
        target.rmdir()


def write_folder(target: Path, files: dict[str, str]) -> list[int]:
    """Replace `target` with `files` (relative path -> text); return each file's size in bytes."""
    clear_folder(target)
    sizes = []
    for name, content in files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8")
        path.write_bytes(data)
        sizes.append(len(data))
    return sizes
