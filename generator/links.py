"""Cross-links between records: explicit relations, code mentions in prose, and backlinks.

`build_catalog` indexes the records by code, checks that every explicit relation points at a
record, and collects for each record what refers to it. `link_prose` finds code mentions in
Markdown ("see modifiers 73 and 74", "report 99213", "(A01.-)", "(O00-O9A)") and turns the
ones that name a record into links.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from . import notes, systems
from .records import Problem, Record
from .schema import RELATIONS
from .sitefiles import relative_url
from .systems import parent_code


@dataclass(frozen=True)
class Backlink:
    source: Record
    how: str            # "see also", "often confused with", "mentioned"


@dataclass
class Catalog:
    """All records, indexed by code, with what refers to each."""

    records: list[Record]
    by_code: dict[str, Record] = field(default_factory=dict)
    backlinks: dict[str, list[Backlink]] = field(default_factory=lambda: defaultdict(list))
    parents: dict[str, Record] = field(default_factory=dict)      # code -> enclosing range
    children: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    mentions: dict[str, set[str]] = field(default_factory=dict)   # code -> codes its text names
    mention_cache: dict[str, list] = field(default_factory=dict)  # text -> resolved mentions
    fragment_cache: dict[tuple, str] = field(default_factory=dict)  # see pages.PageContext
    preceding: dict[str, Record] = field(default_factory=dict)    # previous code in code order
    following: dict[str, Record] = field(default_factory=dict)
    tabular_texts: set[str] = field(default_factory=set)   # imported ICD-10-CM notes (notes.py)
    chapters: dict[str, Record] = field(default_factory=dict)   # ICD-10-CM chapter number -> range

    def linked_mentions(self, text: str) -> list:
        """(mention, record) for each mention in `text` that names a record, computed once
        per text: a note inherited by thousands of codes is scanned once, not once per page."""
        found = self.mention_cache.get(text)
        if found is None:
            found = self.mention_cache[text] = [
                (m, t) for m, t, _ in self.references(text) if t is not None]
        return found

    def references(self, text: str) -> list[tuple[Mention, Record | None, str]]:
        """(mention, record it links or None, what it covers) for every reference in `text`.

        An imported ICD-10-CM note is read by the tabular's conventions (generator/notes.py);
        'what it covers' is then a reference for systems.covers ('I70.2-I70.7', 'I69|$22'),
        or '' when it cannot be read exactly. Other text is read as prose (find_mentions)."""
        if text not in self.tabular_texts:
            return [(m, t, m.ref if m.strong else "") for m, t in resolve_mentions(text, self)]
        return [(m, t, covers) for m, t, covers, _ in resolve_note(text, self)]

    def ancestors(self, record: Record) -> list[Record]:
        """Parent, grandparent, ... up to the chapter or system's top range."""
        chain = []
        parent = self.parents.get(record.code)
        while parent is not None:
            chain.append(parent)
            parent = self.parents.get(parent.code)
        return chain

    def resolve(self, ref: str) -> Record | None:
        """The record a reference names: '53', 'E11.65', 'A00-A09', or 'E10.-' (category E10)."""
        ref = ref.strip().upper()
        if ref.endswith(".-"):
            ref = ref[:-2]
        return self.by_code.get(ref)


def prose_fields(record: Record):
    """Yield (field name, how a mention there is described, text) for every public text of a
    record in which code mentions become links."""
    if record.description:
        yield "description", "mentioned", record.description
    for name in ("use_when", "do_not_use_when", "notes", "includes", "inclusion_terms",
                 "seven_chr_note"):
        for text in getattr(record, name):
            yield name, "mentioned", text
    for kind, texts in record.instructions.items():
        for text in texts:
            yield f"instructions.{kind}", f"{RELATIONS[kind].label} note", text


def tabular_fields(record: Record):
    """The (field, how, text) of prose_fields that are the publisher's tabular text: the
    imported notes of an ICD-10-CM record, not what an editorial overlay added to them."""
    if not record.imported or record.system != "icd-10-cm":
        return
    added = set(record.overlay_from.notes) if getattr(record, "overlay_from", None) else set()
    for name, how, text in prose_fields(record):
        if name not in ("description", "use_when", "do_not_use_when") and text not in added:
            yield name, how, text


