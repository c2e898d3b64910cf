"""Generated pages written through frames: the theme rendered once, the page's own values per page.

Rendering Material's base.html (head, header, palette, account forms, navigation, footer, scripts)
for each of ~98,700 code pages and minifying the whole page was most of a build. Everything
but a handful of values is the same for every page of one folder under one navigation chain
(system, chapter, block), so the real templates (overrides/code.html, main.html, base.html and
the partials they include) are rendered ONCE per frame, with markers ("slots") where the page's
own values go, minified, and split at the markers. A page is then the frame's pieces joined with
its values: title, description, canonical URL, JSON-LD, skip-link target, edit link, its own
URL (forms' return address), breadcrumb (crumbs.html) and body, the last two minified alone.

A frame's key holds everything the templates read that is not a slot: the folder (relative
URLs), the navigation pages among the breadcrumb (the chain the navigation opens), the page's
flags (meta other than its texts) and which optional parts it has. A page that is itself in the
navigation (a range) keeps its own URL in its key.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from mkdocs.utils import normalize_url

from . import markup

_SLOT = "ocrslot"
_SLOTS = re.compile(_SLOT + r"(title|description|canonical|url|edit|ld|skip|crumbs|crumb|body|toc"
                    r"|[tu][0-9]+(?![0-9]))")
_HTML_SLOTS = re.compile(r"\s*(" + _SLOT + r"(?:crumbs|body|ld|toc))\s*")
_TEXTS = ("title", "description", "crumb", "breadcrumbs", "template")   # the page's own values


class _Page:
    """The page as the frame's templates see it: the real page with slots for its own values."""

    def __init__(self, page, **values):
        self.__dict__.update(values)
        self._page = page

    def __getattr__(self, name):
        return getattr(self._page, name)


class _Body(str):
    """The body's slot, which answers base.html's question whether the body has its own h1."""
    h1 = False

    def __contains__(self, text):
        return self.h1 if text == "<h1" else super().__contains__(text)


@dataclass
class _TocItem:   # the skip link's target (base.html: the first entry of the page's contents)
    url: str
    title: str = ""
    level: int = 2
    children: list = field(default_factory=list)


def _folder(url: str) -> tuple[int, str]:
    """What relative URLs from a page depend on: its folder ('icd-10-cm/E11.65/' -> 'icd-10-cm')."""
    return url.count("/"), url.rstrip("/").rpartition("/")[0]


def _own_name(url: str) -> str:
    """The last part of a page URL: 'icd-10-cm/E11.65/' -> 'E11.65' ('E11.65.html' too)."""
    name = url.rstrip("/").rpartition("/")[2]
    return name[:-5] if name.endswith(".html") else name


