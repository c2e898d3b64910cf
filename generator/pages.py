"""Rendering records into pages.

Each record becomes a small view (what the page shows, in order) that a Jinja2 template in
`templates/` turns into the page's HTML body; the page's Markdown file holds only its front
matter (title, description, breadcrumbs). Python decides what is on a page; the templates own
the markup, with autoescaping on. Curated prose from YAML is Markdown with raw HTML escaped;
the publisher's text imported from the CDC is plain text. In both, code mentions become links.

Generated pages skip Python-Markdown: at ~98,500 pages, converting each page's Markdown was
most of the build time, while the only Markdown in them is the curated prose of a few hundred
records (see the plugin's on_page_content).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import markup, systems
from .markup import escape_markdown  # noqa: F401  (kept importable from here)
from .links import Catalog
from .sitefiles import page_href, page_url
from .records import Record
from .schema import RELATIONS, STATUSES
from .tabular_view import billable_label, tabular_view

TEMPLATES = Path(__file__).parent / "templates"

KIND_LABELS = {"modifier": "modifier", "code": "code", "range": "code range"}


def escape_text(text: str) -> str:
    """Plain text for HTML that a theme template prints as it is (see markup.escape)."""
    return str(markup.escape(text))


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


class PageContext:
    """Links and prose for one page: relative URLs depend on where the page is."""

    def __init__(self, catalog: Catalog, uri: str, directory_urls: bool = True,
                 env: jinja2.Environment | None = None):
        self.catalog = catalog
        self.uri = uri
        self.directory_urls = directory_urls
        self.env = env

    def shared(self, template: str, key: str, **values) -> Markup:
        """A fragment that is the same on every page in this folder, rendered once.

        An ancestor's notes appear on every code below it: thousands of pages for a chapter."""
        folder = self.uri.rsplit("/", 1)[0]
        cache_key = (template, key, folder, self.directory_urls)
        # Rendered from no page's place (same folder), so it links every code it names, and
        # rendered again for a page it names, which does not link itself: the same whichever
        # page comes first.
        nowhere = (folder + "/" if "/" in self.uri else "") + "\0.md"
        found = self.catalog.fragment_cache.get(cache_key)
        if found is None:
            found = Markup(self.env.get_template(template).render(
                ctx=PageContext(self.catalog, nowhere, self.directory_urls, self.env), **values))
            self.catalog.fragment_cache[cache_key] = found
        if f'href="{page_href(nowhere, self.uri, self.directory_urls)}"' in found:
            return Markup(self.env.get_template(template).render(ctx=self, **values))
        return found

    @property
    def page_path(self) -> str:
        """The page's path on the hosted site ("modifiers/53/"), for forms' return address."""
        return page_url(self.uri, True)

    @property
    def about_href(self) -> str:
        return page_href(self.uri, "about.md", self.directory_urls)

    @property
    def account_href(self) -> str:
        """The account page (content/account.md): log in, register, log out."""
        return page_href(self.uri, "account.md", self.directory_urls)

    def href(self, record: Record) -> str:
        return page_href(self.uri, record.src_uri, self.directory_urls)

    def item(self, record: Record, note: str = "") -> Item:
        return Item(record.code, record.title, self.href(record), note)

    def _links(self, text: str):
        """(start, end, href) of every mention in `text` that leads to another page."""
        return [(m.start, m.end, self.href(t)) for m, t in self.catalog.linked_mentions(text)
                if t.src_uri != self.uri]

    def plain(self, text: str) -> Markup:
        """The publisher's plain text, escaped, with code mentions linked."""
        out, pos = [], 0
        for start, end, href in self._links(text):
            out.append(markup.escape(text[pos:start]))
            out.append(f'<a href="{markup.escape(href)}">{markup.escape(text[start:end])}</a>')
            pos = end
        out.append(markup.escape(text[pos:]))
        return Markup("".join(out))

    def prose(self, text: str, inline: bool = False) -> Markup:
        """Curated Markdown with raw HTML escaped and code mentions linked."""
        source = escape_markdown(text.strip())
        out, pos = [], 0
        for start, end, href in self._links(source):
            out.append(source[pos:start])
            out.append(f"[{source[start:end]}]({href})")
            pos = end
        out.append(source[pos:])
        rendered = markup.render_markdown("".join(out))
        if inline and rendered.startswith("<p>") and rendered.endswith("</p>") \
                and rendered.count("<p>") == 1:
            rendered = rendered[3:-4]
        return Markup(rendered)

    def text(self, record: Record, text: str, inline: bool = True) -> Markup:
        return self.plain(text) if record.imported else self.prose(text, inline)


