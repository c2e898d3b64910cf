"""The site's search index: a code directory and word indexes, in shards the browser loads on demand.

Material's search ships one index with the full text of every page; at ~100,000 code pages that
is tens of megabytes for the browser to download and parse before the first result. This module
instead writes many small files under `search-index/`, each a script that registers itself with
`window.__searchShard(name, data)`, so that the same files load over HTTP and from `file://`
(where `fetch` is not allowed):

- `manifest.js`: loaded on the first query. Lists every other shard and holds the "root"
  directory: modifiers, ranges, hand-written pages and three-character codes (ICD-10-CM
  categories), a few thousand short rows.
- `d/<prefix>.js`: the code directory, one file per code prefix (the first three characters of
  the code without its dot, split further while a file would hold more than `DIR_LIMIT` rows).
  Rows hold code, title, system and billable/header flag; a document's number tells which file
  holds its row, because each file covers a contiguous run of numbers.
- `w/<prefix>.js`: the word index, built with lunr.py over titles, inclusion terms and
  descriptions, cut into one file per first two letters of the (stemmed) term. A file holds,
  for each of its terms and each field, the documents (delta-coded numbers) and lunr's BM25
  scores, which the browser turns back into a `lunr.Index` to query with lunr.js. A query word
  needs only the file of its own first two letters.

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

import yaml
from lunr import get_default_builder

from . import systems
from .links import Catalog
from .pages import plain_summary
from .records import Record
from .systems import bare as normalize_code, term_shard  # noqa: F401  (one source of code rules)

INDEX_DIR = "search-index"
FORMAT = 1                 # bump when the browser code must change with the file layout
DIR_LIMIT = 1500           # rows per directory file before it is split by one more character
FIELDS = ("t", "i", "d")   # title, inclusion terms, description/text
FIELD_BOOSTS = {"t": 10, "i": 2, "d": 1}   # title matches outrank inclusion-term matches
SYSTEM_KEYS = ("cpt", "hcpcs", "icd-10-cm", "page")
KIND_KEYS = {"code": "c", "range": "r", "modifier": "m", "page": "p"}
SCORE_SCALE = 10           # scores are shipped as integers of tenths
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

    @property
    def boost(self) -> float:
        # Reportable codes, modifiers and pages before ICD-10-CM headers and range pages.
        return 1.0 if self.billable is False or self.kind == "range" else 2.0

    def row(self) -> list:
        flag = {True: 1, False: 2, None: 0}[self.billable]
        row = [self.code, self.title, SYSTEM_KEYS.index(self.system), KIND_KEYS[self.kind], flag]
        if self.url:
            row.append(self.url)
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
    terms = [t for t in getattr(record, "inclusion_terms", None) or [] if isinstance(t, str)]
    return Document(code=record.code, title=record.title, system=record.system,
                    kind=record.kind, billable=billable, terms=terms, text=text)


# --- hand-written pages ------------------------------------------------------------------

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_TAGS = re.compile(r"<[^>]+>")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_MARKS = re.compile(r"[*_`#>|]|^\s*[-+]\s|\{[^}]*\}|^\s*!!!.*$", re.M)


def page_document(path: Path, docs_dir: Path, directory_urls: bool = True) -> Document | None:
    """A hand-written page as a document: its title and its visible text."""
    uri = path.relative_to(docs_dir).as_posix()
    if uri in EXCLUDED_PAGES:
        return None
    source = path.read_text(encoding="utf-8")
    meta: dict = {}
    match = _FRONT_MATTER.match(source)
    if match:
        try:
            meta = yaml.safe_load(match.group(1)) or {}
        except yaml.YAMLError:
            meta = {}
        source = source[match.end():]
    if not isinstance(meta, dict) or (meta.get("search") or {}).get("exclude"):
        return None
    heading = re.search(r"^#\s+(.+)$", source, re.M)
    title = str(meta.get("title") or (heading.group(1) if heading else uri[:-3]))
    text = _MD_MARKS.sub(" ", _MD_LINK.sub(r"\1", _TAGS.sub(" ", source)))
    stem = uri[:-3]
    if not directory_urls:   # the offline bundle: about.md -> about.html, x/index.md -> x/index.html
        return Document(code="", title=title.strip(), system="page", kind="page",
                        url=stem + ".html", text=" ".join(text.split()))
    url = "" if stem == "index" else (stem[: -len("index")] if stem.endswith("/index") else stem + "/")
    return Document(code="", title=title.strip(), system="page", kind="page",
                    url=url or "./", text=" ".join(text.split()))


def index_page_documents(catalog: Catalog, directory_urls: bool = True) -> list[Document]:
    """The generated index pages (Modifiers, CPT codes, ...), findable by their names."""
    index = "" if directory_urls else "index.html"
    docs = []
    if any(r.kind == "modifier" for r in catalog.records):
        docs.append(Document(code="", title="Modifiers", system="page", kind="page",
                             url=f"{systems.MODIFIER_FOLDER}/{index}",
                             text="Every CPT and HCPCS Level II modifier, in code order."))
    for system in systems.SYSTEMS.values():
        if any(r.system == system.key and r.kind != "modifier" for r in catalog.records):
            docs.append(Document(code="", title=f"{system.label} codes", system="page",
                                 kind="page", url=f"{system.folder}/{index}",
                                 text=f"{system.label} code ranges and codes, in code order."))
    return docs


def collect_documents(catalog: Catalog, docs_dir: Path | None,
                      directory_urls: bool = True) -> list[Document]:
    docs = [record_document(r) for r in catalog.records if catalog.by_code.get(r.code) is r]
    docs += index_page_documents(catalog, directory_urls)
    if docs_dir is not None and docs_dir.is_dir():
        for path in sorted(docs_dir.rglob("*.md")):
            doc = page_document(path, docs_dir, directory_urls)
            if doc is not None:
                docs.append(doc)
    return docs


# --- the directory -----------------------------------------------------------------------

def in_root(doc: Document) -> bool:
    """Rows every query may need: modifiers, ranges, pages, and codes of three characters."""
    return doc.kind != "code" or len(normalize_code(doc.code)) <= 3


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


# --- the word index ----------------------------------------------------------------------

def build_word_index(docs: list[Document]):
    """A lunr.py index over every document's title, inclusion terms and text."""
    builder = get_default_builder()
    builder.ref("n")
    for name in FIELDS:
        builder.field(name, boost=FIELD_BOOSTS[name])
    for doc in docs:
        builder.add({"n": str(doc.number), "t": doc.title, "i": " ".join(doc.terms),
                     "d": doc.text}, attributes={"boost": doc.boost})
    return builder.build()


