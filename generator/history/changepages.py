"""The release-history pages the `history` plugin adds to the site (generator/history/plugin.py):

- a page for every code deleted since FY2024 at the address the code had (icd-10-cm/<CODE>/),
  saying when it was deleted and where its claims go in the release the site shows: the codes
  that replaced it (importer.successors: the tabular's new codes under it or the same title),
  followed through later deletions, otherwise its parent;
- one changes page per release (icd-10-cm/changes/fy2026/): codes added, revised (old and new
  wording) and deleted; the next release's page lists its codes by code, titles not imported.

Pure functions of the catalog and the history data; every text is escaped by the autoescaping
template environment, and every link goes to a page the site has (a code record, one of these
pages or the ICD-10-CM index), else the code is plain text.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import escape

from .. import systems
from ..sitefiles import index_uri, page_href, page_url
from . import History

TEMPLATES = Path(__file__).parent / "templates"
FOLDER = systems.SYSTEMS["icd-10-cm"].folder
INDEX_URI = index_uri(FOLDER)
KINDS = {"added": "Added", "revised": "Revised", "deleted": "Deleted"}


def changes_uri(release: str) -> str:
    return f"{FOLDER}/changes/{release.lower()}.md"


def deleted_uri(code: str) -> str:
    return f"{FOLDER}/{code}.md"


@dataclass
class HistoryPages:
    """What the plugin adds: docs-tree path -> page text, and the deleted codes it skipped
    because the site has a page at their address (the code is a header in the shown release)."""

    pages: dict[str, str] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)      # codes that got a deleted-code page
    clashes: list[str] = field(default_factory=list)      # codes skipped: a page exists there
    counts: dict[str, dict[str, int]] = field(default_factory=dict)   # release -> change -> n


def _environment() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True,
                              lstrip_blocks=True)


def _front_matter(meta: dict) -> str:
    # JSON strings are YAML strings; titles are HTML-escaped because Material prints them as is.
    return "\n".join(["---"] + [f"{k}: {json.dumps(v, ensure_ascii=False)}"
                                for k, v in meta.items()] + ["---", ""])


class _Links:
    """Items for codes as seen from one page: a link when the site has the code's page."""

    def __init__(self, catalog, history: History, deleted: dict[str, list], directory_urls: bool):
        self.catalog, self.history, self.deleted = catalog, history, deleted
        self.directory_urls = directory_urls
        self.uri = INDEX_URI

    def target(self, code: str) -> tuple[str | None, str]:
        record = self.catalog.by_code.get(code)
        if record is not None:
            return record.src_uri, record.title
        row = self.deleted.get(code)
        if row is not None:
            return deleted_uri(code), row[4]
        return None, ""

    def href(self, uri: str) -> str:
        return page_href(self.uri, uri, self.directory_urls)

    def item(self, code: str, title: str = "") -> dict:
        uri, known = self.target(code)
        return {"code": code, "title": title or known,
                "url": self.href(uri) if uri and uri != self.uri else None}

    def successors(self, codes: list[str], depth: int = 0) -> list[str]:
        """Codes of the shown release that take a deleted code's claims: a successor deleted
        later is replaced by its own successors."""
        out: list[str] = []
        for code in codes:
            later = self.deleted.get(code) if code not in self.catalog.by_code else None
            found = self.successors(later[6].split(), depth + 1) if later and depth < 5 else []
            for c in found or [code]:
                if c not in out:
                    out.append(c)
        return out


def _day_before(history: History, release: str) -> str:
    first = dt.date.fromisoformat(history.releases[release]["first_day"])
    return (first - dt.timedelta(days=1)).isoformat()


