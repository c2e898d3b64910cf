"""What search engines read: meta descriptions, canonical URLs, MedicalCode JSON-LD, sitemaps
that list every page in files under the protocol's 50,000-URL limit, and robots.txt."""
from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from generator import seo

from .conftest import ROOT
from .test_gating_leaks import gated_text
from .projects import every_kind_project

SITE_URL = "https://codes.example.org/"
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(scope="session")
def hosted_site(tmp_path_factory, site_builder) -> Path:
    """The fixture project built as it is deployed: folder URLs, a site_url, and the theme
    settings of the real mkdocs.yml that the Content-Security-Policy relies on."""
    project = every_kind_project(tmp_path_factory.mktemp("hosted"), offline_config=False)
    config = project / "mkdocs.yml"
    real = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    settings.update(site_url=SITE_URL, extra=real["extra"])
    settings["theme"].update(palette=real["theme"]["palette"], features=real["theme"]["features"])
    config.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    site = project.parent / "site"
    assert site_builder(config, site) == 0
    return site


def head(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    return text[:text.index("</head>")]


def json_ld(page: Path) -> list[dict]:
    return [json.loads(m) for m in re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', head(page), re.S)]


# --- sitemaps ------------------------------------------------------------------------------

def test_sitemaps_are_split_and_indexed():
    files = seo.sitemap_files("https://x.org/base/", ["./", "about/", "icd-10-cm/E11.65/",
                                                      "modifiers/53/", "cpt/99213/"], limit=2)
    assert sorted(files) == ["robots.txt", "sitemap.xml", "sitemaps/pages-1.xml",
                             "sitemaps/pages-2.xml", "sitemaps/pages-3.xml"]
    index = ET.fromstring(files["sitemap.xml"])
    assert [e.text for e in index.findall("s:sitemap/s:loc", NS)] == [
        f"https://x.org/base/sitemaps/pages-{n}.xml" for n in (1, 2, 3)]
    locs = [e.text for n in (1, 2, 3)
            for e in ET.fromstring(files[f"sitemaps/pages-{n}.xml"]).findall("s:url/s:loc", NS)]
    assert locs == ["https://x.org/base/", "https://x.org/base/about/",
                    "https://x.org/base/icd-10-cm/E11.65/", "https://x.org/base/modifiers/53/",
                    "https://x.org/base/cpt/99213/"]
    assert files["robots.txt"].endswith("Sitemap: https://x.org/base/sitemap.xml\n")


def test_sitemap_urls_are_escaped():
    files = seo.sitemap_files("https://x.org/", ["a&b <c>/"])
    assert "<loc>https://x.org/a%26b%20%3Cc%3E/</loc>" in files["sitemaps/pages-1.xml"]
    ET.fromstring(files["sitemaps/pages-1.xml"])


def test_the_limit_is_within_the_protocol():
    assert seo.SITEMAP_LIMIT <= 50_000


@pytest.mark.slow
def test_the_sitemap_lists_every_page_once(hosted_site):
    index = ET.parse(hosted_site / "sitemap.xml").getroot()
    parts = [e.text for e in index.findall("s:sitemap/s:loc", NS)]
    assert parts and all(p.startswith(SITE_URL + "sitemaps/") for p in parts)
    listed = []
    for part in parts:
        tree = ET.parse(hosted_site / part[len(SITE_URL):]).getroot()
        listed += [e.text for e in tree.findall("s:url/s:loc", NS)]
    pages = set()
    for path in hosted_site.rglob("index.html"):
        relative = path.parent.relative_to(hosted_site).as_posix()
        pages.add(SITE_URL + ("" if relative == "." else relative + "/"))
    assert len(listed) == len(set(listed))
    assert set(listed) == pages
    assert len(pages) > 4000
    assert not (hosted_site / "sitemap.xml.gz").exists()   # MkDocs' single-file one is off
    assert (hosted_site / "robots.txt").read_text().endswith(f"Sitemap: {SITE_URL}sitemap.xml\n")


# --- page heads ----------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("path, url, code, system", [
    ("icd-10-cm/E11.65/index.html", "icd-10-cm/E11.65/", "E11.65", "ICD-10-CM"),
    ("icd-10-cm/A00-A09/index.html", "icd-10-cm/A00-A09/", "A00-A09", "ICD-10-CM"),
    ("modifiers/53/index.html", "modifiers/53/", "53", "CPT"),
    ("modifiers/XU/index.html", "modifiers/XU/", "XU", "HCPCS Level II"),
    ("cpt/99213/index.html", "cpt/99213/", "99213", "CPT"),
])
def test_code_pages_have_canonical_url_description_and_medical_code(hosted_site, path, url,
                                                                     code, system):
    page = hosted_site / path
    text = head(page)
    assert f'<link rel="canonical" href="{SITE_URL}{url}">' in text
    description = re.search(r'<meta name="description" content="([^"]*)">', text)
    assert description and len(html.unescape(description.group(1))) > 10
    [data] = json_ld(page)
    assert data["@context"] == "https://schema.org"
    if data["@type"] == "WebPage":   # a page with members-only sections (see below)
        assert data["url"] == SITE_URL + url
        data = data["mainEntity"]
    assert data["@type"] == "MedicalCode"
    assert (data["codeValue"], data["codingSystem"], data["url"]) == (code, system, SITE_URL + url)
    assert data["name"]


