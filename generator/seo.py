"""What search engines read beyond the page text: structured data, sitemaps and robots.txt.

- Each code, range and modifier page carries schema.org `MedicalCode` JSON-LD (code value and
  coding system), printed by overrides/main.html from `structured_data()`; a page with
  members-only sections wraps it in a `WebPage` that marks them as paywalled content.
- The canonical URL (`<link rel="canonical">`) is Material's, from `site_url` in mkdocs.yml.
- A sitemap file may list at most 50,000 URLs (sitemaps.org), and the full site has ~98,700
  pages, so `sitemap.xml` is a sitemap index over `sitemaps/pages-N.xml` files. MkDocs' own
  single-file sitemap is switched off (see plugin.py).

Only public text is used: titles and the public description, never members-only sections.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import jinja2

from .markup import JsonLd
from .pages import plain_summary
from .records import Record

# The elements of a page that only members read (templates/record.html.j2), for search
# engines' paywalled-content markup.
MEMBER_SELECTOR = ".member-section"

SITEMAP_LIMIT = 45_000   # URLs per sitemap file; the protocol allows 50,000
SITEMAP_DIR = "sitemaps"

_ENV = jinja2.Environment(autoescape=True, keep_trailing_newline=True)
_URLSET = _ENV.from_string(
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    '{% for url in urls %}<url><loc>{{ url }}</loc></url>\n{% endfor %}'
    '</urlset>\n')
_INDEX = _ENV.from_string(
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    '{% for url in urls %}<sitemap><loc>{{ url }}</loc></sitemap>\n{% endfor %}'
    '</sitemapindex>\n')
_ROBOTS = _ENV.from_string("User-agent: *\nAllow: /\n\nSitemap: {{ sitemap }}\n")


def structured_data(record: Record, canonical_url: str | None) -> JsonLd:
    """schema.org JSON-LD for a record's page, printed by overrides/main.html.

    A MedicalCode (code value and coding system). A page with members-only sections is a
    WebPage about that MedicalCode that marks the sections as not free, so search engines
    that see teasers where members see text do not take it for cloaking."""
    code = {
        "@type": "MedicalCode",
        "codeValue": record.code,
        "codingSystem": record.sys.label,
        "name": record.title,
    }
    summary = plain_summary(record.description)
    if summary:
        code["description"] = summary
    if canonical_url:
        code["url"] = canonical_url
    if not getattr(record, "members", None):
        return JsonLd({"@context": "https://schema.org", **code})
    page = {
        "@context": "https://schema.org",
        "@type": "WebPage",
        "name": record.title,
        "isAccessibleForFree": False,
        "hasPart": [{"@type": "WebPageElement", "isAccessibleForFree": False,
                     "cssSelector": MEMBER_SELECTOR}],
        "mainEntity": code,
    }
    if canonical_url:
        page["url"] = canonical_url
    return JsonLd(page)


def absolute(site_url: str, url: str) -> str:
    """A page's site-relative URL ("modifiers/53/") made absolute, path characters quoted."""
    path = "" if url in (".", "./") else url.lstrip("/")   # MkDocs calls the home page "./"
    return site_url.rstrip("/") + "/" + quote(path, safe="/-._~")


def sitemap_files(site_url: str, page_urls: list[str],
                  limit: int = SITEMAP_LIMIT) -> dict[str, str]:
    """Every sitemap file, path under the site -> XML: the index and its parts."""
    urls = [absolute(site_url, u) for u in page_urls]
    parts = {f"{SITEMAP_DIR}/pages-{n + 1}.xml": _URLSET.render(urls=urls[i:i + limit])
             for n, i in enumerate(range(0, max(len(urls), 1), limit))}
    files = {"sitemap.xml": _INDEX.render(urls=[absolute(site_url, p) for p in parts])}
    files.update(parts)
    files["robots.txt"] = _ROBOTS.render(sitemap=absolute(site_url, "sitemap.xml"))
    return files


def write_sitemaps(site_url: str, page_urls: list[str], site_dir: Path) -> int:
    """Write the sitemaps and robots.txt into `site_dir`; returns the number of URLs listed."""
    old = site_dir / SITEMAP_DIR
    if old.is_dir():
        for path in old.glob("*.xml"):
            path.unlink()
    for name, text in sitemap_files(site_url, page_urls).items():
        path = site_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return len(page_urls)
