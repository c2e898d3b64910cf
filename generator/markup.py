"""The one place where text becomes HTML: escaping, the link policy for prose, and minifying.

- `escape` for every plain text that reaches HTML outside an autoescaping template: page and
  navigation titles, meta descriptions, breadcrumbs (MkDocs' and Material's templates print
  them as they are).
- `json_for_script` for data inside `<script>` blocks (JSON-LD): `<`, `>` and `&` become
  `\\u003c` etc., so a `</script>` or `<!--` in a title cannot end the block.
- `render_markdown` for editors' prose, public and members-only alike: raw HTML is shown as
  text (`escape_markdown`), there is no `attr_list`, and every link and image, however it was
  written (inline, reference definition, autolink), goes through `safe_url`, which reads the
  scheme the way a browser does before allowing only http, https, mailto and relative links.
- `minify_html` for every page MkDocs writes: whitespace between tags, outside `<pre>`,
  `<textarea>`, `<script>` and `<style>`.
"""
from __future__ import annotations

import html
import json
import posixpath
import re
from xml.etree import ElementTree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# Attributes Python-Markdown itself writes; anything else on an element is dropped.
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}}
URL_ATTRIBUTES = ("href", "src")

_CODE_SPANS = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`", re.S)
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_C0_SPACE = "".join(chr(c) for c in range(0x21))


def escape(text: str) -> Markup:
    """Plain text as HTML: no tags, no entities; quotes escaped for attributes too."""
    return Markup(html.escape(str(text), quote=True))


def json_for_script(data) -> Markup:
    """JSON to print inside a `<script>` element: nothing in it can close or comment it."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    for char, code in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                       ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, code)
    return Markup(text)


class JsonLd(dict):
    """Structured data that prints itself safely inside `<script type="application/ld+json">`
    (templates print it as it is: `{{ structured_data }}`)."""

    def __str__(self) -> str:
        return str(json_for_script(self))

    def __html__(self) -> str:
        return str(self)


def url_scheme(url: str) -> str | None:
    """The scheme a browser reads from `url` (lower case), or None for a relative URL.

    As the URL standard parses: character references decoded (the value sits in an HTML
    attribute), leading and trailing C0 controls and spaces stripped, tabs and newlines
    anywhere removed, the scheme case-folded."""
    value = html.unescape(url).strip(_C0_SPACE)
    value = _TAB_NEWLINE.sub("", value)
    found = _SCHEME.match(value)
    return found.group(1).lower() if found else None


def safe_url(url: str) -> bool:
    """Whether a link or image address may appear in editors' prose."""
    scheme = url_scheme(url)
    return scheme is None or scheme in SAFE_SCHEMES


def escape_markdown(text: str) -> str:
    """Markdown from YAML with raw HTML neutralised (code spans are escaped by Markdown itself)."""
    out, pos = [], 0
    for span in _CODE_SPANS.finditer(text):
        out.append(html.escape(text[pos:span.start()], quote=False))
        out.append(span.group(0))
        pos = span.end()
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def _page_dir_url(src_uri: str) -> str:
    """'modifiers/53.md' -> 'modifiers/53/' (folder URLs)."""
    return src_uri[: -len(".md")] + "/"


class _LinkPolicy(Treeprocessor):
    """Drops unknown attributes and any link or image address outside the policy; with a
    `src_uri`, points `.md` links at the page's folder URL (member sections, served apart)."""

    def __init__(self, md, src_uri: str | None):
        super().__init__(md)
        self.src_uri = src_uri

    def run(self, root: ElementTree.Element) -> None:
        for el in root.iter():
            allowed = ALLOWED_ATTRIBUTES.get(el.tag, set())
            for attr in [a for a in el.attrib if a not in allowed]:
                del el.attrib[attr]
            for attr in URL_ATTRIBUTES:
                value = el.get(attr)
                if value is None:
                    continue
                if not safe_url(value):
                    del el.attrib[attr]
                elif self.src_uri and url_scheme(value) is None and value.endswith(".md"):
                    target = posixpath.normpath(
                        posixpath.join(posixpath.dirname(self.src_uri), value))
                    rel = posixpath.relpath(_page_dir_url(target), _page_dir_url(self.src_uri))
                    el.set(attr, rel + "/")


class LinkPolicy(Extension):
    def __init__(self, src_uri: str | None = None):
        super().__init__()
        self.src_uri = src_uri

    def extendMarkdown(self, md):
        # Priority 0: after the inline processor has turned every link syntax into elements.
        md.treeprocessors.register(_LinkPolicy(md, self.src_uri), "link_policy", 0)


_SHARED: dict[str | None, markdown.Markdown] = {}


def render_markdown(source: str, src_uri: str | None = None) -> str:
    """HTML of editors' Markdown that `escape_markdown` has already made free of raw HTML."""
    md = _SHARED.get(src_uri)
    if md is None:
        md = markdown.Markdown(extensions=["sane_lists", "tables", LinkPolicy(src_uri)],
                               output_format="html")
        if src_uri is None:
            _SHARED[None] = md   # the public pages' instance; member sections vary by page
    md.reset()
    return md.convert(source)


# --- minifying ------------------------------------------------------------------------------

_RAW = re.compile(r"(<(pre|textarea|script|style)\b.*?</\2\s*>)", re.S | re.I)
# Whitespace between two tags, with both tags' names ("!" for a comment or doctype).
_GAP = re.compile(r"(<(?:/?)([a-zA-Z][\w-]*|!)[^<>]*>)(\s+)(?=<(?:/?)([a-zA-Z][\w-]*|!))")
_RUNS = re.compile(r"\s{2,}")
# End tags HTML lets a page leave out (the parser closes the element itself): a list item's
# before the next item or the list's end, a term's or description's before the next one or the
# list's end. ~40 a code page; only where the next tag is in the same piece of text, so a page
# put together from pieces (generator/frames.py) comes out as the page minified whole.
_OPTIONAL_END = re.compile(r"</li>(?=<li[\s>]|</[uo]l>)|</d[dt]>(?=<d[dt][\s>]|</dl>)")
_LEADING = re.compile(r"^\s+<")
_TRAILING = re.compile(r">\s+$")
# Elements around which whitespace never shows (block boxes, head and table parts).
_BLOCKS = frozenset("""! html head body meta link title script style base noscript div nav ul
    ol li p section article aside header footer main h1 h2 h3 h4 h5 h6 table thead tbody tfoot
    tr td th caption colgroup col form fieldset legend details summary dl dt dd hr br
    blockquote figure figcaption pre textarea option optgroup select template""".split())


def _gap(match: re.Match) -> str:
    before, after = match.group(2).lower(), match.group(4).lower()
    space = "" if before in _BLOCKS or after in _BLOCKS else " "
    return match.group(1) + space


def _fold(run: re.Match) -> str:
    return "\n" if "\n" in run.group(0) else " "


def minify_html(text: str) -> str:
    """Whitespace between tags dropped where it cannot show (next to a block element) and
    folded to one space elsewhere; other runs of whitespace folded to one character; optional
    end tags of list items, terms and descriptions left out. The
    text of `<pre>`, `<textarea>`, `<script>` and `<style>` is kept byte for byte (inline
    scripts keep the hashes the Content-Security-Policy allows)."""
    parts = _RAW.split(text)
    out = []
    # split() with two groups yields: text, whole raw element, its tag name, text, ...
    for i in range(0, len(parts), 3):
        chunk = parts[i]
        if i:   # after a raw element, which is block-like for spacing
            chunk = _LEADING.sub("<", chunk)
        if i + 1 < len(parts):
            chunk = _TRAILING.sub(">", chunk)
            if i and chunk.isspace():
                chunk = ""   # between two raw elements
        out.append(_OPTIONAL_END.sub("", _RUNS.sub(_fold, _GAP.sub(_gap, chunk))))
        if i + 1 < len(parts):
            out.append(parts[i + 1])
    return "".join(out).strip() + "\n"