def resolve_note(text: str, catalog: Catalog):
    """Yield (mention, record or None, covers, problem) for each reference in a tabular note.

    A range with no record of its own links its two ends, each to its own page; covers is the
    whole reference ('' when it cannot be read exactly); problem says why nothing is linked."""
    refs, _ = notes.references(text)
    for ref in refs:
        mention = Mention(ref.start, ref.end, ref.text, ref.base, True)
        if ref.problem:
            yield mention, None, "", f"refers to '{ref.text}' but {ref.problem}"
            continue
        if ref.kind == "chapter":
            found = catalog.chapters.get(ref.first)
            yield (mention, found, found.code if found else "",
                   None if found else f"refers to chapter {ref.first}, which does not exist")
            continue
        found = catalog.by_code.get(ref.base)
        if found is not None or ref.kind != "range":
            yield (mention, found, ref.ref, None if found else
                   f"refers to '{ref.base}', which this release of the tabular list does not contain")
            continue
        split = ref.text.rindex(ref.last)
        for m in (Mention(ref.start, ref.start + len(ref.first), ref.first, ref.first, True),
                  Mention(ref.start + split, ref.end, ref.last, ref.last, True)):
            end = catalog.by_code.get(m.ref)
            yield (m, end, ref.ref, None if end else f"refers to '{ref.text}', whose end "
                   f"'{m.ref}' this release of the tabular list does not contain")


def build_catalog(records: list[Record], broken: set[str] = frozenset()) -> tuple[Catalog, list[Problem]]:
    """Index `records` and link them; `broken` holds codes of records that failed validation,
    which are already reported and so are not reported again as link targets."""
    catalog = Catalog(records)
    problems: list[Problem] = []
    for r in records:
        other = catalog.by_code.get(r.code)
        if other is not None:
            problems.append(Problem(r.file, r.line_of("code"), r.label, "code",
                                    f"duplicates {other.label} at {other.file}:{other.line}; "
                                    "each code may have one record"))
            continue
        catalog.by_code[r.code] = r
        if r.chapter and r.system == "icd-10-cm":
            catalog.chapters[str(int(r.chapter))] = r
    for r in records:
        catalog.tabular_texts.update(text for _, _, text in tabular_fields(r))

    for r in records:
        listed: set[str] = set()   # targets r already links by relation or applies_to
        for rtype, targets in r.relations.items():
            for i, target in enumerate(targets):
                found = catalog.resolve(target)
                line = r.line_of(f"relations.{rtype}.{i}")
                if found is None:
                    if target.upper().removesuffix(".-") in broken:
                        continue
                    problems.append(Problem(
                        r.file, line, r.label, f"relations.{rtype}",
                        f"refers to '{target}', which is no known modifier, code or range"))
                elif found is r:
                    problems.append(Problem(r.file, line, r.label, f"relations.{rtype}",
                                            "refers to the record itself"))
                else:
                    catalog.backlinks[found.code].append(Backlink(r, RELATIONS[rtype].inverse))
                    listed.add(found.code)
        for target in r.applies_to:
            found = catalog.resolve(target)
            if found is not None:
                catalog.backlinks[found.code].append(Backlink(r, "applies to these codes"))
                listed.add(found.code)
        if r.seventh:
            continue  # a code with a 7th character has no notes of its own
        for name, how, text in prose_fields(r):
            if text in catalog.tabular_texts:
                for mention, found, _, problem in resolve_note(text, catalog):
                    if found is None:
                        problems.append(Problem(r.file, r.line_of(name), r.label, name,
                                                f"{problem}; it stays plain text", severity="report"))
                    elif found is not r:
                        _mentioned(catalog, r, found, how, listed)
                continue
            for mention, found in resolve_mentions(text, catalog):
                if found is None:
                    if mention.strong and mention.ref not in broken:
                        # The publisher's own dangling references are listed in a report;
                        # an editor's are warnings that fail the strict build.
                        problems.append(Problem(
                            r.file, r.line_of(name), r.label, name,
                            f"mentions '{mention.text}', which is no known modifier, code or "
                            "range; it stays plain text",
                            severity="report" if r.imported else "warning"))
                elif found is not r:
                    _mentioned(catalog, r, found, how, listed)

    _place_in_ranges(catalog)
    return catalog, problems


def _mentioned(catalog: Catalog, r: Record, found: Record, how: str, listed: set[str]) -> None:
    mentioned = catalog.mentions.setdefault(r.code, set())
    if found.code not in mentioned:
        mentioned.add(found.code)
        if found.code not in listed:   # one backlink per source and target
            catalog.backlinks[found.code].append(Backlink(r, how))


