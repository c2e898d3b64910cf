"""The real FY2026 tabular XML (simple-icd-10-cm==1.5.0) for the ask box's question set: a cut
of it to build a small site from, and the facts the questions' expectations are checked against
(titles, notes at each level, ancestors), read straight from the XML, independently of the
generator.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from generator.icd10cm import default_xml

# The categories the questions need, whole, with their blocks and chapters (and the chapters'
# header blocks such as C00-C96).
CATEGORIES = {
    "A00", "A01", "A02", "A04", "A41", "B20",
    "C43", "C4A", "C50", "D3A", "D37", "D47", "D49",
    "E08", "E10", "E11", "E66", "E78",
    "F10", "F32", "F41",
    "G04", "G89",
    "I10", "I11", "I12", "I13", "I20", "I21", "I25", "I48", "I50", "I69", "I70", "I73",
    "J44", "J45",
    "K21", "K74",
    "M1A", "M17", "M54",
    "R07", "R51",
    "S06", "S72", "T81",
    "Z00", "Z23", "Z3A", "Z79",
}
NOTE_TYPES = ("includes", "inclusionTerm", "excludes1", "excludes2", "codeFirst", "useAdditionalCode",
              "codeAlso", "notes")


def cut(out: Path, categories=CATEGORIES) -> Path:
    """Write the real XML cut to `categories` to `out`."""
    tree = ET.parse(default_xml())
    root = tree.getroot()
    root.remove(root.find("introduction"))
    for chapter in root.findall("chapter"):
        sections = chapter.findall("section")
        kept = [s for s in sections if any(d.find("name").text in categories for d in s.findall("diag"))]
        if not kept:
            root.remove(chapter)
            continue
        chapter.remove(chapter.find("sectionIndex"))
        for section in sections:
            diags = section.findall("diag")
            if diags and section not in kept:
                chapter.remove(section)
                continue
            for diag in diags:
                if diag.find("name").text not in categories:
                    section.remove(diag)
    tree.write(out, encoding="utf-8", xml_declaration=True)
    return out


@dataclass
class Level:
    """A chapter, section (block) or diag of the XML, with its notes by type."""
    code: str
    kind: str                       # chapter, section, diag
    title: str
    notes: dict[str, list[str]] = field(default_factory=dict)
    parent: "Level | None" = None
    children: list[str] = field(default_factory=list)

    def chain(self) -> list["Level"]:
        out, level = [], self
        while level is not None:
            out.append(level)
            level = level.parent
        return out


@lru_cache(maxsize=1)
def levels() -> dict[str, Level]:
    """Every chapter ('chapter 4'), section ('E08-E13') and code of the real XML."""
    out: dict[str, Level] = {}

    def notes_of(element) -> dict[str, list[str]]:
        return {t: [n.text for n in element.find(t).findall("note")]
                for t in NOTE_TYPES if element.find(t) is not None}

    def walk(element, parent: Level):
        for diag in element.findall("diag"):
            code = diag.find("name").text
            level = Level(code, "diag", diag.find("desc").text, notes_of(diag), parent)
            level.notes.setdefault("sevenChr", [f"{e.get('char')}: {e.text}" for e in diag.findall("sevenChrDef/extension")])
            out[code] = level
            parent.children.append(code)
            walk(diag, level)

    for chapter in ET.parse(default_xml()).getroot().findall("chapter"):
        number = chapter.find("name").text
        top = Level(f"chapter {number}", "chapter", chapter.find("desc").text, notes_of(chapter))
        out[top.code] = top
        for section in chapter.findall("section"):
            block = Level(section.get("id"), "section", section.find("desc").text, notes_of(section), top)
            out.setdefault(block.code, block)
            walk(section, block)
    return out


def level(code: str) -> Level:
    """A code's level; a code with a 7th character is found through its base code."""
    found = levels().get(code)
    if found is not None:
        return found
    base = code[:-1].rstrip("X").rstrip(".")
    if len(code) == 8 and base in levels():
        return levels()[base]
    raise KeyError(f"{code} is not in the FY2026 tabular XML")


_REF = re.compile(r"\b([A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{0,4})?)(?:-+([A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{0,4})?))?-?")


@lru_cache(maxsize=1)
def _order() -> dict[str, int]:
    """Category -> its place in the tabular list (D3A between D36 and D37, M1A before M10)."""
    return {code: i for i, code in enumerate(c for c, lv in levels().items()
                                              if lv.kind == "diag" and len(c) == 3)}


def _place(code: str) -> tuple:
    bare = code.replace(".", "")
    return (_order().get(bare[:3], -1), bare[3:])


def _covers(lo: str, hi: str | None, code: str) -> bool:
    """Does the reference lo[-hi] cover `code`, in the tabular's own order?"""
    target = code.replace(".", "")
    if hi is None:
        return target.startswith(lo.replace(".", ""))
    first, last, here = _place(lo), _place(hi), _place(code)
    if here[0] < first[0] or here[0] > last[0]:
        return False
    if here[0] == first[0] and here[1][:len(first[1])] < first[1]:
        return False
    return not (here[0] == last[0] and here[1][:len(last[1])] > last[1])


def notes_naming(code: str, other: str, types=("excludes1", "excludes2")) -> list[tuple[str, str, str]]:
    """(type, level code, note) for every note of `types` at `code` or above that names `other`."""
    hits = []
    for holder in level(code).chain():
        for kind in types:
            for note in holder.notes.get(kind, []):
                if any(_covers(m.group(1), m.group(2), other) for m in _REF.finditer(note)):
                    hits.append((kind, holder.code, note))
    return hits