def encode_word_shards(index) -> dict[str, list]:
    """Cut a lunr.py index into files of terms: [term, field, doc deltas, scores, field, ...]."""
    terms_by_number = {posting["_index"]: term for term, posting in index.inverted_index.items()}
    postings: dict[tuple[int, str], list[tuple[int, float]]] = defaultdict(list)
    for field_ref, vector in index.field_vectors.items():
        name, _, doc = str(field_ref).partition("/")
        elements = vector.elements
        number = int(doc)
        for i in range(0, len(elements), 2):
            postings[(elements[i], name)].append((number, elements[i + 1]))
    shards: dict[str, list] = defaultdict(list)
    for term_number in sorted(terms_by_number, key=terms_by_number.get):
        term = terms_by_number[term_number]
        entry: list = [term]
        for f, name in enumerate(FIELDS):
            pairs = sorted(postings.get((term_number, name), ()))
            if not pairs:
                continue
            deltas, scores, last = [], [], 0
            for number, score in pairs:
                deltas.append(number - last)
                scores.append(max(1, round(score * SCORE_SCALE)))
                last = number
            entry += [f, deltas, scores]
        if len(entry) > 1:
            shards[term_shard(term)].append(entry)
    return dict(shards)


# --- files -------------------------------------------------------------------------------

def _script(name: str, data) -> str:
    # JSON is valid JavaScript; escaping "<" and "/" keeps "</script>" or "<!--" in a title
    # from meaning anything should a file ever be inlined into a page.
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    payload = payload.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"__searchShard({json.dumps(name)},{payload});\n"


@dataclass
class IndexStats:
    documents: int
    files: int
    bytes: int
    seconds: float
    word_files: int
    directory_files: int


def build_files(catalog: Catalog, docs_dir: Path | None,
                directory_urls: bool = True) -> dict[str, str]:
    """Every index file: path under search-index/ -> content. Page URLs follow the build's
    `use_directory_urls` (false for the offline bundle); the browser derives code URLs."""
    docs = collect_documents(catalog, docs_dir, directory_urls)
    root, dir_files = number_documents(docs)
    words = encode_word_shards(build_word_index(docs))
    out: dict[str, str] = {}
    directory = []
    for key, group in dir_files:
        out[f"d/{key}.js"] = _script(f"d/{key}", [d.row() for d in group])
        directory.append([key, group[0].number, len(group)])
    for key, entries in words.items():
        out[f"w/{key}.js"] = _script(f"w/{key}", entries)
    manifest = {
        "format": FORMAT,
        "fields": list(FIELDS),
        "scale": SCORE_SCALE,
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
                directory_urls: bool = True) -> IndexStats:
    """Write the index into `site_dir/search-index/`, replacing any previous one."""
    started = time.perf_counter()
    files = build_files(catalog, docs_dir, directory_urls)
    target = site_dir / INDEX_DIR
    if target.exists():
        for old in sorted(target.rglob("*"), reverse=True):
            old.rmdir() if old.is_dir() else old.unlink()
    size = 0
    for name, content in files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content.encode("utf-8")
        path.write_bytes(data)
        size += len(data)
    return IndexStats(
        documents=len(catalog.records), files=len(files), bytes=size,
        seconds=time.perf_counter() - started,
        word_files=sum(1 for n in files if n.startswith("w/")),
        directory_files=sum(1 for n in files if n.startswith("d/")),
    )