def page_title(record: Record) -> str:
    if record.kind == "modifier":
        return f"Modifier {record.code}: {record.title}"
    if record.chapter:
        return f"Chapter {record.chapter}: {record.title} ({record.code})"
    return f"{record.code}: {record.title}"


def tab_title(record: Record) -> str:
    """The browser tab's title: code, system, title ("E11.65 · ICD-10-CM · Type 2 ...")."""
    if record.kind == "modifier":
        return f"{record.code} · {record.sys.label} modifier · {record.title}"
    if record.chapter:
        return f"Chapter {record.chapter} · {record.sys.label} · {record.title} ({record.code})"
    return f"{record.code} · {record.sys.label} · {record.title}"


def nav_title(record: Record) -> str:
    """The record's title in the navigation, HTML-escaped: the theme prints it as it is."""
    if record.chapter:
        return escape_text(f"{record.chapter}. {record.title}")
    return escape_text(f"{record.code} {record.title}")


def index_uri(folder: str) -> str:
    return f"{folder}/index.md"


def breadcrumbs(record: Record, catalog: Catalog, directory_urls: bool = True) -> list[dict]:
    """Site-root-relative crumbs from the system index down to the record's parent."""
    if record.kind == "modifier":
        index = page_url(index_uri(systems.MODIFIER_FOLDER), directory_urls)
        return [{"title": "Modifiers", "url": index},
                {"title": escape_text(f"{record.sys.label} modifiers"),
                 "url": f"{index}#{record.system}"}]
    # ICD-10-CM trails are up to seven levels deep on ~98,000 pages: the parent keeps its title
    # (on a phone the trail shows only the parent), the levels above are named by code or chapter
    # number, their titles being a click away and in the notes that apply from above.
    short = record.system == "icd-10-cm"
    chain = [{"title": escape_text(f"{a.code} {a.title}" if i == 0 or not short else
                                   f"Chapter {a.chapter}" if a.chapter else a.code),
              "url": page_url(a.src_uri, directory_urls)}
             for i, a in enumerate(catalog.ancestors(record))]
    return [{"title": escape_text(record.sys.label),
             "url": page_url(index_uri(record.sys.folder), directory_urls)}] + chain[::-1]


def record_view(record: Record, ctx: PageContext) -> dict:
    catalog = ctx.catalog
    groups = []
    for key, rtype in RELATIONS.items():
        targets = [catalog.resolve(t) for t in record.relations.get(key, [])]
        items = [ctx.item(t) for t in targets if t is not None]
        if items:
            groups.append({"key": key, "label": rtype.label, "items": items})
    shown = {i.code for g in groups for i in g["items"]}
    backlinks = sorted(
        (ctx.item(b.source, b.how) for b in catalog.backlinks.get(record.code, [])
         if b.source.code not in shown),
        key=lambda i: (len(i.code) != 2, systems.sort_key(i.code)),
    )
    applies = []
    for target in record.applies_to:
        found = catalog.resolve(target)
        applies.append(ctx.item(found) if found else Item(target, "", None))
    previous = catalog.preceding.get(record.code)
    following = catalog.following.get(record.code)
    view = {
        "title": page_title(record),
        "kind_label": f"{record.sys.label} {KIND_LABELS[record.kind]}",
        # "Active" on every page says nothing: only a change is shown.
        "status_label": "" if record.status == "active" else record.status.capitalize(),
        "status_help": STATUSES[record.status],
        "relation_groups": groups,
        "backlinks": backlinks,
        "applies_to": applies,
        "children": [ctx.item(c) for c in catalog.children.get(record.code, [])],
        "licence": record.sys.licence,
        "previous": ctx.item(previous) if previous else None,
        "next": ctx.item(following) if following else None,
        "billable": None,
        "billable_label": billable_label(record, catalog),
        "subtree": [],
        "instructions": [],
        "inherited": [],
        "seventh": None,
        "origin": None,
    }
    if record.system == "icd-10-cm":
        view.update(tabular_view(record, ctx))
    return view


def chapter_order(record: Record) -> tuple:
    """ICD-10-CM chapters by number (chapter 22, U00-U85, after 20 and 21), else code order."""
    return (int(record.chapter) if record.chapter else 0, systems.sort_key(record.code))


