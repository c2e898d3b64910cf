"""The site's search index: a code directory and word indexes, in shards the browser loads on demand.

Material's search ships one index with the full text of every page; at ~100,000 code pages that
is tens of megabytes for the browser to download and parse before the first result. This module
instead writes many small files under `search-index/`, each a script that registers itself with
`window.__searchShard(name, data)`, so that the same files load over HTTP and from `file://`
(where `fetch` is not allowed):

- `manifest.js`: loaded on the first query. Lists every other shard and holds the "root"
  directory: modifiers, ranges and hand-written pages, a few hundred short rows. ICD-10-CM
  categories live in the directory file named by their three characters, so a first query
  downloads only the categories it shows.
- `d/<prefix>.js`: the code directory, one file per code prefix (the first three characters of
  the code without its dot, split further while a file would hold more than `DIR_LIMIT` rows).
  Rows hold code, title, system, a flag (billable 1 / header 2, plus 4 for a code new in the
  release shown, from the release history) and, for a family head, its 7th
  characters; a document's number tells which file
  holds its row, because each file covers a contiguous run of numbers.
- `w/<prefix>.js`: the word index (searchwords.py) over titles, inclusion terms and
  "includes" lines, notes and descriptions, cut into one file per first two letters of the
  (stemmed) term. A file holds, for each of its terms and each field, the documents
  (delta-coded numbers) and weights that say how much of the field the word covers. A query
  word needs only the file of its own first two letters. Codes with a 7th character are not in
  it: their family head is, and the browser names the member a query asks for.

The manifest also carries the 7th-character meanings of the families and the editors'
synonyms (data/synonyms.yaml, synonyms.py).

Only public text goes in: titles, inclusion terms, descriptions, official descriptors of public
domain code sets and the text of hand-written pages. Members-only sections are never read.
"""
from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from . import history, searchwords, sitefiles, synonyms, systems
from .history import views as history_views
from .links import Catalog
from .pages import plain_summary
from .records import Record
from .systems import bare as normalize_code

INDEX_DIR = "search-index"
FORMAT = 3                 # bump when the browser code must change with the file layout
DIR_LIMIT = 200            # rows per directory file before it is split by one more character
FIELDS = searchwords.FIELDS   # title, inclusion terms and includes, notes and descriptions
SYSTEM_KEYS = ("cpt", "hcpcs", "icd-10-cm", "page")
KIND_KEYS = {"code": "c", "range": "r", "modifier": "m", "page": "p"}
EXCLUDED_PAGES = {"search.md"}   # the results page itself


@dataclass
class Document:
    """One search result: a code, range, modifier or page, with the text its words come from."""

    code: str                     # "" for pages
    title: str
    system: str                   # one of SYSTEM_KEYS
    kind: str                     # code, range, modifier, page
    billable: bool | None = None  # ICD-10-CM: True billable, False header; None elsewhere
    url: str = ""                 # site-relative, for pages only; codes derive theirs
    terms: list[str] = field(default_factory=list)   # inclusion terms
    text: str = ""                # description, official descriptor or page text
    number: int = -1              # position in the index, assigned by `number_documents`
    words: bool = True            # in the word index; a 7th-character code is found by its family
    family: tuple[str, int] | None = None   # a family head: its 7th characters and meaning set
    new: bool = False             # added in the release shown (generator.history)

    def row(self) -> list:
        flag = {True: 1, False: 2, None: 0}[self.billable] + (4 if self.new else 0)
        row = [self.code, self.title, SYSTEM_KEYS.index(self.system), KIND_KEYS[self.kind], flag]
        if self.url or self.family:
            row.append(self.url)
        if self.family:
            row += list(self.family)
        return row


# --- codes -------------------------------------------------------------------------------