def build(catalog, history: History, directory_urls: bool = True) -> HistoryPages:
    """Every history page for `catalog` (the shown release's records) and `history`."""
    env = _environment()
    out = HistoryPages()
    releases = [fy for fy in history.releases if fy in history.by_release]
    shown = list(history.releases).index(history.shown)
    past = {fy for fy in releases if list(history.releases).index(fy) <= shown}
    # Deleted in a release up to the shown one, and not a code of the shown release.
    deleted: dict[str, list] = {}
    for fy in releases:
        for row in history.by_release[fy].get("deleted", []) if fy in past else []:
            if row[2] in catalog.by_code:
                out.clashes.append(row[2])
            else:
                deleted[row[2]] = row
    links = _Links(catalog, history, deleted, directory_urls)
    index = {"title": f"{systems.SYSTEMS['icd-10-cm'].label} codes", "uri": INDEX_URI}
    nav = [{"release": fy, "uri": changes_uri(fy)} for fy in releases]
    for code, row in deleted.items():
        uri = deleted_uri(code)
        links.uri = uri
        view = _deleted_view(links, history, row, index, nav)
        out.pages[uri] = _front_matter({
            "title": str(escape(f"{code}: {row[4]} (deleted)")),
            "description": str(escape(f"{code} was deleted from ICD-10-CM on "
                                      f"{view['deleted_on']}.")),
            "breadcrumbs": [{"title": "ICD-10-CM", "url": page_url(INDEX_URI, directory_urls)},
                            {"title": f"Changes in {row[0]}",
                             "url": page_url(changes_uri(row[0]), directory_urls)}],
        }) + env.get_template("history-deleted.html.j2").render(view=view)
        out.deleted.append(code)
    for fy in releases:
        uri = changes_uri(fy)
        links.uri = uri
        view = _changes_view(links, history, fy, fy in past, index, nav)
        out.counts[fy] = {k: len(g["rows"]) for k, g in view["groups"].items()}
        out.pages[uri] = _front_matter({
            "title": str(escape(view["title"])),
            "description": str(escape(view["intro"])),
            "breadcrumbs": [{"title": "ICD-10-CM", "url": page_url(INDEX_URI, directory_urls)}],
        }) + env.get_template("history-changes.html.j2").render(view=view)
    return out


def _nav(links: _Links, index: dict, nav: list[dict]) -> dict:
    return {"index": {"title": index["title"], "url": links.href(index["uri"])},
            "releases": [{"release": n["release"], "current": n["uri"] == links.uri,
                          "url": links.href(n["uri"])} for n in nav]}


def _deleted_view(links: _Links, history: History, row: list, index: dict, nav) -> dict:
    fy, code = row[0], row[2]
    offered = links.successors(row[6].split())
    kept = [c for c in offered if links.target(c)[0]]
    parent = None
    if not kept:
        head = systems.parent_code(code, links.catalog.by_code)
        parent = links.item(head) if head else None
    periods = history.periods.get(code, [])
    return {
        "code": code, "title": row[4], "release": fy,
        "deleted_on": history.releases[fy]["first_day"],
        "last_day": periods[-1][1] if periods else _day_before(history, fy),
        "first_day": periods[0][0] if periods else None,
        "shown": history.shown,
        "successors": [links.item(c) for c in kept],
        "parent": parent,
        "changes": links.href(changes_uri(fy)),
        "nav": _nav(links, index, nav),
    }


def _changes_view(links: _Links, history: History, fy: str, imported: bool, index: dict,
                  nav) -> dict:
    rows = history.by_release[fy]
    release = history.releases[fy]
    groups = {}
    for kind in KINDS:
        items = []
        for row in rows.get(kind, []):
            code = row[2]
            item = links.item(code, row[5] if kind == "added" else row[4])
            items.append({
                **item, "billable": row[3] == "yes", "before": row[4], "after": row[5],
                "untitled": kind == "added" and not row[5],
                "successors": [links.item(c) for c in (links.successors(row[6].split())
                                                        if imported else row[6].split())],
            })
        groups[kind] = {"label": KINDS[kind], "rows": items}
    title = f"ICD-10-CM changes in {fy}"
    intro = (f"Codes added, revised and deleted in {fy}, which took effect on "
             f"{release['first_day']} (valid to {release['last_day']}).")
    return {"title": title, "intro": intro, "release": fy, "shown": history.shown,
            "imported": imported, "first_day": release["first_day"],
            "source": release["source"], "groups": groups, "nav": _nav(links, index, nav)}


def index_links(pages: HistoryPages, directory_urls: bool = True) -> str:
    """The "Changes by release" line the plugin adds to the ICD-10-CM index page."""
    releases = [uri for uri in pages.pages if uri.startswith(f"{FOLDER}/changes/")]
    if not releases:
        return ""
    return _environment().get_template("history-index.html.j2").render(links=[
        {"release": uri.rsplit("/", 1)[1][:-3].upper(),
         "url": page_href(INDEX_URI, uri, directory_urls)} for uri in releases])
