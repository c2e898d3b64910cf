"""The home page's table of code sets: what each holds, counted from the records, and the
releases its records cite. The home page (content/index.md) marks its place."""
from __future__ import annotations

import posixpath

from . import systems
from .links import Catalog
from .pages import escape_text, index_uri
from .records import Record

CODE_SETS_MARKER = "<!-- code-sets -->"


def code_sets_markdown(catalog: Catalog, src_uri: str) -> str:
    """A Markdown table of every code set in the reference: what it holds, counted from the
    records, and the releases its records cite. For the home page (CODE_SETS_MARKER)."""
    def link(folder: str, label: str) -> str:
        target = posixpath.relpath(index_uri(folder), posixpath.dirname(src_uri) or ".")
        return f"[{label}]({target})"

    rows = ["| Code set | In the reference | Release |", "|---|---|---|"]
    modifiers = [r for r in catalog.records if r.kind == "modifier"]
    if modifiers:
        counts = ", ".join(f"{sum(r.system == s.key for r in modifiers):,} {s.label}"
                           for s in systems.SYSTEMS.values()
                           if any(r.system == s.key for r in modifiers))
        rows.append(f"| {link(systems.MODIFIER_FOLDER, 'Modifiers')} | {counts} modifiers | "
                    f"{_releases(modifiers)} |")
    for system in systems.SYSTEMS.values():
        mine = [r for r in catalog.records if r.system == system.key and r.kind != "modifier"
                and catalog.by_code.get(r.code) is r]
        if not mine:
            continue
        codes = [r for r in mine if r.kind == "code"]
        held = f"{len(codes):,} codes, {len(mine) - len(codes):,} ranges"
        if system.key == "icd-10-cm":
            billable = sum(1 for r in codes if r.billable)
            held = f"the whole tabular list: {held}; {billable:,} billable"
        else:
            held = f"a selection: {held}"
        rows.append(f"| {link(system.folder, system.label)} | {held} | {_releases(mine)} |")
    return "\n".join(rows) + "\n"


def _releases(records: list[Record]) -> str:
    found = sorted({str(r.source.get("release")) for r in records if r.source.get("release")})
    return escape_text(", ".join(found)) if found else "—"


def fill_content_page(markdown_text: str, catalog: Catalog, src_uri: str) -> str:
    """A hand-written page with generated parts put in (the home page's code-set table)."""
    if CODE_SETS_MARKER not in markdown_text:
        return markdown_text
    return markdown_text.replace(CODE_SETS_MARKER, code_sets_markdown(catalog, src_uri))