class Frames:
    """The frames of one MkDocs build, by key; `page_html` writes a page through them."""

    def __init__(self, env):
        self.env = env
        self.nav_urls: set[str] | None = None   # URLs of the pages in the navigation
        self.frames: dict[tuple, list[str]] = {}
        self.crumbs: dict[tuple, list[str]] = {}
        self.hrefs: dict[tuple, str] = {}   # the breadcrumb's links, by folder
        self.toc = None   # Material's table of contents, for the offline book's pages

    def _key(self, page, body, data, toc) -> tuple:
        meta = page.meta
        in_nav = page.url in self.nav_urls or page.previous_page or page.next_page
        chain = tuple(c["url"].split("#")[0] for c in meta.get("breadcrumbs") or ()
                      if c["url"].split("#")[0] in self.nav_urls)
        flags = tuple(sorted((k, repr(v)) for k, v in meta.items() if k not in _TEXTS))
        return (_folder(page.url), page.url if in_nav else "", chain, flags,
                "<h1" in body, bool(data), bool(toc), bool(page.edit_url),
                bool(meta.get("description")), bool(meta.get("breadcrumbs")))

    def _frame(self, context, page, body, data, toc) -> list[str]:
        in_nav = page.url in self.nav_urls or page.previous_page or page.next_page
        name = _own_name(page.url)
        url = page.url
        if not in_nav and name:
            head, _, tail = page.url.rpartition(name)
            url = head + _SLOT + "url" + tail
        meta = {**page.meta, "template": page.meta["frame"], "title": _SLOT + "title", "description": _SLOT + "description",
                "crumbs_slot": _SLOT + "crumbs" if page.meta.get("breadcrumbs") else None,
                "toc_slot": _SLOT + "toc"}
        proxy = _Page(page, url=url, title=_SLOT + "title", meta=meta,
                      canonical_url=_SLOT + "canonical" if page.canonical_url else None,
                      edit_url=_SLOT + "edit" if page.edit_url else None,
                      content=_Body(_SLOT + "body"),
                      toc=[_TocItem("#" + _SLOT + "skip")] if toc else [])
        proxy.content.h1 = "<h1" in body
        values = {**context, "page": proxy, "structured_data": _SLOT + "ld" if data else None}
        html = self.env.get_template(page.meta["frame"]).render(values)
        html = _HTML_SLOTS.sub(r"\1", markup.minify_html(html))
        return _SLOTS.split(html)

    def _crumbs(self, context, page) -> str:
        """The breadcrumb (crumbs.html), rendered once per folder and length with every crumb's
        title and URL and the page's own crumb as slots."""
        trail = page.meta["breadcrumbs"]
        folder = _folder(page.url)
        crumbs = self.crumbs.get((folder, len(trail)))
        if crumbs is None:
            marks = [{"title": f"{_SLOT}t{i}", "url": f"#{_SLOT}u{i}"} for i in range(len(trail))]
            proxy = _Page(page, title=_SLOT + "crumb",
                          meta={**page.meta, "crumb": None, "breadcrumbs": marks})
            html = self.env.get_template("crumbs.html").render(
                {"page": proxy, "nav": context["nav"], "base_url": context["base_url"],
                 "config": context["config"]})
            html = markup.minify_html(html).strip().replace("#" + _SLOT + "u", _SLOT + "u")
            crumbs = self.crumbs[(folder, len(trail))] = _SLOTS.split(html)
        values = {"crumb": page.meta.get("crumb") or page.title}
        for i, crumb in enumerate(trail):
            values[f"t{i}"] = crumb["title"]
            href = self.hrefs.get((folder, crumb["url"]))
            if href is None:
                href = self.hrefs[(folder, crumb["url"])] = normalize_url(crumb["url"], page)
            values[f"u{i}"] = href
        return "".join(values[part] if i % 2 else part for i, part in enumerate(crumbs))

    def page_html(self, context, page, body: str, toc: list, data: str | None) -> str:
        """The page's minified HTML: its frame (rendered now if new) filled with its values."""
        if self.nav_urls is None:
            self.nav_urls = {p.url for p in context["nav"].pages}
        key = self._key(page, body, data, toc)
        frame = self.frames.get(key)
        if frame is None:
            frame = self.frames[key] = self._frame(context, page, body, data, toc)
        values = {"title": page.meta.get("title", ""), "description": page.meta.get("description"),
                  "canonical": page.canonical_url, "edit": page.edit_url, "ld": str(data),
                  "url": str(markup.escape(_own_name(page.url))),
                  "skip": next(iter(toc)).url[1:] if toc else "",
                  "body": markup.minify_html(body).strip(), "crumbs": ""}
        if page.meta.get("breadcrumbs") and "crumbs" in frame[1::2]:
            values["crumbs"] = self._crumbs(context, page)
        if "toc" in frame[1::2]:   # the offline book's pages: their contents beside the text
            self.toc = self.toc or self.env.from_string(
                '{% import "partials/language.html" as lang with context %}'
                '{% include "partials/toc.html" %}')
            toc_html = self.toc.render(context)
            values["toc"] = markup.minify_html(toc_html).strip()
        out = frame[:]
        for i in range(1, len(out), 2):
            out[i] = values[out[i]]
        return "".join(out)


def written(page, output: str) -> str:
    """A generated page's HTML as written: whole from its frame, else the theme's `output`
    minified. What it no longer needs is freed (its body, contents and, out of the navigation,
    metadata: for ~49,000 pages a shard writes, hundreds of megabytes)."""
    html = page.content if "frame" in page.meta else markup.minify_html(output)
    page.content, page.toc = "", []
    if page.parent is None and not page.previous_page and not page.next_page:
        page.meta = {}
    return html
