"""The data the ask box answers from, in small files the browser loads on demand.

The ask box (overrides/assets/javascripts/ask/*.js) answers questions about codes, modifiers,
Excludes notes, 7th characters and topics in the browser, from the same records the pages are
built from. At ~98,000 codes it must never download everything, so this module writes, under
`ask-data/` in the site, scripts that register themselves with `window.__askShard(name, data)`
(scripts, not JSON, so that they load from file:// too, where fetch is refused):

- `manifest.js`: every modifier and range code with its title, the code-file keys, and the
  topics (hand-written pages, code-set indexes) with their headings. Loaded on the first question.
- `c/<key>.js`: every code whose code, without its dot, starts with `key` (its first three
  characters: one ICD-10-CM category, or a run of CPT or HCPCS codes), with title, parent,
  billable flag, a short description, instructional and Includes notes with their code
  references resolved,
  7th-character definitions and, for a code that takes a 7th character, which ones it takes.
  Codes with a 7th character are not listed: the browser derives them from their base code.
- `r/<code>.js`: one range (an ICD-10-CM chapter or block, a CPT range): its notes and children.
- `m/<code>.js`: one modifier: its summary, when to use it and not, what it is confused with.

Only public text goes in: never members-only sections. References inside notes are found
here with the catalog (generator.links, generator.notes), the same way the pages link them,
so the browser only compares codes.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from . import systems
from .links import Catalog
from .sitefiles import index_pages, page_url, read_content_page, shard_script, write_folder
from .pages import plain_summary
from .records import Record
from .schema import RELATIONS
from .history import MCE_EDITS
from .history.views import code_facts

DATA_DIR = "ask-data"
FORMAT = 1
INSTRUCTION_KEYS = [k for k, r in RELATIONS.items() if r.icd_only]
MAX_TERMS = 6            # inclusion terms shown in a "what is" answer


def shard_key(code: str) -> str:
    """Which c/ file holds a code: the first three characters without dot ('E11.65' -> 'E11')."""
    return code.replace(".", "").upper()[:3]


def _kind(record: Record) -> str:
    return {"modifier": "m", "range": "r"}.get(record.kind, "c")


_NOTES: dict[tuple[int, str], list] = {}


def _notes(text: str, catalog: Catalog) -> list:
    """A note as [text, [[start, end, code, kind(, covers)], ...]]: its code references as the
    pages read them (catalog.references: the tabular's conventions for imported ICD-10-CM
    notes), each linked to a record (kind c, r or m) or not ('': a code or range the reference
    has no page for, which an Excludes note still excludes). `covers`, when it differs from the
    code, is what the reference names for OCR.codes.covers ('I70.2-I70.7', 'I69|$22'). A
    reference that cannot be read exactly is left out. A note inherited by many codes is
    resolved once."""
    key = (id(catalog), text)
    found = _NOTES.get(key)
    if found is None:
        found = []
        for m, target, covers in catalog.references(text):
            if target is not None:
                item = [m.start, m.end, target.code, _kind(target)]
            elif covers:
                item = [m.start, m.end, m.ref.upper(), ""]
            else:
                continue
            if covers and covers != item[2]:
                item.append(covers)
            found.append(item)
        _NOTES[key] = found
    return [text, found]


def _plain(record: Record) -> str:
    return plain_summary(record.description, limit=400) if record.description else ""


def _base(record: Record, catalog: Catalog) -> dict:
    out: dict = {"c": record.code, "t": record.title, "s": record.system, "k": _kind(record)}
    parent = catalog.parents.get(record.code)
    if parent is not None:
        out["p"] = parent.code
    summary = _plain(record)
    if summary:
        out["d"] = summary
    if record.official_descriptor and record.official_descriptor != record.title:
        out["o"] = record.official_descriptor
    if record.inclusion_terms:
        out["it"] = record.inclusion_terms[:MAX_TERMS]
    if record.use_when:
        out["u"] = [_notes(t, catalog) for t in record.use_when]
    if record.do_not_use_when:
        out["n"] = [_notes(t, catalog) for t in record.do_not_use_when]
    relations = {k: [t.code for t in (catalog.resolve(v) for v in vals) if t is not None]
                 for k, vals in record.relations.items()}
    relations = {k: v for k, v in relations.items() if v}
    if relations:
        out["rel"] = relations
    notes = {k: [_notes(t, catalog) for t in record.instructions[k]]
             for k in INSTRUCTION_KEYS if record.instructions.get(k)}
    if record.includes:
        notes["includes"] = [_notes(t, catalog) for t in record.includes]
    if record.notes and record.system == "icd-10-cm":
        notes["notes"] = [_notes(t, catalog) for t in record.notes]
    if notes:
        out["i"] = notes
    if record.seven_chr_def:
        out["sd"] = record.seven_chr_def
    if record.seven_chr_note:
        out["sn"] = record.seven_chr_note
    if record.status != "active":
        out["st"] = record.status
    return out


# --- release history and Medicare facts (generator.history), only what differs from the
# defaults in the manifest: most codes carry nothing ---------------------------------------

def _history_entry(history, code: str, default: list) -> dict:
    """{"f": first release when within FY2024-FY2026, "r": releases that revised the title,
    "v": validity periods when not the common one, "l": "CC" | "MCC", "cx": [CC exclusion
    collection, principal diagnoses in it], "e": Medicare Code Editor edits}."""
    facts = code_facts(history, code)
    out: dict = {}
    if facts["first_release"] not in (None, "before FY2024"):
        out["f"] = facts["first_release"]
    revised = [fy for fy, c, _ in history.changes.get(code, ()) if c == "revised"]
    if revised:
        out["r"] = revised
    if facts["valid"] != default:
        out["v"] = facts["valid"]
    if facts["level"]:
        out["l"] = facts["level"]
        collection = history.medicare[code][1]
        if collection != "-":
            out["cx"] = [collection, len(history.collections.get(collection, ()))]
    if facts["mce"]:
        out["e"] = facts["mce"]
    return out


def _default_period(history) -> list:
    """The validity every code valid since before FY2024 and still in the MCE shares."""
    counts: dict[tuple, int] = defaultdict(int)
    for periods in history.periods.values():
        counts[tuple(tuple(p) for p in periods)] += 1
    common = max(counts, key=counts.get) if counts else ()
    return [list(p) for p in common]


def history_manifest(history, default: list) -> dict:
    meta = history.meta
    medicare = meta.get("medicare", {})
    ages = {k: f"{a} to {b}" for k, (a, b) in medicare.get("mce_ages", {}).items()}
    return {
        "shown": history.shown,
        "releases": {fy: [r["first_day"], r["last_day"], r.get("source", "")]
                     for fy, r in history.releases.items()},
        "default": default,
        # The last day the validity data covers (the MCE data's horizon), not a deletion date.
        "through": max((b for periods in history.periods.values() for _, b in periods), default=""),
        "medicare": [medicare.get("release", ""), medicare.get("source", "")],
        "mce": {k: [name, text.format(**ages)] for k, (name, text) in MCE_EDITS.items()},
    }


def past_codes(history, catalog: Catalog, directory_urls: bool = True) -> dict:
    """ask-data/past.js: codes the shown release does not hold as billable codes, for release
    and validity questions: deleted since FY2024, FY2027 included ("d": release that deleted it, "t": its last
    title, "s": [[successor, title, has a page]]) and added after the shown release ("a":
    release, "u": [nearest code above it in the shown release, title]); both with "v", their
    validity periods. "changes": release -> its changes page (site-relative URL)."""
    from .history.changepages import changes_uri

    names = list(history.releases)
    shown = names.index(history.shown)
    out: dict[str, dict] = {}
    for code, rows in history.changes.items():
        for fy, change, row in rows:
            order = names.index(fy)
            if change == "deleted":
                successors = []
                for s in row[6].split():
                    r = catalog.by_code.get(s)
                    successors.append([s, r.title if r else "", 1 if r else 0])
                out[code] = {"d": fy, "t": row[4], "s": successors}
            elif change == "added" and order > shown:
                above = systems.parent_code(code, catalog.by_code)
                r = catalog.by_code.get(above) if above else None
                out[code] = {"a": fy, "u": [r.code, r.title] if r else []}
            else:
                continue
            out[code]["v"] = [list(p) for p in history.periods.get(code, ())]
    return {"codes": dict(sorted(out.items())),
            "changes": {fy: page_url(changes_uri(fy), directory_urls)
                        for fy in names if fy in history.by_release}}


def _code_entry(record: Record, catalog: Catalog, sevenths: dict[str, str],
                extra: dict | None = None) -> dict:
    out = _base(record, catalog)
    if record.system == "icd-10-cm":
        out["b"] = 1 if record.billable else 0
    if record.code in sevenths:
        out["x"] = sevenths[record.code]
    if extra:
        out.update(extra)
    return out


def _range_entry(record: Record, catalog: Catalog) -> dict:
    out = _base(record, catalog)
    if record.chapter:
        out["chapter"] = record.chapter
    out["ch"] = [[c.code, c.title, _kind(c)] for c in catalog.children.get(record.code, [])]
    return out


def _modifier_entry(record: Record, catalog: Catalog) -> dict:
    out = _base(record, catalog)
    if record.applies_to:
        out["ap"] = record.applies_to
    return out


# --- topics: hand-written pages ----------------------------------------------------------

@dataclass
class Topic:
    title: str
    url: str            # site-relative
    words: str          # headings and description, for matching

    def row(self) -> list:
        return [self.title, self.url, self.words]


def page_topic(path: Path, docs_dir: Path, directory_urls: bool) -> Topic | None:
    page = read_content_page(path, docs_dir)
    if page.excluded_from_search:
        return None
    words = " ".join([str(page.meta.get("description") or "")] + [h for level, h in page.headings if level <= 3])
    return Topic(page.title, page_url(page.uri, directory_urls) or "./", words)


def topics(catalog: Catalog, docs_dir: Path | None, directory_urls: bool) -> list[Topic]:
    found: list[Topic] = []
    if docs_dir is not None and docs_dir.is_dir():
        # The reference's own pages sit at the top of content/; pages in folders belong to
        # neighbouring products (the job board), which the ask box does not answer about.
        for path in sorted(docs_dir.glob("*.md")):
            topic = page_topic(path, docs_dir, directory_urls)
            if topic is not None:
                found.append(topic)
    for index in index_pages(catalog.records):
        words = ("every CPT and HCPCS Level II modifier list" if index.system is None
                 else f"{systems.SYSTEMS[index.system].label} code ranges chapters index")
        found.append(Topic(index.title, index.url(directory_urls), words))
    return found


# --- files -------------------------------------------------------------------------------

def _script(name: str, data) -> str:
    return shard_script("__askShard", name, data)


def seventh_characters(catalog: Catalog) -> dict[str, str]:
    """Base code -> the 7th characters it takes, from the codes tabular.expand_codes derived."""
    out: dict[str, str] = defaultdict(str)
    for r in catalog.records:
        if r.seventh:
            base = catalog.parents.get(r.code)
            if base is not None:
                out[base.code] += r.seventh
    return dict(out)


def build_files(catalog: Catalog, docs_dir: Path | None, site_dir: Path,
                directory_urls: bool = True) -> dict[str, str]:
    """Every ask-data file: path under ask-data/ -> content."""
    _NOTES.clear()
    sevenths = seventh_characters(catalog)
    history = getattr(catalog, "history", None)
    default = _default_period(history) if history else []
    extras: dict[str, dict] = defaultdict(dict)
    if history is not None:
        for r in catalog.records:
            if r.system != "icd-10-cm" or r.kind != "code" or not r.billable:
                continue
            facts = _history_entry(history, r.code, default)
            if r.seventh:
                base = catalog.parents.get(r.code)
                if base is not None and facts:
                    extras[base.code].setdefault("h7", {})[r.seventh] = facts
            elif facts:
                extras[r.code]["h"] = facts
    codes: dict[str, list[dict]] = defaultdict(list)
    out: dict[str, str] = {}
    modifiers, ranges = {}, {}
    for r in catalog.records:
        if catalog.by_code.get(r.code) is not r or r.seventh:
            continue
        if r.kind == "modifier":
            modifiers[r.code] = [r.title, r.system]
            out[f"m/{r.code}.js"] = _script(f"m/{r.code}", _modifier_entry(r, catalog))
        elif r.kind == "range":
            ranges[r.code] = [r.title, r.system, r.chapter or ""]
            out[f"r/{r.code}.js"] = _script(f"r/{r.code}", _range_entry(r, catalog))
        else:
            codes[shard_key(r.code)].append(_code_entry(r, catalog, sevenths, extras.get(r.code)))
    for key, entries in codes.items():
        entries.sort(key=lambda e: systems.sort_key(e["c"]))
        out[f"c/{key}.js"] = _script(f"c/{key}", entries)
    manifest = {
        "format": FORMAT,
        "folders": {key: s.folder for key, s in systems.SYSTEMS.items()}
        | {"modifier": systems.MODIFIER_FOLDER},
        "labels": {key: s.label for key, s in systems.SYSTEMS.items()},
        "modifiers": modifiers,
        "ranges": ranges,
        "codes": sorted(codes),
        "topics": [t.row() for t in topics(catalog, docs_dir, directory_urls)],
        "directory_urls": directory_urls,
    }
    if history is not None:
        manifest["history"] = history_manifest(history, default)
        manifest["history"]["past"] = True
        out["past.js"] = _script("past", past_codes(history, catalog, directory_urls))
    out["manifest.js"] = _script("manifest", manifest)
    return out


@dataclass
class DataStats:
    files: int
    bytes: int
    largest: int


def write_data(catalog: Catalog, docs_dir: Path | None, site_dir: Path,
               directory_urls: bool = True) -> DataStats:
    """Write ask-data/ into `site_dir`, replacing any previous one."""
    files = build_files(catalog, docs_dir, site_dir, directory_urls)
    sizes = write_folder(site_dir / DATA_DIR, files)
    return DataStats(files=len(files), bytes=sum(sizes), largest=max(sizes, default=0))