def _place_in_ranges(catalog: Catalog) -> None:
    """Give every code and range its parent: the code it extends (ICD-10-CM 'E11.65' -> 'E11.6'),
    or else its smallest enclosing range of the same system."""
    ranges_by_system: dict[str, list[tuple[systems.CodeRange, Record]]] = defaultdict(list)
    for r in catalog.records:
        if r.kind == "range" and catalog.by_code.get(r.code) is r:
            span, _ = systems.parse_range(r.code, r.sys)
            if span:
                ranges_by_system[r.system].append((span, r))
    icd_codes = {r.code for r in catalog.records if r.system == "icd-10-cm" and r.kind == "code"}
    for r in catalog.records:
        if r.kind == "modifier" or catalog.by_code.get(r.code) is not r:
            continue
        parent = None
        if r.kind == "code" and r.system == "icd-10-cm" and len(r.code) > 3:
            code = parent_code(r.code, icd_codes)
            parent = catalog.by_code[code] if code else None
        if parent is None:
            parent = _smallest_range(r, ranges_by_system[r.system])
        if parent is not None:
            catalog.parents[r.code] = parent
            catalog.children[parent.code].append(r)
    for kids in catalog.children.values():
        kids.sort(key=lambda k: systems.sort_key(k.code))
    ordered = sorted((r for r in catalog.records if r.kind == "code" and catalog.by_code.get(r.code) is r),
                     key=lambda r: (r.system, systems.sort_key(r.code)))
    for before, after in zip(ordered, ordered[1:]):
        if before.system == after.system:
            catalog.following[before.code] = after
            catalog.preceding[after.code] = before


def _smallest_range(r: Record, ranges: list[tuple[systems.CodeRange, Record]]) -> Record | None:
    best: tuple[systems.CodeRange, Record] | None = None
    own = systems.parse_range(r.code, r.sys)[0] if r.kind == "range" else None
    for span, rng in ranges:
        if rng is r:
            continue
        inside = (span.contains(own.first) and span.contains(own.last) and span != own
                  if own else span.contains(r.code))
        if inside and (best is None or best[0].contains(span.first) and
                       best[0].contains(span.last)):
            best = (span, rng)
    return best[1] if best else None


# --- code mentions in prose -------------------------------------------------------------

@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str       # as written
    ref: str        # what to resolve
    strong: bool    # unmistakably a code: report it when nothing matches


_ICD = systems.ICD_CATEGORY
_ICD_FULL = systems.ICD_CODE
_CPT = systems.CPT_CODE
_HCPCS = systems.HCPCS_CODE
_ANY_CODE = rf"(?:{_ICD}\.[0-9A-Z]{{1,4}}|{_CPT}|{_HCPCS}|{_ICD})"
_MOD = rf"(?:{systems.MODIFIER})"
_B = r"(?<![\w.,/-])"          # a mention starts at a word boundary, not inside a number
_E = r"(?![\w/]|[.,]\d)"        # and ends at one (a sentence-ending full stop is fine)

_PATTERNS = [
    # "modifier 53", "modifiers 73 and 74", "modifiers -59, XU or XS"
    ("modlist", re.compile(
        rf"\b[Mm]odifiers?\s+-?{_MOD}{_E}(?:(?:\s*,\s*|\s*/\s*|\s+)(?:(?:and|or)\s+)?-?{_MOD}{_E})*")),
    # "99213-25": a code with a modifier appended
    ("pair", re.compile(rf"{_B}({_CPT}|{_HCPCS})-({_MOD}){_E}")),
    # ranges: "A00-A09", "(O00-O9A)", "99202-99215"
    ("range", re.compile(rf"{_B}({_ANY_CODE})\s?[-\u2013]\s?({_ANY_CODE}){_E}")),
    # "(A01.-)": a category and everything under it
    ("family", re.compile(rf"{_B}({_ICD_FULL})\.-")),
    ("icd", re.compile(rf"{_B}({_ICD}\.[0-9A-Z]{{1,4}}){_E}")),
    ("cpt", re.compile(rf"{_B}({_CPT}){_E}")),
    ("hcpcs", re.compile(rf"{_B}({_HCPCS}){_E}")),
    ("category", re.compile(rf"{_B}({_ICD}){_E}")),
    # "-59" standing alone, and modifiers with a letter in them written bare: "XU", "Q5"
    ("dashmod", re.compile(rf"{_B}-({systems.MODIFIER})(?![\w/])")),
    ("bare", re.compile(rf"{_B}({systems.HCPCS_MODIFIER})(?![\w/-])")),
]

