"""The offline bundle's ICD-10-CM "book": one page per category, like the printed Tabular List.

One file per code cannot fit the offline zip (zip compresses each file on its own: ~98,700
ICD-10-CM pages of ~2.4 KB deflated text each is ~237 MB before any page frame). In the bundle
(`codes` plugin option `book: true`, set by mkdocs.offline.yml):

- each category page (E11, S72, ...) shows the category as on the site, then every code under it
  in tabular order as a section whose heading has the code as `id`: title, billable status, its
  own notes, the 7th-character table where it is defined (once, as the book does), its codes
  with a 7th character as one line each (also with the code as `id`), a history line, Medicare
  facts and what refers to it;
  the notes that apply from above are shown once, on the category and at the level that
  defines them;
- every other ICD-10-CM code keeps its URL as a tiny stub page (meta refresh and a plain link)
  that forwards to `<category>.html#<code>`, so links, search results, the ask box, short links
  and bookmarks of the bundle land on the code's text (`write_stubs`, an output of the build: outputs.BookStubs);
- links between ICD-10-CM codes in the bundle's pages go to the section directly;
- chapters, blocks, codes with curated text (they keep their page: the book links to it),
  modifiers, CPT, HCPCS and hand-written pages stay as they are on the site.
"""
from __future__ import annotations

from pathlib import Path

from markupsafe import Markup
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError

from . import markup, pages, systems, tabular
from .history import MCE_EDITS
from .history import views as history_views
from .links import Catalog
from .records import Record
from .sitefiles import page_href, page_url
from .schema import RELATIONS
from .tabular_view import INSTRUCTION_TYPES, billable_label

ICD = "icd-10-cm"
TEMPLATE = "book.html.j2"


class BookConfig(Config):
    """The `codes` plugin's option for the bundle (its other options are in plugin.py)."""
    book = config_options.Type(bool, default=False)


def is_category(record: Record) -> bool:
    return record.system == ICD and record.kind == "code" and tabular.level(record) == "category"


def keeps_page(record: Record) -> bool:
    """Codes with curated text keep their own page in the bundle (their member teasers too)."""
    return not record.imported or record.overlay_from is not None


def category_of(record: Record, catalog: Catalog) -> Record | None:
    """The category a code belongs to (itself for a category), None for other records."""
    if record.system != ICD or record.kind != "code":
        return None
    for r in [record, *catalog.ancestors(record)]:
        if is_category(r):
            return r
    return None


def locations(catalog: Catalog) -> dict[str, tuple[str, str]]:
    """Every ICD-10-CM code page that is a stub in the bundle: its docs-tree path ->
    (the category page's docs-tree path, the code's section id)."""
    found = {}
    for r in catalog.records:
        if r.system != ICD or r.kind != "code" or catalog.by_code.get(r.code) is not r:
            continue
        if is_category(r) or keeps_page(r):
            continue
        category = category_of(r, catalog)
        if category is not None:
            found[r.src_uri] = (category.src_uri, r.code)
    return found


def stub_html(code: str, title: str, href: str) -> str:
    """A page that forwards to `href` at once, and says where it leads without JavaScript or
    when a browser does not follow the refresh."""
    href, text = markup.escape(href), markup.escape(f"{code} {title}")
    return (f'<!doctype html><html lang="en"><meta charset="utf-8"><title>{markup.escape(code)}'
            f'</title><meta http-equiv="refresh" content="0; url={href}">'
            f'<p><a href="{href}">{text}</a></p></html>\n')


def write_stubs(catalog: Catalog, site_dir: Path) -> int:
    """Write the stub page of every code that is a section of its category's page."""
    count = 0
    for uri, (page, code) in locations(catalog).items():
        record = catalog.by_code[code]
        path = site_dir / page_url(uri, False)
        path.parent.mkdir(parents=True, exist_ok=True)
        href = page_href(uri, page, False) + "#" + code
        path.write_text(stub_html(code, record.title, href), encoding="utf-8")
        count += 1
    return count


class BookContext(pages.PageContext):
    """Links of a bundle page: an ICD-10-CM code that is a section of a category page is linked
    at its section (`#E11.65` on the same page), not at its stub."""

    def __init__(self, catalog, uri, directory_urls, env, places):
        super().__init__(catalog, uri, directory_urls, env)
        self.places = places

    def href(self, record: Record) -> str:
        place = self.places.get(record.src_uri)
        if place is None:
            return super().href(record)
        page, anchor = place
        if page == self.uri:
            return "#" + anchor
        return page_href(self.uri, page, self.directory_urls) + "#" + anchor


