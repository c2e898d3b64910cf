"""Where generated pages sit: the navigation entries of the code systems, and edit links.

The navigation lists each code system and its top-level ranges (an ICD-10-CM chapter becomes a
section of its blocks), never individual codes: those are reached through index and range pages.
"""
from __future__ import annotations

import functools
import os
from pathlib import Path

from mkdocs.structure.files import File, Files, InclusionLevel

from . import pages, systems
from .links import Catalog
from .records import Record


def nav_entries(catalog: Catalog) -> list[dict]:
    """MkDocs `nav` entries for the generated pages, to append to the hand-written ones."""
    entries: list[dict] = []
    if any(r.kind == "modifier" for r in catalog.records):
        entries.append({"Modifiers": pages.index_uri(systems.MODIFIER_FOLDER)})
    for system in systems.SYSTEMS.values():
        mine = [r for r in catalog.records if r.system == system.key and r.kind != "modifier"]
        if not mine:
            continue
        ranges = sorted((r for r in mine if r.kind == "range" and r.code not in catalog.parents),
                        key=pages.chapter_order)   # chapter 22 after 20 and 21
        section: list[dict] = [{"Overview": pages.index_uri(system.folder)}]
        for r in ranges:
            inner = [c for c in catalog.children.get(r.code, []) if c.kind == "range"]
            label = pages.nav_title(r)
            if inner:
                section.append({label: [{"Overview": r.src_uri}] + [
                    {pages.nav_title(c): c.src_uri} for c in inner]})
            else:
                section.append({label: r.src_uri})
        entries.append({system.label: section})
    return entries


def edit_path(record: Record, root: Path, docs_dir: Path | str) -> str:
    """The page's edit link relative to the docs folder (MkDocs joins it to `edit_uri`): the
    line of the record an editor should change, the curated overlay of an imported code if
    there is one."""
    editable = record.overlay_from or record
    return f"{_relative(root, editable.file, docs_dir)}#L{editable.line}"


@functools.lru_cache(maxsize=256)   # a few hundred data files for ~98,700 pages
def _relative(root: Path, file, docs_dir: Path) -> str:
    return os.path.relpath(root / file, docs_dir).replace(os.sep, "/")


class LinkTargets(Files):
    """MkDocs' files, in which a generated page that this process does not write becomes a
    File only when a link asks for it (as a link target, excluded from the build): ~98,700
    Files made up front in every shard were a tenth of its memory."""

    def __init__(self, files, config, generates):
        super().__init__(files)
        self._config, self._generates = config, generates

    def get_file_from_path(self, path: str) -> File | None:
        found = super().get_file_from_path(path)
        uri = Path(path).as_posix()
        if found is None and self._generates(uri):
            found = File.generated(self._config, uri, content="",
                                   inclusion=InclusionLevel.EXCLUDED)
            self.append(found)
        return found