_AMBIGUOUS = systems.AMBIGUOUS_WORDS   # two-letter words linked only after 'modifier'

_TOKEN = re.compile(rf"-?({_MOD}){_E}")

# Parts of Markdown that must not be touched: code, existing links, HTML, headings.
_SKIP = re.compile(
    # Each scan stops at the next opening character, so a run of thousands of '[' or '<'
    # costs linear time, not quadratic (link text with nested brackets is not linked anyway).
    r"```.*?```|~~~.*?~~~|`[^`\n]*`|!?\[[^\[\]\n]*\]\([^)\n]*\)"
    r"|!?\[[^\[\]\n]*\]\[[^\[\]\n]*\]"
    r"|<[^<>\n]*>|^[ \t]*#{1,6}[ \t].*$|^[ \t]*\[[^\[\]\n]+\]:.*$",
    re.M | re.S,
)


def _mentions_in(text: str, offset: int) -> list[Mention]:
    found: list[Mention] = []
    for name, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.start() + offset, m.end() + offset
            if name == "modlist":
                head = re.match(r"[Mm]odifiers?\s+", m.group(0)).end()
                for t in _TOKEN.finditer(m.group(0), head):
                    code = t.group(1)
                    found.append(Mention(s + t.start(), s + t.end(), t.group(0), code, True))
            elif name == "pair":
                found.append(Mention(s, s + len(m.group(1)), m.group(1), m.group(1), True))
                ms = s + len(m.group(1)) + 1
                found.append(Mention(ms, e, m.group(2), m.group(2), False))
            elif name == "range":
                first, last = m.group(1), m.group(2)
                same = systems.system_of_code(first)
                if same and same is systems.system_of_code(last):
                    found.append(Mention(s, e, m.group(0), f"{first}-{last}", True))
            elif name == "family":
                found.append(Mention(s, e, m.group(0), m.group(1), True))
            elif name in ("icd", "cpt", "hcpcs"):
                found.append(Mention(s, e, m.group(0), m.group(1), True))
            elif name == "category":
                found.append(Mention(s, e, m.group(0), m.group(1), False))
            elif name == "dashmod":
                found.append(Mention(s, e, m.group(0), m.group(1), False))
            elif name == "bare" and m.group(1) not in _AMBIGUOUS:
                found.append(Mention(s, e, m.group(0), m.group(1), False))
    return found


def find_mentions(markdown: str) -> list[Mention]:
    """Code mentions in the linkable parts of `markdown`, earliest first, never overlapping."""
    candidates: list[Mention] = []
    pos = 0
    for skip in _SKIP.finditer(markdown):
        candidates.extend(_mentions_in(markdown[pos:skip.start()], pos))
        pos = skip.end()
    candidates.extend(_mentions_in(markdown[pos:], pos))
    # Earlier patterns are more specific; among overlapping candidates keep the first found
    # that starts earliest and is longest.
    candidates.sort(key=lambda m: (m.start, -(m.end - m.start)))
    chosen: list[Mention] = []
    end = -1
    for m in candidates:
        if m.start >= end:
            chosen.append(m)
            end = m.end
    return chosen


def resolve_mentions(markdown: str, catalog: Catalog):
    """Yield (mention, record or None) for each mention in `markdown`.

    A range with no record of its own ('99202-99215') falls back to its two ends, each linked
    to its own page when there is one.
    """
    for m in find_mentions(markdown):
        found = catalog.resolve(m.ref)
        if found is None and "-" in m.ref and not m.ref.endswith("-"):
            first, last = m.ref.split("-", 1)
            split = m.text.index(last, len(first))
            yield Mention(m.start, m.start + len(first), first, first, True), catalog.resolve(first)
            yield (Mention(m.start + split, m.end, last, last, True), catalog.resolve(last))
            continue
        yield m, found


def link_prose(markdown: str, catalog: Catalog, page_uri: str) -> str:
    """`markdown` with every mention of a known record turned into a relative link."""
    out = []
    pos = 0
    for m, target in catalog.linked_mentions(markdown):
        if target.src_uri == page_uri:
            continue
        out.append(markdown[pos:m.start])
        out.append(f"[{m.text}]({relative_url(page_uri, target.src_uri)})")
        pos = m.end
    out.append(markdown[pos:])
    return "".join(out)
