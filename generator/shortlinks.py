"""Short links: /53 -> /modifiers/53/, /E11.65, /e11.65, /E1165 and /e1165 -> /icd-10-cm/E11.65/.

Netlify matches redirect paths case-sensitively and has no rule that adds a dot or changes
case, so each accepted spelling is one line of a `_redirects` file, written into the site at
build time (about 98,000 codes would make netlify.toml unwieldy). Spellings:

- every code, range and modifier as published (`E11.65`, `99213`, `G0008`, `53`, `XU`, `A00-A09`);
- for ICD-10-CM codes with a dot: without it, in upper and lower case (`E1165`, `e1165`);
- for all others: in lower case (`g0008`, `xu`, `a00-a09`, `e11`).

That is about 390,000 lines for the full ICD-10-CM set with every spelling, so `e11.65` (lower
case with the dot) is left out: ~300,000 lines, 9 MB. Netlify advises edge functions above
10,000 rules; if deploys ever slow down, a pattern-routed edge function can take over.

A spelling two records could claim goes to the record published in that spelling (HCPCS
`J1100` rather than ICD-10-CM `J11.00`), then to the first in code order; it is never
listed twice, since Netlify would silently use the first line.
"""
from __future__ import annotations

from pathlib import Path

from . import systems
from .links import Catalog, page_url

FILE = "_redirects"


def spellings(code: str, system: str) -> list[str]:
    """The paths that lead to a code, published form first."""
    if system == "icd-10-cm" and "." in code:
        bare = code.replace(".", "")
        return [code, bare, bare.lower()]
    return list(dict.fromkeys([code, code.lower()]))


def short_links(catalog: Catalog, directory_urls: bool = True) -> dict[str, str]:
    """'/spelling' -> the page's site-absolute URL, for every record with a page."""
    records = sorted((r for r in catalog.records if catalog.by_code.get(r.code) is r),
                     key=lambda r: (r.kind != "modifier", systems.sort_key(r.code)))
    target = {r.src_uri: "/" + page_url(r.src_uri, directory_urls) for r in records}
    links: dict[str, str] = {}
    for rank in (0, 1, 2):   # published forms claim their spelling before derived ones do
        for r in records:
            forms = spellings(r.code, r.system)
            if rank < len(forms):
                links.setdefault("/" + forms[rank], target[r.src_uri])
    return links


def redirects_text(links: dict[str, str]) -> str:
    lines = ["# Short links to every code and modifier, written by generator/shortlinks.py."]
    lines += [f"{source} {target} 301" for source, target in links.items()]
    return "\n".join(lines) + "\n"


def write_redirects(catalog: Catalog, site_dir: Path) -> int:
    links = short_links(catalog)
    (site_dir / FILE).write_text(redirects_text(links), encoding="utf-8")
    return len(links)
