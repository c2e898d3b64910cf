"""The build plan: which generated pages one MkDocs process hands to MkDocs, and which it writes.

Made from the data set and the plugin's options alone, so it is tested without MkDocs:

- shards: with `shard: "k/n"` (set by build.py, which runs n processes), this process writes
  the k-th run of generated pages in code order (shard 0 a shorter one), and shard 0 also
  everything else (hand-written pages, index pages, theme assets, whole-site outputs). A shard hands MkDocs only its own pages and those
  the navigation lists: a Page object for every page of the site in every shard was most of a
  build's memory;
- incremental: compared with the state the last build recorded, only the pages an edit affects
  are rewritten (see changes.py); MkDocs is handed those and the pages the navigation lists;
- subset "curated": only curated records, ranges and index pages, for a quick first preview
  (`generator serve` on a fresh clone builds the rest behind it).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path

from . import changes, nav, pages, seo
from .book import BookRenderer
from .sitefiles import page_url
from .links import Catalog

SUBSETS = ("all", "curated")
SHARD_0_WEIGHT = 0.92   # shard 0's share of the code pages, against 1 for each other shard


class PlanError(ValueError):
    pass


def parse_shard(text: str) -> tuple[int, int]:
    """'1/4' -> (1, 4); a clear error for anything else."""
    k, _, n = str(text).partition("/")
    if not (k.isdigit() and n.isdigit() and 0 <= int(k) < int(n)):
        raise PlanError(f"shard must be 'k/n' with 0 <= k < n, not {text!r}")
    return int(k), int(n)


@dataclass
class Plan:
    renderer: pages.Renderer
    state: changes.State
    shard: int = 0
    shards: int = 1
    affected: set[str] | None = None   # incremental: the generated pages to rewrite; None: all
    subset: str = "all"
    reason: str = ""                   # why an incremental build rebuilds every page
    previous: Path | None = None       # incremental: the site folder of the last build

    @property
    def main(self) -> bool:
        """Whether this process writes what is not a generated page."""
        return self.shard == 0

    @property
    def complete(self) -> bool:
        """Every page rewritten: whole-site outputs (search, sitemaps) are written too."""
        return self.affected is None and self.subset == "all"

    @cached_property
    def _owned(self) -> set[str]:
        """A run of record pages in code order, so that the pages of one block (one frame, see
        frames.py) are written by one shard; shard 0, which also writes the whole-site outputs,
        a smaller one, and the index pages (the history plugin adds to them)."""
        records = list(self.renderer.records)
        weights = [SHARD_0_WEIGHT] + [1.0] * (self.shards - 1)
        start, end = (round(len(records) * sum(weights[:k]) / sum(weights))
                      for k in (self.shard, self.shard + 1))
        owned = set(records[start:end])
        return owned | set(self.renderer.indexes) if self.main else owned

    def generates(self, uri: str) -> bool:
        return uri in self.renderer

    def listed(self, hand_written_rebuilt: bool = True) -> list[tuple[str, bool]]:
        """The generated pages to hand MkDocs, in order, each with whether MkDocs makes a page
        of it (False: the file is only a link target, excluded from the build, which costs
        no Page object). Hand-written pages link to generated ones, so when any is rebuilt
        every generated page is listed (by shard 0); an incremental build that rebuilds none,
        and the other shards, list only what they write and what the navigation lists. The
        plugin makes Files of the pages MkDocs builds only; the others become link targets when
        a link asks for them (nav.LinkTargets: ~98,700 Files up front were most of a small
        rebuild's time, and a tenth of a shard's memory)."""
        uris = self.renderer.uris()
        stubs = getattr(self.renderer, "stubs", ())   # offline book: written apart (book.py)
        keep = None
        if self.subset == "curated":
            keep = {u for u, r in self.renderer.records.items()
                    if not r.imported or r.overlay_from is not None}
        if self.affected is not None:
            keep = self.affected if keep is None else keep & self.affected
        if self.shards > 1:
            keep = self._owned if keep is None else keep & self._owned
        if keep is None:
            return [(u, u not in stubs) for u in uris]
        # Ranges and index pages are in the navigation, which MkDocs builds from the files.
        keep = keep | {u for u, r in self.renderer.records.items() if r.kind == "range"}
        keep |= set(self.renderer.indexes)
        targets = hand_written_rebuilt and self.main   # other shards: the plugin's lazy targets
        return [(u, u in keep and u not in stubs) for u in uris if targets or u in keep]

    def hand_written_changed(self, source: str, dest_uri: str) -> bool:
        """Incremental builds: whether a hand-written page changed since the last build (the
        last build's copy is older than its source, or missing)."""
        if self.affected is None or self.previous is None:
            return True
        built = self.previous / dest_uri
        return not built.exists() or built.stat().st_mtime < Path(source).stat().st_mtime

    def mark_hand_written(self, documentation_pages) -> bool:
        """Point MkDocs' dirty-build check of hand-written pages (Files) at the last build, and
        say whether any of them is rebuilt."""
        for f in documentation_pages:
            f.is_modified = partial(self.hand_written_changed, f.abs_src_path, f.dest_uri)
        return any(f.is_modified() for f in documentation_pages)

    def page_urls(self, documentation_pages) -> list[str]:
        """Every page's URL for the sitemaps, though a shard hands MkDocs only some of the
        generated pages: the hand-written ones MkDocs knows (Files) and every generated one."""
        written = [f.url for f in documentation_pages if not self.generates(f.src_uri)]
        return written + [page_url(uri, self.renderer.directory_urls)
                          for uri in self.renderer.uris()]

    def edit_path(self, uri: str, root: Path, docs_dir: Path | str) -> str | None:
        """Edit link of a generated page relative to the docs folder, for record pages."""
        record = self.renderer.records.get(uri)
        return None if record is None else nav.edit_path(record, root, docs_dir)

    def meta(self, uri: str, writing: bool = False) -> dict:
        """A generated page's metadata, with the template MkDocs renders: none (skip.html) for
        a page another shard writes, or for a page written through a frame (frames.py). A framed
        page the navigation does not list gets the rest only when it is written (`writing`):
        held for all of a shard's pages at once, it was a third of the shard's memory."""
        record = self.renderer.records.get(uri)
        if not writing and record is not None and record.kind != "range" and self.writes(uri):
            return {"frame": "code.html", "template": "skip.html"}
        meta = self.renderer.meta(uri)
        if hasattr(self.renderer, "stubs") and "template" in meta:   # the offline book
            meta["toc_sidebar"] = True
        if not self.writes(uri):
            meta["template"] = "skip.html"
        elif meta.get("template") == "code.html":
            meta["frame"], meta["template"] = meta["template"], "skip.html"
        return meta

    def page(self, uri: str, canonical_url: str | None) -> tuple[str, list, set[str], dict | None]:
        """A generated page's body, its table of contents (toc tokens), the ids of its anchors
        and its schema.org JSON-LD (None for index pages)."""
        body = self.renderer.body(uri)
        record = self.renderer.records.get(uri)
        data = None if record is None else seo.structured_data(record, canonical_url)
        return body, pages.toc_tokens(body), pages.anchor_ids(body), data

    def rewrites(self, uri: str) -> bool:
        """Whether the generated page at `uri` is rewritten (MkDocs' dirty build asks)."""
        return self.affected is None or uri in self.affected

    def writes(self, uri: str | None) -> bool:
        """Whether this process writes a page: generated at `uri`, or hand-written (None)."""
        if self.shards == 1:
            return True
        return self.main if uri is None else uri in self._owned


def make_plan(catalog: Catalog, directory_urls: bool, inputs: list[Path], shard: str = "0/1",
              incremental: bool = False, previous: Path | None = None,
              subset: str = "all", log: logging.Logger | None = None, book: bool = False) -> Plan:
    """The plan of one MkDocs process. `inputs`: the theme folders and config file whose change
    rebuilds every page; `previous`: the site folder of the last build, for `incremental`."""
    if subset not in SUBSETS:
        raise PlanError(f"subset must be one of {', '.join(SUBSETS)}, not {subset!r}")
    k, n = parse_shard(shard)
    state = changes.capture(catalog, inputs)
    renderer = (BookRenderer if book else pages.Renderer)(catalog, directory_urls)
    plan = Plan(renderer, state, k, n, subset=subset,
                previous=previous if incremental else None)
    if incremental and previous is not None:
        old = changes.load_state(previous)
        plan.affected = changes.affected_pages(catalog, old, state)
        if plan.affected is None:
            plan.reason = changes.full_build_reason(old, state) or "a code range changed"
            message = f"Incremental build: every page, because {plan.reason}"
        else:
            message = f"Incremental build: {len(plan.affected)} generated pages to rebuild"
        if log:
            log.info(message)
    return plan