@pytest.mark.slow
def test_member_sections_are_marked_as_paywalled(hosted_site):
    """Crawlers get teasers where members get text: the page says so (schema.org paywall)."""
    page = hosted_site / "modifiers" / "53" / "index.html"
    [data] = json_ld(page)
    assert data["@type"] == "WebPage" and data["isAccessibleForFree"] is False
    assert data["hasPart"] == [{"@type": "WebPageElement", "isAccessibleForFree": False,
                                "cssSelector": ".member-section"}]
    assert data["mainEntity"]["codeValue"] == "53"
    body = page.read_text(encoding="utf-8")
    assert body.count('<section class="member-section"') == 2   # what the selector matches
    [free] = json_ld(hosted_site / "modifiers" / "52" / "index.html")
    assert free["@type"] == "MedicalCode" and "isAccessibleForFree" not in free


@pytest.mark.slow
def test_hand_written_and_index_pages_have_no_medical_code(hosted_site):
    for path in ["index.html", "about/index.html", "icd-10-cm/index.html"]:
        assert json_ld(hosted_site / path) == [], path
        assert '<link rel="canonical"' in head(hosted_site / path)


def test_json_ld_is_escaped():
    from types import SimpleNamespace

    record = SimpleNamespace(code="E11.65", title="A </script><!-- <script>alert(1)</script> & title",
                             description="x & y", sys=SimpleNamespace(label="ICD-10-CM"),
                             members=[])
    data = seo.structured_data(record, None)
    assert str(data) == (
        '{"@context": "https://schema.org", "@type": "MedicalCode", "codeValue": "E11.65", '
        '"codingSystem": "ICD-10-CM", "description": "x \\u0026 y", "name": "A \\u003c/script\\u003e'
        '\\u003c!-- \\u003cscript\\u003ealert(1)\\u003c/script\\u003e \\u0026 title"}')
    assert json.loads(str(data))["name"] == record.title


@pytest.mark.slow
def test_no_member_text_in_what_search_engines_read(hosted_site):
    sections = gated_text(hosted_site.parent / "project" / "data")
    needles = {n for found in sections.values() for n in found}
    assert any("FIXTURE-SECRET" in n for n in needles)
    files = [hosted_site / "sitemap.xml", hosted_site / "robots.txt",
             *(hosted_site / "sitemaps").glob("*.xml")]
    heads = [head(p) for p in hosted_site.rglob("index.html")]
    for text in [f.read_text(encoding="utf-8") for f in files] + heads:
        assert not [n for n in needles if n in text]


# --- the real site (built once per test run by the real_site fixture) -------------------------

@pytest.mark.slow
def test_real_sitemaps_cover_every_page_within_the_limit(real_site):
    site_url = ET.parse(real_site / "sitemap.xml").getroot().find("s:sitemap/s:loc", NS).text
    base = site_url[:site_url.index("sitemaps/")]
    listed = []
    for part in sorted((real_site / "sitemaps").glob("pages-*.xml")):
        urls = [e.text for e in ET.parse(part).getroot().findall("s:url/s:loc", NS)]
        assert 0 < len(urls) <= 50_000
        listed += urls
    pages = {base + ("" if p.parent == real_site else p.parent.relative_to(real_site).as_posix() + "/")
             for p in real_site.rglob("index.html")}
    assert len(listed) == len(set(listed)) and set(listed) == pages
    assert len(pages) > 98_000
