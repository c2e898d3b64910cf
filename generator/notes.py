"""References in the ICD-10-CM tabular list's notes, read the way the tabular writes them.

`references(text)` finds every reference in one note:

- a code or category: "(A18.32)", "category O31", "I69." (a trailing dot is the category);
- a code and everything under it: "(A04.7-)", "(Z16.-)";
- a range, written with "-", "--", " - ", "to", or after a "-"/".-" end: "(P35-P39)",
  "(I70.2--I70.7-)", "(F10.- -F19.-)", "(M05.00 to M05.8A)"; a range names categories or
  subcategories and everything under its ends;
- lists of these, with a qualifier that applies to the whole list before it: "with final
  characters -22" (codes ending in 22), "with .51-.52" or "with final characters .00 or .01"
  (the codes that continue the category with those characters), "with fifth or sixth character
  5", "with 7th character B" (a character at a position);
- whole chapters: "Chapter 20", "chapters 19 and 20".

Words that only look like codes are not references: "stage F4", "type 1", "C7-T1" (spinal
levels have one digit), vitamin "D3" and "B12", "ICD-10", "E. coli O157". A qualifier with
"character" that cannot be read exactly ("with fifth or sixth character to indicate intent") is
kept, and the reference reports it instead of linking.

Each reference has a canonical `ref` string that generator.systems.covers (and the browser's
OCR.codes.covers) understands: "I70.2-I70.7", "E10", "I69|$22", "E08-E13|.51|.52",
"T36-T50|@4=5|@5=5" ("|" separates alternatives a code must meet one of: "$x" its code without
7th character ends in x, ".x" its characters after the category start with x, "@i=x" its
characters from position i, counted from 0 without the dot, are x).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .systems import ICD_CATEGORY, LETTER_CATEGORIES

# "six" is the publisher's slip for "sixth" in one note at D84.821 ("fifth or six character 5").
_ORDINALS = {"fifth": 4, "5th": 4, "sixth": 5, "six": 5, "6th": 5, "seventh": 6, "7th": 6}

_CODE = rf"{ICD_CATEGORY}(?:\.[0-9A-Z]{{1,4}})?"
# One end: the code, then "-" or ".-" (and everything under it) or a bare dot (the category).
_END = rf"(?<![A-Za-z0-9.])({_CODE})(\.-|-(?=$|[\s,;)\-\u2013]|[A-Z]\d)|\.(?=\s)|(?=[^A-Za-z0-9]|$))"
_END_RE = re.compile(_END)
# Between two ends of a range: dashes with optional spaces, an en dash, or "to".
_JOIN = re.compile(r"\s*(?:-{1,2}|\u2013)\s*|\s+to\s+|\s+(?=[A-Z]\d)")
_BETWEEN = re.compile(r"(?:[\s,;.\-\u2013]|\band\b|\bor\b)*")
_WITH = re.compile(r",?\s*with\s+", re.I)
_CHAPTER = re.compile(r"\b[Cc]hapters?\s+(\d{1,2})((?:\s*(?:,|and|or)\s*\d{1,2}\b)*)")
_NOT_BEFORE = re.compile(r"(?:\bvitamin|\bstage|\btype|\bgrade|\bclass|\bfactor|\bICD)[\s-]*$", re.I)

# Qualifiers after a list of references.
_Q_FINAL = re.compile(r"final characters?\s+((?:[-.]?[0-9A-Z]+)(?:\s*(?:,|or)\s*[-.]?[0-9A-Z]+)*)")
_Q_DOTS = re.compile(r"(\.[0-9A-Z]+-?(?:\s*(?:-|,|\.|or)\s*\.?[0-9][0-9A-Z]*-?)*)")
_Q_POSITION = re.compile(
    r"((?:fifth|sixth|seventh|5th|6th|7th)(?:\s+(?:or|to)\s+(?:fifth|sixth|six|seventh|5th|6th|7th))?)"
    r"[- ]characters?\s+([0-9]{2}\b|\.?[0-9A-Z](?:-[0-9A-Z])?(?:\s*(?:,|or)\s*[0-9A-Z](?:-[0-9A-Z])?)*)")
_Q_THROUGH = re.compile(r"an?\s+(fifth|sixth|seventh|5th|6th|7th)\s+character\s+of\s+(\d)\s+through\s+(\d)")
_Q_LOOSE = re.compile(r"[^)]*?\bcharacter", re.I)


@dataclass(frozen=True)
class Reference:
    """One reference in a note. `start`-`end` is what links: the code or range as written."""

    start: int
    end: int
    text: str
    first: str                  # code as written, without "-" or ".-": 'I70.2', 'E10'; or chapter number
    last: str | None = None     # the range's other end
    kind: str = "code"          # code, family (code with '-'), range, chapter
    qualifier: tuple[str, ...] = ()   # alternatives ('$22', '.52', '@4=5'), see the module doc
    problem: str | None = None  # why this reference cannot be linked exactly

    @property
    def base(self) -> str:
        return f"{self.first}-{self.last}" if self.last else self.first

    @property
    def ref(self) -> str:
        """Canonical reference for systems.covers; chapters are resolved by the catalog."""
        return "|".join((self.base, *self.qualifier))


@dataclass(frozen=True)
class Ignored:
    """Something that looks like a code but is not a reference, and why."""

    start: int
    end: int
    text: str
    reason: str


def _qualifier(text: str, pos: int) -> tuple[tuple[str, ...], str | None, int]:
    """(alternatives, problem, end) for a qualifier starting at `pos`, or ((), None, pos)."""
    w = _WITH.match(text, pos)
    if not w:
        return (), None, pos
    at = w.end()
    m = _Q_FINAL.match(text, at)
    if m:
        alts = []
        for part in re.split(r"\s*(?:,|or)\s*", m.group(1)):
            alts.append("." + part[1:] if part.startswith(".") else "$" + part.lstrip("-"))
        return tuple(alts), None, m.end()
    m = _Q_DOTS.match(text, at)
    if m:
        return _dot_alternatives(m.group(1)), None, m.end()
    m = _Q_POSITION.match(text, at)
    if m:
        words = re.split(r"\s+(?:or|to)\s+", m.group(1))
        positions = [_ORDINALS[word] for word in words]
        values = m.group(2).lstrip(".")
        if " to " in m.group(1):      # "fifth to sixth characters 51": one string from the fifth
            return (f"@{positions[0]}={values}",), None, m.end()
        chars = []
        for part in re.split(r"\s*(?:,|or)\s*", values):
            if re.fullmatch(r"\d-\d", part):
                chars += [str(c) for c in range(int(part[0]), int(part[2]) + 1)]
            else:
                chars.append(part)
        return tuple(f"@{p}={c}" for p in positions for c in chars), None, m.end()
    m = _Q_THROUGH.match(text, at)
    if m:
        position = _ORDINALS[m.group(1)]
        return tuple(f"@{position}={n}" for n in range(int(m.group(2)), int(m.group(3)) + 1)), \
            None, m.end()
    loose = _Q_LOOSE.match(text, at)
    if loose:
        end = text.find(")", at)
        end = len(text) if end < 0 else end
        return (), f"its qualifier 'with {text[at:end].strip()}' cannot be read exactly", end
    return (), None, pos


def _dot_alternatives(spec: str) -> tuple[str, ...]:
    """'.51-.52' -> ('.51', '.52'); '.15. .25, .95' -> ('.15', '.25', '.95'); '.62-' -> ('.62',)."""
    parts = [p.strip(".-") for p in re.findall(r"\.?[0-9][0-9A-Z]*-?", spec)]
    parts = [p for p in parts if p]
    m = re.fullmatch(r"\.(\d+)-\.(\d+)", spec.strip())
    if m and len(m.group(1)) == len(m.group(2)) and int(m.group(1)) <= int(m.group(2)):
        width = len(m.group(1))
        parts = [str(n).zfill(width) for n in range(int(m.group(1)), int(m.group(2)) + 1)]
    return tuple("." + p for p in parts)


def references(text: str) -> tuple[list[Reference], list[Ignored]]:
    """The references in one note, in order, and the code look-alikes that are not ones."""
    refs: list[Reference] = []
    ignored: list[Ignored] = []
    for m in _CHAPTER.finditer(text):
        numbers = [m.group(1)] + re.findall(r"\d{1,2}", m.group(2) or "")
        for number in numbers:
            at = text.index(number, m.start() if number == m.group(1) else m.end(1))
            refs.append(Reference(m.start() if number == m.group(1) else at,
                                  m.end(1) if number == m.group(1) else at + len(number),
                                  text[m.start():m.end(1)] if number == m.group(1) else number,
                                  str(int(number)), kind="chapter"))
    pos = 0
    group: list[int] = []        # indexes in refs of the list being read, for its qualifier
    while True:
        m = _END_RE.search(text, pos)
        if not m:
            break
        before = text[max(0, m.start() - 12):m.start()]
        if _NOT_BEFORE.search(before):
            ignored.append(Ignored(m.start(), m.end(1), m.group(1), "a stage, type or vitamin"))
            pos = m.end()
            continue
        first, suffix = m.group(1), m.group(2)
        if first[1].isalpha() and first[:3] not in LETTER_CATEGORIES:
            ignored.append(Ignored(m.start(), m.end(1), first, "a name such as GM2 or CR3: no "
                                   "category but " + ", ".join(sorted(LETTER_CATEGORIES))
                                   + " has a letter there"))
            pos = m.end()
            continue
        start = m.start()
        end = m.end() if suffix.endswith("-") else m.end(1)    # "E08.-" links whole
        last, kind = None, "family" if suffix.endswith("-") else "code"
        join = _JOIN.match(text, m.end())
        second = _END_RE.match(text, join.end()) if join else None
        if second is None and suffix in ("-", ".-"):    # "C81-C86", "F98.2.-F98.3": joined
            second = _END_RE.match(text, m.end())
        if second is not None:
            last, kind = second.group(1), "range"
            end = second.end() if second.group(2).endswith("-") else second.end(1)
            pos = second.end()
        else:
            pos = m.end()
        if group and not _BETWEEN.fullmatch(text[refs[group[-1]].end:start]):
            group = []      # a qualifier applies to the list just before it, not further back
        refs.append(Reference(start, end, text[start:end], first.rstrip("."), last, kind))
        group.append(len(refs) - 1)
        qualifier, problem, after = _qualifier(text, pos)
        if qualifier or problem:
            for i in group:
                refs[i] = Reference(refs[i].start, refs[i].end, refs[i].text, refs[i].first,
                                    refs[i].last, refs[i].kind, qualifier, problem)
            group = []
            pos = after
    refs.sort(key=lambda r: r.start)
    return refs, ignored