def record_document(record: Record) -> Document:
    """The searchable view of a record; reads ICD-only fields when the record has them."""
    billable = getattr(record, "billable", None)
    if record.system != "icd-10-cm" or record.kind != "code":
        billable = None
    text = " ".join(part for part in (
        record.official_descriptor,
        plain_summary(record.description, limit=10**9) if record.description else None,
    ) if part)
    terms = [t for name in ("inclusion_terms", "includes")
             for t in getattr(record, name, None) or [] if isinstance(t, str)]
    notes = [n for n in getattr(record, "notes", None) or [] if isinstance(n, str)]
    if notes:
        text = " ".join([text] + [plain_summary(n, limit=10**9) for n in notes]).strip()
    return Document(code=record.code, title=record.title, system=record.system,
                    kind=record.kind, billable=billable, terms=terms, text=text,
                    words=not getattr(record, "seventh", None))


# --- hand-written pages ------------------------------------------------------------------

_TAGS = re.compile(r"<[^>]+>")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"[*_`#>|]|^\s*[-+]\s|\{[^}]*\}|^\s*!!!.*$", re.M)


def page_document(page: sitefiles.ContentPage, directory_urls: bool = True) -> Document | None:
    """A hand-written page as a document: its title and its visible text."""
    if page.excluded_from_search:
        return None
    text = _MD_MARKS.sub(" ", _MD_LINK.sub(r"\1", _TAGS.sub(" ", page.body)))
    return Document(code="", title=page.title, system="page", kind="page",
                    url=sitefiles.page_url(page.uri, directory_urls) or "./", text=" ".join(text.split()))


def index_page_documents(catalog: Catalog, directory_urls: bool = True) -> list[Document]:
    """The generated index pages (Modifiers, CPT codes, ...), findable by their names."""
    return [Document(code="", title=p.title, system="page", kind="page",
                     url=p.url(directory_urls), text=p.summary)
            for p in sitefiles.index_pages(catalog.records)]


def mark_families(docs: list[Document]) -> list[list[list[str]]]:
    """Give each family head its 7th characters; return the distinct sets of meanings.

    A row of a head then reads [..., "ADGKMNPQRS", set number]; the browser names the family
    ("16 encounter codes") and builds any member's code and title from it.
    """
    heads = {d.code: d for d in docs if d.system == "icd-10-cm" and d.kind == "code"}
    members: dict[str, list[Document]] = defaultdict(list)
    for d in docs:
        if not d.words and d.code:
            members[systems.seventh_base(d.code)[0]].append(d)
    sets: list[list[list[str]]] = []
    numbers: dict[str, int] = {}
    for code, group in members.items():
        head = heads.get(code)
        if head is None:
            continue
        meanings = [[d.code[-1], d.title[len(head.title) + 2:]] for d in group]
        key = json.dumps(meanings)
        if key not in numbers:
            numbers[key] = len(sets)
            sets.append(meanings)
        head.family = ("".join(m[0] for m in meanings), numbers[key])
    return sets


def mark_new(docs: list[Document], data_dir: Path | None) -> int:
    """Flag the ICD-10-CM codes added in the release shown; the count (0 without history data)."""
    loaded = history.load(data_dir) if data_dir is not None else None
    if loaded is None:
        return 0
    count = 0
    for doc in docs:
        if doc.system == "icd-10-cm" and doc.code in loaded.changes:
            doc.new = bool(history_views.code_facts(loaded, doc.code)["new"])
            count += doc.new
    return count


def collect_documents(catalog: Catalog, docs_dir: Path | None,
                      directory_urls: bool = True) -> list[Document]:
    docs = [record_document(r) for r in catalog.records if catalog.by_code.get(r.code) is r]
    docs += index_page_documents(catalog, directory_urls)
    for page in sitefiles.content_pages(docs_dir, EXCLUDED_PAGES):
        doc = page_document(page, directory_urls)
        if doc is not None:
            docs.append(doc)
    return docs


# --- the directory -----------------------------------------------------------------------

def in_root(doc: Document) -> bool:
    """Rows every query may need: modifiers, ranges and pages. Codes, categories included,
    are in the directory files (a first query would otherwise download ~1,900 categories)."""
    return doc.kind != "code"


