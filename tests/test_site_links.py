"""No broken link anywhere on the built site.

MkDocs checks the links of Markdown pages; generated pages are HTML rendered by the plugin, so
this test checks every internal link of every page of the full build (about 98,700 pages) in
one pass over the files.
"""
from __future__ import annotations

import os
import posixpath
import re
from collections import Counter

import pytest

pytestmark = pytest.mark.slow

HREF = re.compile(rb'(?:href|src)="([^"]*)"')


def internal_targets(page: str, html: bytes):
    """Site-relative paths that the links and sources of one page point at."""
    base = posixpath.dirname(page)
    for raw in HREF.findall(html):
        link = raw.decode()
        if not link or link.startswith(("#", "http:", "https:", "mailto:", "data:", "//",
                                        "javascript:")) or ":" in link.split("/")[0]:
            continue
        path = link.split("#", 1)[0].split("?", 1)[0]
        if not path:
            continue
        # 404.html uses site-absolute links: it is served at any depth.
        target = posixpath.normpath(path.lstrip("/") if path.startswith("/")
                                    else posixpath.join(base, path))
        yield link, target


def test_every_internal_link_resolves(real_site):
    existing = set()
    for folder, _, names in os.walk(real_site):
        rel = os.path.relpath(folder, real_site)
        rel = "" if rel == "." else rel.replace(os.sep, "/")
        existing.add(rel)
        existing.update(posixpath.join(rel, n) if rel else n for n in names)
    broken: Counter = Counter()
    pages = 0
    for folder, _, names in os.walk(real_site):
        for name in names:
            if not name.endswith(".html"):
                continue
            pages += 1
            path = os.path.join(folder, name)
            page = os.path.relpath(path, real_site).replace(os.sep, "/")
            with open(path, "rb") as f:
                html = f.read()
            for link, target in internal_targets(page, html):
                if target in (".", ""):
                    continue
                if target not in existing and posixpath.join(target, "index.html") not in existing:
                    broken[(page, link)] += 1
    assert pages > 98_000
    assert not broken, f"{len(broken)} broken links, e.g. {list(broken)[:10]}"
