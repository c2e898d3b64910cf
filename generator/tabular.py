"""The ICD-10-CM tabular structure on top of the loaded records.

The YAML written by the importer keeps the tabular list as the CDC publishes it: chapters,
blocks, categories, subcategories and codes, with 7th-character definitions on the category or
subcategory where they are declared. This module derives what a reader needs from that:

- every valid code with its 7th character ('S72.001A', 'T81.4XXA'), as a record of its own;
- the parent of every code and which codes are billable (valid for HIPAA transactions).
"""
from __future__ import annotations

import dataclasses
import operator
from dataclasses import dataclass

from .records import Record
from .schema import RELATIONS
from .systems import parent_code, seventh_code  # noqa: F401  (re-exported for old callers)

ICD = "icd-10-cm"


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
            derived.append(_derive(
                r, code=seventh_code(r.code, char), title=f"{r.title}, {meaning}",
                seventh=char, billable=True, inclusion_terms=[], includes=[], notes=[],
                instructions={}, seven_chr_def={}, seven_chr_note=[], seven_chr_limits={},
                seven_chr_includes={},
                tables=[], members=[], relations={}, description=None, use_when=[],
                do_not_use_when=[], lines=r.lines))   # shared: nothing changes it now
    return records + derived


def _derive(record: Record, **changes) -> Record:
    """`dataclasses.replace` without its checks and keyword call: made 51,000 times a build."""
    if not changes.keys() <= _FIELD_NAMES:
        raise TypeError(f"not fields of a record: {sorted(changes.keys() - _FIELD_NAMES)}")
    new = object.__new__(Record)
    for name, value in zip(_KEPT, _KEPT_VALUES(record)):
        _SET(new, name, value)
    for name, value in changes.items():
        _SET(new, name, value)
    return new


_FIELD_NAMES = frozenset(f.name for f in dataclasses.fields(Record))
_KEPT = tuple(sorted(_FIELD_NAMES))
_KEPT_VALUES = operator.attrgetter(*_KEPT)
_SET = object.__setattr__


def _limits(r: Record, by_code: dict[str, Record]) -> dict[str, list[str]]:
    limits: dict[str, list[str]] = {}
    node: Record | None = r
    while node is not None:
        for char, sixths in node.seven_chr_limits.items():
            limits.setdefault(char, []).extend(sixths)
        node = by_code.get(parent_code(node.code, by_code.keys()) or "")
    return limits


# --- instructions from above -------------------------------------------------------------

# What a level of the tabular list says that applies to every code under it, in page order.
_INHERITED_LISTS = (("notes", "Notes"), ("includes", "Includes"),
                    ("inclusion_terms", "Inclusion terms"))


@dataclass(frozen=True)
class Inherited:
    """The instructions of one level above a code: where they come from and what they say."""

    origin: Record
    level: str                      # 'chapter 19', 'block', 'category', 'subcategory', 'code'
    groups: list[dict]              # {'key', 'label', 'texts'}, as pages shows a code's own


def level(record: Record) -> str:
    """Where a record sits in the tabular list: chapter N, block, category, subcategory, code."""
    if record.kind == "range":
        return f"chapter {int(record.chapter)}" if record.chapter else "block"
    if len(record.code) == 3:
        return "category"
    return "code" if record.billable else "subcategory"


def inherited_instructions(record: Record, catalog) -> list[Inherited]:
    """Every instruction from the levels above `record` (nearest first): notes, includes,
    inclusion terms and instructional notes (Excludes1, Excludes2, code first, use additional,
    code also) of each subcategory, category, block and chapter. The 7th characters that apply
    are those of the nearest level that defines them (expand_codes; pages show them apart)."""
    out = []
    for above in catalog.ancestors(record):
        groups = [{"key": key.replace("_", "-"), "label": label, "texts": list(getattr(above, key))}
                  for key, label in _INHERITED_LISTS if getattr(above, key)]
        groups += [{"key": key, "label": rel.label, "texts": list(above.instructions[key])}
                   for key, rel in RELATIONS.items() if rel.icd_only and above.instructions.get(key)]
        if groups:
            out.append(Inherited(above, level(above), groups))
    return out