def _split(rows: list[Document], depth: int) -> list[tuple[str, list[Document]]]:
    groups: dict[str, list[Document]] = defaultdict(list)
    for doc in rows:
        groups[normalize_code(doc.code)[:depth]].append(doc)
    out = []
    for key in sorted(groups):
        group = groups[key]
        # A code no longer than the key stays in the file named by its whole code.
        if len(group) > DIR_LIMIT and any(len(normalize_code(d.code)) > depth for d in group):
            out += _split(group, depth + 1)
        else:
            out.append((key, group))
    return out


def number_documents(docs: list[Document]) -> tuple[list[Document], list[tuple[str, list[Document]]]]:
    """Number documents so each directory file holds a contiguous run; return root and files."""
    def order(d: Document):
        return (SYSTEM_KEYS.index(d.system), KIND_KEYS[d.kind], systems.sort_key(d.code), d.title)

    root = sorted((d for d in docs if in_root(d)), key=order)
    rest = sorted((d for d in docs if not in_root(d)), key=order)
    files = _split(rest, 3)
    number = 0
    for doc in root:
        doc.number, number = number, number + 1
    for _, group in files:
        group.sort(key=order)
        for doc in group:
            doc.number, number = number, number + 1
    return root, files


# --- files -------------------------------------------------------------------------------

def _script(name: str, data) -> str:
    return sitefiles.shard_script("__searchShard", name, data)


@dataclass
class IndexStats:
    documents: int
    files: int
    bytes: int
    seconds: float
    word_files: int
    directory_files: int


def build_files(catalog: Catalog, docs_dir: Path | None,
                directory_urls: bool = True, data_dir: Path | None = None) -> dict[str, str]:
    """Every index file: path under search-index/ -> content. Page URLs follow the build's
    `use_directory_urls` (false for the offline bundle); the browser derives code URLs."""
    docs = collect_documents(catalog, docs_dir, directory_urls)
    sevenths = mark_families(docs)
    mark_new(docs, data_dir)
    root, dir_files = number_documents(docs)
    words = searchwords.encode(docs)
    out: dict[str, str] = {}
    directory = []
    for key, group in dir_files:
        out[f"d/{key}.js"] = _script(f"d/{key}", [d.row() for d in group])
        directory.append([key, len(group)])   # files are numbered in this order, one after another
    for key, entries in words.items():
        out[f"w/{key}.js"] = _script(f"w/{key}", entries)
    manifest = {
        "format": FORMAT,
        "fields": list(FIELDS),
        "prior": searchwords.PRIOR_SPAN,
        "sevenths": sevenths,
        "encounter": sorted(searchwords.encounter_stems(sevenths)),
        "synonyms": synonyms.for_index(data_dir, catalog),
        "systems": list(SYSTEM_KEYS),
        "folders": {"cpt": systems.SYSTEMS["cpt"].folder, "hcpcs": systems.SYSTEMS["hcpcs"].folder,
                    "icd-10-cm": systems.SYSTEMS["icd-10-cm"].folder,
                    "modifier": systems.MODIFIER_FOLDER},
        "documents": len(docs),
        "root": [d.row() for d in root],
        "directory": directory,
        "words": sorted(words),
    }
    out["manifest.js"] = _script("manifest", manifest)
    return out


def write_index(catalog: Catalog, docs_dir: Path | None, site_dir: Path,
                directory_urls: bool = True, data_dir: Path | None = None) -> IndexStats:
    """Write the index into `site_dir/search-index/`, replacing any previous one.

    Synonyms come from `data_dir/synonyms.yaml`; `data_dir` defaults to `data/` beside
    `docs_dir` (the project root holds both)."""
    started = time.perf_counter()
    if data_dir is None and docs_dir is not None:
        data_dir = Path(docs_dir).parent / "data"
    files = build_files(catalog, docs_dir, directory_urls, data_dir)
    sizes = sitefiles.write_folder(site_dir / INDEX_DIR, files)
    return IndexStats(
        documents=len(catalog.records), files=len(files), bytes=sum(sizes),
        seconds=time.perf_counter() - started,
        word_files=sum(1 for n in files if n.startswith("w/")),
        directory_files=sum(1 for n in files if n.startswith("d/")),
    )