def index_views(catalog: Catalog) -> list[dict]:
    """One index page per code system that has records, and one for all modifiers.

    Items hold records; the template links them from the index page's own place."""
    views = []
    modifiers = [r for r in catalog.records if r.kind == "modifier"]
    if modifiers:
        groups = []
        for system in systems.SYSTEMS.values():
            mine = sorted((r for r in modifiers if r.system == system.key),
                          key=lambda r: systems.sort_key(r.code))
            if mine:
                groups.append({"id": system.key, "label": f"{system.label} modifiers",
                               "licence": system.licence, "records": mine})
        views.append({"uri": index_uri(systems.MODIFIER_FOLDER), "title": "Modifiers",
                      "groups": groups,
                      "intro": "Every CPT and HCPCS Level II modifier in the reference, "
                               "in code order."})
    for system in systems.SYSTEMS.values():
        top = sorted((r for r in catalog.records
                      if r.system == system.key and r.kind != "modifier"
                      and r.code not in catalog.parents and catalog.by_code.get(r.code) is r),
                     key=chapter_order)
        if not top:
            continue
        views.append({"uri": index_uri(system.folder), "title": f"{system.label} codes",
                      "groups": [{"id": "codes", "label": "", "licence": system.licence,
                                  "records": top}],
                      "intro": f"{system.label} code ranges and codes in the reference, in "
                               "code order."})
    return views


def make_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def render_record(env: jinja2.Environment, record: Record, catalog: Catalog,
                  directory_urls: bool = True) -> str:
    """The HTML body of a record's page."""
    ctx = PageContext(catalog, record.src_uri, directory_urls, env)
    view = record_view(record, ctx)
    return env.get_template("record.html.j2").render(view=view, r=record, ctx=ctx)


def render_index(env: jinja2.Environment, view: dict, catalog: Catalog,
                 directory_urls: bool = True) -> str:
    ctx = PageContext(catalog, view["uri"], directory_urls)
    return env.get_template("index.html.j2").render(view=view, ctx=ctx)


class Renderer:
    """Every generated page of a catalog: its metadata up front, its body on demand."""

    def __init__(self, catalog: Catalog, directory_urls: bool = True):
        self.catalog = catalog
        self.directory_urls = directory_urls
        self.env = make_environment()
        self.records = {r.src_uri: r for r in catalog.records
                        if catalog.by_code.get(r.code) is r}
        self.indexes = {v["uri"]: v for v in index_views(catalog)}

    def __contains__(self, uri: str) -> bool:
        return uri in self.records or uri in self.indexes

    def uris(self) -> list[str]:
        return list(self.records) + list(self.indexes)

    def meta(self, uri: str) -> dict:
        """The page's metadata, HTML-escaped because Material prints it unescaped."""
        record = self.records.get(uri)
        if record is None:
            view = self.indexes[uri]
            return {"title": escape_text(view["title"]), "description": escape_text(view["intro"])}
        meta = {
            "title": escape_text(tab_title(record)),
            "crumb": escape_text(record.code),
            "description": escape_text(plain_summary(record.description) or record.title),
            "breadcrumbs": breadcrumbs(record, self.catalog, self.directory_urls),
            "code_page": True,
        }
        if record.imported and not record.overlay_from:
            meta["imported"] = True   # the edit link explains overlays (partials/actions.html)
        # The lean template: a short navigation rendered once per block (see code.html).
        meta["template"] = "code.html"
        meta["fragment_key"] = uri.rsplit("/", 1)[0]
        return meta

    def body(self, uri: str) -> str | None:
        if uri in self.records:
            return render_record(self.env, self.records[uri], self.catalog, self.directory_urls)
        if uri in self.indexes:
            return render_index(self.env, self.indexes[uri], self.catalog, self.directory_urls)
        return None


class FragmentCache(dict):
    """Theme fragments rendered once and reused, for templates: `put` returns ''."""

    def put(self, key: str, value) -> str:
        self[key] = value
        return ""


def front_matter_text(meta: dict) -> str:
    """`meta` as the YAML front matter of a Markdown file."""
    lines = ["---"] + [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items()]
    return "\n".join(lines + ["---", ""])


def render_pages(catalog: Catalog, directory_urls: bool = True) -> dict[str, str]:
    """Every generated page in full, as front matter and HTML body: docs-tree path -> text."""
    renderer = Renderer(catalog, directory_urls)
    return {uri: front_matter_text(renderer.meta(uri)) + renderer.body(uri)
            for uri in renderer.uris()}


_HEADING = re.compile(r'<h([23]) id="([^"]+)">(.*?)<a class="headerlink"')


def toc_tokens(body: str) -> list[dict]:
    """The table of contents of a rendered body, in Python-Markdown's toc_tokens form."""
    tokens: list[dict] = []
    for level, anchor, name in _HEADING.findall(body):
        token = {"level": int(level), "id": anchor, "name": name, "children": []}
        if level == "3" and tokens:
            tokens[-1]["children"].append(token)
        elif level == "2":
            tokens.append(token)
    return tokens


_ANCHOR = re.compile(r' id="([^"]+)"')


def anchor_ids(body: str) -> set[str]:
    """Every id in a rendered body, so MkDocs can check links to its anchors."""
    return set(_ANCHOR.findall(body))
