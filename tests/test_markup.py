"""Every text that reaches HTML goes through generator/markup.py: hostile titles, links and
attributes from editors, each with the exact HTML it becomes."""
from __future__ import annotations

import shutil
from types import SimpleNamespace

import pytest

from generator import markup, members, pages

from .conftest import FIXTURES


def prose(text: str) -> str:
    """Editors' Markdown as a public page shows it."""
    return markup.render_markdown(markup.escape_markdown(text))


# --- links and attributes in editors' prose -------------------------------------------------

@pytest.mark.parametrize("source, html", [
    # reference definitions are checked like inline links
    ("[a][g]\n\n[g]: javascript:alert(1)", "<p><a>a</a></p>"),
    ("[a][g]\n\n[g]: JaVaScRiPt:alert(1)", "<p><a>a</a></p>"),
    # a leading control character or space before the scheme
    ("[a](\x01javascript:alert(1))", "<p><a>a</a></p>"),
    ("[a]( javascript:alert(1))", "<p><a>a</a></p>"),
    # other schemes that run code or carry a document
    ("[a](vbscript:msgbox)", "<p><a>a</a></p>"),
    ("[a](data:text/html,hi)", "<p><a>a</a></p>"),
    ("![x](javascript:alert(1))", '<p><img alt="x"></p>'),
    # a character reference cannot spell a colon: raw HTML (and so `&`) is escaped first
    ("[a](javascript&#58;alert(1))", '<p><a href="javascript&amp;#58;alert(1)">a</a></p>'),
    # no attr_list: attribute lists stay text
    ('text\n{: href="javascript:alert(1)" onclick="alert(1)"}',
     '<p>text\n{: href="javascript:alert(1)" onclick="alert(1)"}</p>'),
    ('[a](https://x.org){: onclick="alert(1)"}',
     '<p><a href="https://x.org">a</a>{: onclick="alert(1)"}</p>'),
    # raw HTML is text
    ("<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;</p>"),
    ("<javascript:alert(1)>", "<p>&lt;javascript:alert(1)&gt;</p>"),
    # what is allowed stays
    ("[ok](https://example.org/a?b=1&c=2) [m](mailto:a@b.org) [rel](../53/)",
     '<p><a href="https://example.org/a?b=1&amp;c=2">ok</a> <a href="mailto:a@b.org">m</a> '
     '<a href="../53/">rel</a></p>'),
])
def test_public_prose_follows_the_link_policy(source, html):
    assert prose(source) == html


@pytest.mark.parametrize("url, scheme", [
    ("javascript:alert(1)", "javascript"),
    ("JAVASCRIPT:alert(1)", "javascript"),
    ("java\nscript:alert(1)", "javascript"),         # newline inside the scheme
    ("java\tscript:alert(1)", "javascript"),         # tab inside the scheme
    ("\x00\x1f javascript:alert(1)", "javascript"),  # leading C0 controls and space
    ("jav&#x09;ascript:alert(1)", "javascript"),      # an attribute's character reference
    ("javascript&#58;alert(1)", "javascript"),
    ("javascript&colon;alert(1)", "javascript"),
    ("https://example.org", "https"),
    ("../53/", None),
    ("java script:alert(1)", None),                   # a space inside: a relative URL
    ("#top", None),
])
def test_schemes_are_read_as_browsers_read_them(url, scheme):
    assert markup.url_scheme(url) == scheme
    assert markup.safe_url(url) == (scheme in (None, "http", "https", "mailto"))


def test_the_policy_drops_a_scheme_hidden_in_an_element_attribute():
    """Whatever Markdown produces, the tree processor sees the final href."""
    import markdown
    from xml.etree import ElementTree

    md = markdown.Markdown(extensions=[markup.LinkPolicy()])
    root = ElementTree.Element("div")
    for href in ["java\nscript:alert(1)", "\x01javascript:x", "jav&#x09;ascript:x"]:
        ElementTree.SubElement(root, "a", href=href, onclick="x", style="y").text = "a"
    markup._LinkPolicy(md, None).run(root)
    assert [dict(a.attrib) for a in root] == [{}, {}, {}]


def test_member_sections_use_the_same_policy():
    from generator.dataset import load_dataset

    catalog = load_dataset(FIXTURES / "basic" / "data", FIXTURES / "basic").catalog
    body = "[a][g] and [b](52.md)\n\n[g]: \x01JavaScript:alert(1)"
    assert members.render_body(body, catalog, "modifiers/53.md") == (
        '<p><a>a</a> and <a href="../52/">b</a></p>')


