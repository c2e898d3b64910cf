"""Which pages an edit affects, for incremental builds.

A full build records, for every record, a fingerprint of what its page is made of and the
codes it refers to. The next incremental build compares the data with that state and rebuilds
only the pages that show something that changed: the edited record's page, the pages listing
it (parent, neighbours, records that refer to it or that it referred to, its system's index),
and for an ICD-10-CM code every code below it, which shows its notes and 7th characters.
Adding or removing a record, or changing a range (ranges are in the navigation of every page),
needs a full build, and so does any change to the code that makes pages: every file of the
`generator` package (modules, templates, data files), the theme folder and the MkDocs config.
"""
from __future__ import annotations

import hashlib
import operator
import pickle
from dataclasses import dataclass, fields
from pathlib import Path

from .links import Catalog
from .pages import index_uri
from .records import Record
from . import systems

_SKIP = {"lines", "overlay_from"}
PACKAGE = Path(__file__).parent


_VALUES = operator.attrgetter(*(f.name for f in fields(Record) if f.name not in _SKIP))


def _fingerprint(record: Record) -> str:
    text = repr(_VALUES(record))
    if record.overlay_from is not None:
        text += "\x00" + _fingerprint(record.overlay_from)
    return hashlib.sha1(text.encode()).hexdigest()


def _outgoing(record: Record, catalog: Catalog) -> frozenset[str]:
    refs = [ref for targets in record.relations.values() for ref in targets]
    codes = {t.code for ref in refs + record.applies_to if (t := catalog.resolve(ref))}
    return frozenset(codes | catalog.mentions.get(record.code, set()))


@dataclass
class State:
    fingerprints: dict[str, str]
    outgoing: dict[str, frozenset[str]]
    renderer: str = ""     # the page-making code and templates: any change rebuilds everything


def _source_files(folder: Path) -> list[Path]:
    """Every file under `folder` except Python's byte-code caches."""
    return [p for p in folder.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]


def renderer_fingerprint(inputs: list[Path] = ()) -> str:
    """One hash of every file of the package and of `inputs` (theme folders, config files)."""
    paths = _source_files(PACKAGE)
    for path in inputs:
        paths += _source_files(path) if path.is_dir() else [path] if path.is_file() else []
    digest = hashlib.sha1()
    for path in sorted(set(paths)):
        digest.update(str(path).encode() + b"\x00" + path.read_bytes())
    return digest.hexdigest()


def capture(catalog: Catalog, inputs: list[Path] = ()) -> State:
    """The state to record after a build; `inputs` are the theme folders and the MkDocs config."""
    unique = [r for r in catalog.records if catalog.by_code.get(r.code) is r]
    # A code with a 7th character is made from its parent and the definition above it, whose
    # changes rebuild it anyway (see affected_pages): it needs no fingerprint of its own.
    return State({r.code: "" if r.seventh else _fingerprint(r) for r in unique},
                 {r.code: _outgoing(r, catalog) for r in unique if not r.seventh},
                 renderer_fingerprint(list(inputs)))


def state_path(site_dir: Path) -> Path:
    """Beside the site folder, never inside it (the site folder is published)."""
    return site_dir.with_name(site_dir.name + ".codes-state")


def load_state(site_dir: Path) -> State | None:
    try:
        return pickle.loads(state_path(site_dir).read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        return None


def save_state(state: State, site_dir: Path) -> None:
    path = state_path(site_dir)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
    tmp.replace(path)


def full_build_reason(old: State | None, new: State) -> str | None:
    """Why every page must be rebuilt, or None when only some must."""
    if old is None:
        return "no earlier build to compare with"
    if old.renderer != new.renderer:
        return "the page templates, theme or page-making code changed"
    if old.fingerprints.keys() != new.fingerprints.keys():
        return "records were added or removed"
    return None


def affected_pages(catalog: Catalog, old: State | None, new: State) -> set[str] | None:
    """Docs-tree paths of the generated pages to rebuild, or None for all of them."""
    if full_build_reason(old, new):
        return None
    changed = [c for c, f in new.fingerprints.items() if old.fingerprints[c] != f]
    pages: set[str] = set()
    for code in changed:
        record = catalog.by_code[code]
        if record.kind == "range":
            return None
        related = [record, catalog.parents.get(code), catalog.preceding.get(code),
                   catalog.following.get(code), *catalog.children.get(code, [])]
        related += [b.source for b in catalog.backlinks.get(code, [])]
        for other in old.outgoing.get(code, frozenset()) | new.outgoing.get(code, frozenset()):
            related.append(catalog.by_code.get(other))
        if record.system == "icd-10-cm":
            related += _descendants(record, catalog)
        pages.update(r.src_uri for r in related if r is not None)
        folder = systems.MODIFIER_FOLDER if record.kind == "modifier" else record.sys.folder
        pages.add(index_uri(folder))
    return pages


def _descendants(record: Record, catalog: Catalog) -> list[Record]:
    out, todo = [], list(catalog.children.get(record.code, []))
    while todo:
        child = todo.pop()
        out.append(child)
        todo.extend(catalog.children.get(child.code, []))
    return out
