"""Rendering records into Markdown pages.

Each record becomes a small view (what the page shows, in order) that a Jinja2 template in
`templates/` turns into Markdown. Python decides what is on a page; the templates own the
markup. Every string that comes from YAML goes through `escape_markdown` or `escape_text`, so
raw HTML in a data file is shown as text, never run.
"""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2

from . import systems
from .links import Catalog, link_prose, relative_url
from .records import Record
from .schema import RELATIONS, STATUSES

TEMPLATES = Path(__file__).parent / "templates"

KIND_LABELS = {"modifier": "modifier", "code": "code", "range": "code range"}

_CODE_SPANS = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`", re.S)


def escape_text(text: str) -> str:
    """Plain text for HTML or Markdown: no tags, no entities."""
    return html.escape(text, quote=True)


def escape_markdown(text: str) -> str:
    """Markdown from YAML with raw HTML neutralised (code spans are escaped by Markdown itself)."""
    out, pos = [], 0
    for span in _CODE_SPANS.finditer(text):
        out.append(html.escape(text[pos:span.start()], quote=False))
        out.append(span.group(0))
        pos = span.end()
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def plain_summary(text: str | None, limit: int = 160) -> str:
    """First sentence or so of Markdown as plain text, for the page's meta description."""
    if not text:
        return ""
    plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    plain = re.sub(r"[*_`#]|^\s*>", "", plain, flags=re.M)
    plain = " ".join(plain.split())
    if len(plain) <= limit:
        return plain
    cut = plain[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


@dataclass(frozen=True)
class Item:
    """A record as an entry in a list on another page."""

    code: str
    title: str
    url: str | None
    note: str = ""


def _item(record: Record, page_uri: str, note: str = "") -> Item:
    return Item(record.code, record.title, relative_url(page_uri, record.src_uri), note)


def page_title(record: Record) -> str:
    if record.kind == "modifier":
        return f"Modifier {record.code}: {record.title}"
    if record.chapter:
        return f"Chapter {record.chapter}: {record.title} ({record.code})"
    return f"{record.code}: {record.title}"


def nav_title(record: Record) -> str:
    if record.chapter:
        return f"{record.chapter}. {record.title}"
    return f"{record.code} {record.title}"


def index_uri(folder: str) -> str:
    return f"{folder}/index.md"


def breadcrumbs(record: Record, catalog: Catalog) -> list[dict[str, str]]:
    """Site-root-relative crumbs from the system index down to the record's parent."""
    if record.kind == "modifier":
        return [{"title": "Modifiers", "url": f"{systems.MODIFIER_FOLDER}/"},
                {"title": f"{record.sys.label} modifiers",
                 "url": f"{systems.MODIFIER_FOLDER}/#{record.system}"}]
    chain = []
    parent = catalog.parents.get(record.code)
    while parent is not None:
        chain.append({"title": f"{parent.code} {parent.title}",
                      "url": parent.src_uri[:-3] + "/"})
        parent = catalog.parents.get(parent.code)
    return [{"title": record.sys.label, "url": f"{record.sys.folder}/"}] + chain[::-1]


def record_view(record: Record, catalog: Catalog) -> dict:
    uri = record.src_uri
    groups = []
    for key, rtype in RELATIONS.items():
        targets = [catalog.resolve(t) for t in record.relations.get(key, [])]
        items = [_item(t, uri) for t in targets if t is not None]
        if items:
            groups.append({"label": rtype.label, "items": items})
    shown = {i.code for g in groups for i in g["items"]}
    backlinks = sorted(
        (_item(b.source, uri, b.how) for b in catalog.backlinks.get(record.code, [])
         if b.source.code not in shown),
        key=lambda i: (len(i.code) != 2, systems.sort_key(i.code)),
    )
    applies = []
    for target in record.applies_to:
        found = catalog.resolve(target)
        applies.append(_item(found, uri) if found else Item(target, "", None))
    return {
        "uri": uri,
        "record": record,
        "title": page_title(record),
        "kind_label": f"{record.sys.label} {KIND_LABELS[record.kind]}",
        "status_label": record.status.capitalize(),
        "status_help": STATUSES[record.status],
        "summary": plain_summary(record.description) or record.title,
        "crumbs": breadcrumbs(record, catalog),
        "relation_groups": groups,
        "backlinks": backlinks,
        "applies_to": applies,
        "children": [_item(c, uri) for c in catalog.children.get(record.code, [])],
        "licence": record.sys.licence,
        "previous": _neighbour(catalog.preceding.get(record.code), uri),
        "next": _neighbour(catalog.following.get(record.code), uri),
        **(_tabular_view(record, catalog, uri) if record.system == "icd-10-cm" else {}),
    }


def _neighbour(record: Record | None, uri: str) -> Item | None:
    return _item(record, uri) if record is not None else None


INSTRUCTION_TYPES = [key for key, r in RELATIONS.items() if r.icd_only]


def _instructions(record: Record) -> list[dict]:
    return [{"key": key, "label": RELATIONS[key].label, "texts": record.instructions[key]}
            for key in INSTRUCTION_TYPES if record.instructions.get(key)]


def tabular_level(record: Record, catalog: Catalog) -> str:
    if record.kind == "range":
        return f"chapter {record.chapter}" if record.chapter else "block"
    if len(record.code) == 3:
        return "category"
    return "code" if record.billable else "subcategory"


def _tabular_view(record: Record, catalog: Catalog, uri: str) -> dict:
    """What an ICD-10-CM page adds: level, billable status, notes inherited from above, and
    the 7th characters that apply."""
    ancestors = catalog.ancestors(record)
    inherited = [{"source": _item(a, uri), "groups": _instructions(a)}
                 for a in ancestors if a.instructions]
    definer = next((r for r in [record, *ancestors] if r.seven_chr_def), None)
    seventh = None
    if definer is not None and record.kind == "code":
        seventh = {"source": _item(definer, uri), "own": definer is record,
                   "rows": [(char, meaning, definer.seven_chr_includes.get(char, []))
                            for char, meaning in definer.seven_chr_def.items()],
                   "notes": definer.seven_chr_note, "current": record.seventh}
    level = tabular_level(record, catalog)
    return {
        "kind_label": f"ICD-10-CM {level}",
        "billable": record.billable if record.kind == "code" else None,
        "instructions": _instructions(record),
        "inherited": inherited,
        "seventh": seventh,
        "origin": _item(catalog.parents[record.code], uri) if record.seventh else None,
    }


def index_views(catalog: Catalog) -> list[dict]:
    """One index page per code system that has records, and one for all modifiers."""
    views = []
    modifiers = [r for r in catalog.records if r.kind == "modifier"]
    if modifiers:
        uri = index_uri(systems.MODIFIER_FOLDER)
        groups = []
        for system in systems.SYSTEMS.values():
            mine = sorted((r for r in modifiers if r.system == system.key),
                          key=lambda r: systems.sort_key(r.code))
            if mine:
                groups.append({"id": system.key, "label": f"{system.label} modifiers",
                               "licence": system.licence,
                               "items": [_item(r, uri) for r in mine]})
        views.append({"uri": uri, "title": "Modifiers", "groups": groups,
                      "intro": "Every CPT and HCPCS Level II modifier in the reference, "
                               "in code order."})
    for system in systems.SYSTEMS.values():
        top = sorted((r for r in catalog.records
                      if r.system == system.key and r.kind != "modifier"
                      and r.code not in catalog.parents and catalog.by_code.get(r.code) is r),
                     key=lambda r: systems.sort_key(r.code))
        if not top:
            continue
        uri = index_uri(system.folder)
        views.append({"uri": uri, "title": f"{system.label} codes",
                      "groups": [{"id": "codes", "label": "", "licence": system.licence,
                                  "items": [_item(r, uri) for r in top]}],
                      "intro": f"{system.label} code ranges and codes in the reference, in "
                               "code order."})
    return views


def make_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=False,        # the output is Markdown; escaping is explicit, per field
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["text"] = escape_text
    env.filters["yaml_str"] = lambda s: json.dumps(escape_text(s), ensure_ascii=False)
    env.filters["json"] = lambda v: json.dumps(v, ensure_ascii=False)
    return env


def render_record(env: jinja2.Environment, record: Record, catalog: Catalog) -> str:
    view = record_view(record, catalog)

    def prose(text: str) -> str:
        return link_prose(escape_markdown(text.strip()), catalog, view["uri"])

    return env.get_template("record.md.j2").render(view=view, r=record, prose=prose)


def render_index(env: jinja2.Environment, view: dict) -> str:
    return env.get_template("index.md.j2").render(view=view)


def render_pages(catalog: Catalog) -> dict[str, str]:
    """Every generated page: docs-tree path -> Markdown."""
    env = make_environment()
    pages = {}
    for record in catalog.records:
        if catalog.by_code.get(record.code) is record:
            pages[record.src_uri] = render_record(env, record, catalog)
    for view in index_views(catalog):
        pages[view["uri"]] = render_index(env, view)
    return pages