# --- titles, descriptions, breadcrumbs, navigation ------------------------------------------

HOSTILE_RANGE = '<meta http-equiv="refresh" content="0;url=https://evil.example/">'
HOSTILE_CODE = 'Title </script><script>alert(1)</script> & "quoted"'


def test_escape_is_exact():
    assert markup.escape(HOSTILE_RANGE) == (
        '&lt;meta http-equiv=&quot;refresh&quot; content=&quot;0;url=https://evil.example/&quot;&gt;')
    assert markup.escape("a & 'b'") == "a &amp; &#x27;b&#x27;"


def test_navigation_titles_page_titles_and_crumbs_are_escaped():
    system = SimpleNamespace(label="CPT", folder="cpt")
    rng = SimpleNamespace(kind="range", chapter=None, code="99202-99499", title=HOSTILE_RANGE,
                          sys=system, system="cpt")
    assert pages.nav_title(rng) == (
        "99202-99499 &lt;meta http-equiv=&quot;refresh&quot; "
        "content=&quot;0;url=https://evil.example/&quot;&gt;")
    code = SimpleNamespace(kind="code", chapter=None, code="99213", title=HOSTILE_CODE,
                           sys=system, system="cpt")
    assert pages.escape_text(pages.tab_title(code)) == (
        "99213 · CPT · Title &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; "
        "&quot;quoted&quot;")


def test_json_for_script_cannot_close_the_script():
    out = markup.json_for_script({"name": HOSTILE_CODE, "x": "<!--\u2028"})
    assert out == ('{"name": "Title \\u003c/script\\u003e\\u003cscript\\u003ealert(1)'
                   '\\u003c/script\\u003e \\u0026 \\"quoted\\"", "x": "\\u003c!--\\u2028"}')


@pytest.mark.slow
def test_hostile_titles_never_reach_a_built_page_unescaped(tmp_path):
    """A range title with a meta refresh and a code title with </script>, through a real
    MkDocs build: navigation, <title>, header, breadcrumbs, meta description and JSON-LD."""
    from generator.build import build_site

    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "basic", project)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("../../../overrides",
                                                 str(FIXTURES.parent.parent / "overrides")))
    data = project / "data" / "codes.yaml"
    text = data.read_text(encoding="utf-8")
    assert "title: Evaluation and Management" in text and "Established patient office visit" in text
    text = text.replace("title: Evaluation and Management", f"title: '{HOSTILE_RANGE}'")
    text = text.replace("title: Established patient office visit",
                        "title: '" + HOSTILE_CODE.replace("'", "''") + "'")
    data.write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    assert build_site(config, site) == 0
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<meta http-equiv" not in html, page
        assert "<script>alert(1)" not in html, page
        assert html.count("</script>") == html.count("<script"), page
    visit = (site / "cpt" / "99213" / "index.html").read_text(encoding="utf-8")
    assert ("<title>99213 · CPT · Title &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; "
            "&amp; &quot;quoted&quot; - ") in visit
    assert ('"name": "Title \\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e'
            ' \\u0026 \\"quoted\\""') in visit
    assert ("99202-99499 &lt;meta http-equiv=&quot;refresh&quot; content=&quot;0;"
            "url=https://evil.example/&quot;&gt;</a>") in visit   # the breadcrumb
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "&lt;meta http-equiv=&quot;refresh&quot;" in home      # the navigation


# --- minifying ------------------------------------------------------------------------------

def test_minify_keeps_pre_textarea_script_and_inline_spaces():
    source = ("<!doctype html>\n<html>\n  <head>\n    <script>\n  var a = 1;\n</script>\n"
              "  </head>\n  <body>\n    <div>\n      <a href=x>one</a>\n      <a href=y>two</a>\n"
              "    </div>\n    <pre>  keep\n    this  </pre>\n    <textarea>  and\n this</textarea>\n"
              "    <p>some   text\n   here</p>\n  </body>\n</html>\n")
    assert markup.minify_html(source) == (
        "<!doctype html><html><head><script>\n  var a = 1;\n</script></head><body><div>"
        "<a href=x>one</a> <a href=y>two</a></div><pre>  keep\n    this  </pre>"
        "<textarea>  and\n this</textarea><p>some text\nhere</p></body></html>\n")
