"""Curated overlays merged into imported ICD-10-CM codes.

An overlay is a record in a curated file with `overlay: true` that extends the imported code
with the same code. What it may carry is declared on each field in `schema.py` (`overlay=`):
"append" adds to the imported list, "set" fills in the value, "relations" adds typed links,
"own" describes the overlay itself; `records.py` refuses every other field on an overlay, so
nothing an editor writes on one is dropped without a word. One code has at most one overlay.
"""
from __future__ import annotations

from .records import Problem, Record
from .schema import FIELDS

ICD = "icd-10-cm"
_APPEND = tuple(f.name for f in FIELDS if f.overlay == "append")
_SET = tuple(f.name for f in FIELDS if f.overlay == "set")


def apply_overlays(records: list[Record], broken=frozenset()) -> tuple[list[Record], list[Problem]]:
    """Merge each curated overlay into the imported ICD-10-CM record with the same code;
    `broken` holds codes whose records failed to load (they are not reported again)."""
    imported = {r.code: r for r in records if r.system == ICD and r.imported}
    out, problems = [], []
    for r in records:
        if not r.overlay:
            out.append(r)
            continue
        target = imported.get(r.code)
        if target is None:
            if r.code not in broken:
                problems.append(Problem(r.file, r.line_of("code"), r.label, "overlay",
                                        f"extends '{r.code}', which is not an imported "
                                        "ICD-10-CM code; check the code or remove 'overlay'"))
            continue
        first = target.overlay_from
        if first is not None:
            problems.append(Problem(r.file, r.line_of("overlay"), r.label, "overlay",
                                    f"is the second overlay of '{r.code}' (the first is at "
                                    f"{first.file}:{first.line}); merge the two into one"))
            continue
        for name in _APPEND:
            getattr(target, name).extend(getattr(r, name))
        for name in _SET:
            if name in r.lines:   # given by the editor ('status' has a default)
                setattr(target, name, getattr(r, name))
        for key, refs in r.relations.items():
            have = target.relations.setdefault(key, [])
            for i, ref in enumerate(refs):
                target.lines[f"relations.{key}.{len(have)}"] = r.line_of(f"relations.{key}.{i}")
                have.append(ref)
        target.overlay_from = r  # the editorial record, for edit links
    return out, problems