class BookRenderer(pages.Renderer):
    """The Renderer of the bundle: category pages are book pages, other codes are stubs
    (`stubs`: MkDocs knows them as link targets and does not build them)."""

    def __init__(self, catalog: Catalog, directory_urls: bool = False):
        if directory_urls:   # the stubs are .html files beside the book pages
            raise PluginError("the codes plugin's 'book: true' is for the offline bundle and "
                              "needs 'use_directory_urls: false' (see mkdocs.offline.yml)")
        super().__init__(catalog, directory_urls)
        self.places = locations(catalog)
        self.stubs = frozenset(self.places)

    def context(self, uri: str) -> BookContext:
        return BookContext(self.catalog, uri, self.directory_urls, self.env, self.places)

    def body(self, uri: str) -> str | None:
        record = self.records.get(uri)
        if record is None or uri in self.stubs:
            return super().body(uri)
        ctx = self.context(uri)
        view = pages.record_view(record, ctx)
        if is_category(record):   # the sections below replace the subtree
            view["subtree"], view["children"] = [], []
        html = self.env.get_template("record.html.j2").render(view=view, r=record, ctx=ctx)
        if not is_category(record):
            return html
        sections = self.env.get_template(TEMPLATE).render(
            category=record, sections=sections_of(record, ctx), ctx=ctx,
            extensions=extensions_of(record, ctx)[1])
        return html + sections


def sections_of(category: Record, ctx: BookContext) -> list[dict]:
    """The codes under a category in tabular order, each as a book section."""
    catalog = ctx.catalog
    out: list[dict] = []

    def walk(record: Record, depth: int) -> None:
        for child in catalog.children.get(record.code, []):
            if child.seventh:
                continue
            out.append(section(child, depth, ctx))
            walk(child, depth + 1)

    walk(category, 1)
    return out


def _facts(record: Record, ctx: BookContext) -> list[str]:
    """The code's release history and Medicare facts in a few words."""
    history = getattr(ctx.catalog, "history", None)
    if history is None or record.kind != "code":
        return []
    facts = history_views.code_facts(history, record.code)
    out = []
    if facts["new"]:
        out.append(f"New in {facts['release']}")
    elif facts["first_release"] not in (None, "before FY2024"):
        out.append(f"First released in {facts['first_release']}")
    revised = [fy for fy, change, _ in history.changes.get(record.code, ()) if change == "revised"
               and fy != history.next_release()]
    out.extend(f"Title revised in {fy}" for fy in revised)
    if record.billable and facts["fy2027"] is False:
        out.append(f"Not valid in {history.next_release()}")
    if record.billable and record.code in history.medicare:
        out.append(facts["level"] or "Not a CC or MCC")
        out.extend(f"MDC {m}" for m in facts["mdc"])
        out.extend(MCE_EDITS[f][0] for f in facts["mce"] if f in MCE_EDITS)
    return out


def extensions_of(record: Record, ctx: BookContext) -> tuple[Record | None, list[dict]]:
    """The codes made of `record` and a 7th character, each as one line of its section, and
    the record that defines their 7th characters."""
    catalog = ctx.catalog
    definer = next((r for r in [record, *catalog.ancestors(record)] if r.seven_chr_def), None)
    return definer, [
        {"code": k.code, "id": k.code,
         "meaning": definer.seven_chr_def.get(k.seventh, k.title) if definer else k.title,
         "facts": _facts(k, ctx)}
        for k in catalog.children.get(record.code, []) if k.seventh]


def section(record: Record, depth: int, ctx: BookContext) -> dict:
    catalog = ctx.catalog
    seventh = None
    if record.seven_chr_def:
        seventh = {"notes": record.seven_chr_note,
                   "rows": [(char, meaning, record.seven_chr_includes.get(char, []))
                            for char, meaning in record.seven_chr_def.items()]}
    definer, extensions = extensions_of(record, ctx)
    groups = [{"key": key, "label": label, "texts": texts} for key, label, texts in [
        ("inclusion-terms", "Inclusion terms", record.inclusion_terms),
        ("includes", "Includes", record.includes)] if texts]
    groups += [{"key": key, "label": RELATIONS[key].label, "texts": record.instructions[key]}
               for key in INSTRUCTION_TYPES if record.instructions.get(key)]
    if record.notes:
        groups.append({"key": "notes", "label": "Notes", "texts": record.notes})
    return {
        "r": record,
        "level": min(depth + 1, 6),
        "billable": billable_label(record, catalog),
        "facts": _facts(record, ctx),
        "groups": groups,
        "seventh": seventh,
        # Where the table is: the category's own (its "7th characters" heading, on this page)
        # or a section above.
        "seventh_from": None if definer in (None, record) or not extensions
        else {"code": definer.code, "url": "#seventh-characters" if definer.src_uri == ctx.uri
              else ctx.href(definer)},
        "extensions": extensions,
        "backlinks": [{"code": b.source.code, "url": ctx.href(b.source), "how": b.how}
                      for b in sorted(catalog.backlinks.get(record.code, []),
                                      key=lambda b: systems.sort_key(b.source.code))],
        "page": ctx.href(record) if keeps_page(record) else None,
        "text": lambda text, r=record: Markup(ctx.text(r, text)),
    }
