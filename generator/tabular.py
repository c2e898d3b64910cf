"""The ICD-10-CM tabular structure on top of the loaded records.

The YAML written by the importer keeps the tabular list as the CDC publishes it: chapters,
blocks, categories, subcategories and codes, with 7th-character definitions on the category or
subcategory where they are declared. This module derives what a reader needs from that:

- editorial overlays merged into the imported codes they extend;
- every valid code with its 7th character ('S72.001A', 'T81.4XXA'), as a record of its own;
- the parent of every code and which codes are billable (valid for HIPAA transactions).
"""
from __future__ import annotations

import dataclasses

from .records import Problem, Record
from .systems import parent_code, seventh_code  # noqa: F401  (re-exported for old callers)

ICD = "icd-10-cm"

# Fields an overlay may add to an imported code; lists are appended, the rest filled in.
_OVERLAY_LISTS = ("use_when", "do_not_use_when", "notes", "members")
_OVERLAY_VALUES = ("description", "effective", "end", "status")


def apply_overlays(records: list[Record]) -> tuple[list[Record], list[Problem]]:
    """Merge each curated overlay into the imported ICD-10-CM record with the same code."""
    imported = {r.code: r for r in records if r.system == ICD and r.imported}
    out, problems = [], []
    for r in records:
        if not r.overlay:
            out.append(r)
            continue
        target = imported.get(r.code)
        if target is None:
            problems.append(Problem(r.file, r.line_of("code"), r.label, "overlay",
                                    f"extends '{r.code}', which is not an imported ICD-10-CM "
                                    "code; check the code or remove 'overlay'"))
            continue
        for name in _OVERLAY_LISTS:
            getattr(target, name).extend(getattr(r, name))
        for name in _OVERLAY_VALUES:
            value = getattr(r, name)
            if value and value != "active":
                setattr(target, name, value)
        for key, refs in r.relations.items():
            target.relations.setdefault(key, []).extend(refs)
            for i, _ in enumerate(refs):
                target.lines[f"relations.{key}.{len(target.relations[key]) - len(refs) + i}"] = \
                    r.line_of(f"relations.{key}.{i}")
        target.overlay_from = r  # the editorial record, for edit links
    return out, problems


def expand_codes(records: list[Record]) -> list[Record]:
    """Add a record for every code with a 7th character, and mark which codes are billable.

    A code takes the 7th characters defined on it or on its nearest ancestor that defines
    them, when nothing is below it in the tabular list; such a code is a header, its
    extensions are billable. `seven_chr_limits` keeps a 7th character off the codes whose 6th
    character it names (category S06: D and S are not used with 6th character 7 or 8).
    """
    icd = [r for r in records if r.system == ICD and r.kind == "code"]
    by_code = {r.code: r for r in icd}
    has_children = {p for r in icd if (p := parent_code(r.code, by_code.keys()))}
    derived: list[Record] = []
    for r in icd:
        r.billable = False
        if r.code in has_children:
            continue
        definer = r
        while definer is not None and not definer.seven_chr_def:
            definer = by_code.get(parent_code(definer.code, by_code.keys()) or "")
        if definer is None:
            r.billable = True
            continue
        limits = _limits(r, by_code)
        sixth = r.code.replace(".", "").ljust(6, "X")[5]
        for char, meaning in definer.seven_chr_def.items():
            if sixth in limits.get(char, ()):
                continue
            derived.append(dataclasses.replace(
                r, code=seventh_code(r.code, char), title=f"{r.title}, {meaning}",
                seventh=char, billable=True, inclusion_terms=[], includes=[], notes=[],
                instructions={}, seven_chr_def={}, seven_chr_note=[], seven_chr_limits={},
                seven_chr_includes={},
                tables=[], members=[], relations={}, description=None, use_when=[],
                do_not_use_when=[], lines=dict(r.lines)))
    return records + derived


def _limits(r: Record, by_code: dict[str, Record]) -> dict[str, list[str]]:
    limits: dict[str, list[str]] = {}
    node: Record | None = r
    while node is not None:
        for char, sixths in node.seven_chr_limits.items():
            limits.setdefault(char, []).extend(sixths)
        node = by_code.get(parent_code(node.code, by_code.keys()) or "")
    return limits
