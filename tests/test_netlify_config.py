"""netlify.toml, the edge routes and the short-link lookup the build writes, checked against
tables of expectations; then the built site served with those headers and its 404 page (a tiny
stand-in for Netlify, without edge functions: short links resolve in the browser there) and
loaded in Chromium, which must report no Content-Security-Policy violation."""
from __future__ import annotations

import base64
import functools
import hashlib
import http.server
import json
import re
import subprocess
import threading
import tomllib
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest

from generator import routes, shortlinks
from generator.dataset import load_dataset

from .conftest import ROOT
from .test_seo import hosted_site  # noqa: F401  (the session fixture)

CONFIG = tomllib.loads((ROOT / "netlify.toml").read_text(encoding="utf-8"))
FINGERPRINTED = re.compile(r"\.[0-9a-f]{8}\.min\.(js|css)$")
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S)
YEAR = 31536000


def matches(pattern: str, path: str) -> bool:
    """Netlify's `for` paths: exact, or a prefix ending in a * splat."""
    return path.startswith(pattern[:-1]) if pattern.endswith("*") else path == pattern


def headers_for(path: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for rule in CONFIG.get("headers", []):
        if matches(rule["for"], path):
            for name, value in rule["values"].items():
                found.setdefault(name.lower(), []).append(value)
    return found


def csp_directives() -> dict[str, list[str]]:
    [policy] = headers_for("/")["content-security-policy"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


def script_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


# --- netlify.toml ---------------------------------------------------------------------------

SECURITY = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "DENY",
}


@pytest.mark.parametrize("path, cache", [
    ("/", None),
    ("/modifiers/53/", None),
    ("/icd-10-cm/E11.65/", None),
    ("/search-index/manifest.js", None),
    ("/assets/javascripts/search/main.js", None),     # not fingerprinted: revalidated
    ("/assets/stylesheets/codes.css", None),
    ("/assets/javascripts/bundle.a5f9d56c.min.js", f"public, max-age={YEAR}, immutable"),
    ("/assets/stylesheets/main.57a0d79d.min.css", f"public, max-age={YEAR}, immutable"),
])
def test_headers_by_path(path, cache):
    found = headers_for(path)
    for name, value in SECURITY.items():
        assert found[name] == [value], name
    [hsts] = found["strict-transport-security"]
    assert int(re.match(r"max-age=(\d+)", hsts).group(1)) >= YEAR
    [permissions] = found["permissions-policy"]
    assert {"camera=()", "microphone=()", "geolocation=()"} <= {p.strip() for p in permissions.split(",")}
    assert len(found["content-security-policy"]) == 1
    # One Cache-Control at most: Netlify would join several into one broken header. None means
    # Netlify's default for HTML and other changing files: max-age=0, must-revalidate.
    assert found.get("cache-control") == ([cache] if cache else None)


def test_the_policy_allows_only_the_site_itself():
    csp = csp_directives()
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"] and csp["form-action"] == ["'self'"]
    assert csp["script-src"][0] == "'self'"
    assert all(s.startswith("'sha256-") for s in csp["script-src"][1:])
    everything = " ".join(v for values in csp.values() for v in values)
    assert "unsafe-inline" not in everything and "unsafe-eval" not in everything
    assert "http" not in everything and "*" not in everything


def test_the_deploy_settings_are_kept_and_no_route_or_rule_is_written_by_hand():
    assert CONFIG["build"]["publish"] == "site" and CONFIG["build"]["command"] == "make site"
    assert CONFIG["context"]["deploy-preview"]["command"] == "make site"
    # Edge routes come from the data (generator/routes.py); redirect rules stay far under 1,000.
    assert "edge_functions" not in CONFIG
    assert len(CONFIG.get("redirects", [])) <= 1000


@pytest.mark.slow
def test_every_fingerprinted_asset_is_cached_for_a_year(hosted_site):
    built = {"/" + p.relative_to(hosted_site).as_posix() for p in hosted_site.rglob("*")
             if FINGERPRINTED.search(p.name)}
    immutable = {r["for"] for r in CONFIG["headers"]
                 if "immutable" in r["values"].get("Cache-Control", "")}
    assert built == immutable, "update the Cache-Control rules in netlify.toml (Material changed)"


@pytest.mark.slow
def test_every_inline_script_has_its_hash_in_the_policy(hosted_site):
    allowed = set(csp_directives()["script-src"][1:])
    used: dict[str, str] = {}
    for page in hosted_site.rglob("*.html"):
        for attrs, body in INLINE_SCRIPT.findall(page.read_text(encoding="utf-8")):
            if re.search(r'type="application/(ld\+)?json"', attrs):
                continue   # data blocks: not scripts, CSP does not apply
            used.setdefault(script_hash(body), str(page.relative_to(hosted_site)))
    missing = {h: p for h, p in used.items() if h not in allowed}
    assert not missing, f"inline scripts the policy would block (add their hashes): {missing}"
    assert set(used) == allowed, "netlify.toml allows hashes no page uses any more"


# --- short links and edge routes ---------------------------------------------------------------

SHORT_LINKS = [
    ("/53", "/modifiers/53/"),
    ("/XU", "/modifiers/XU/"),
    ("/xu", "/modifiers/XU/"),
    ("/99213", "/cpt/99213/"),
    ("/E11.65", "/icd-10-cm/E11.65/"),
    ("/e11.65", "/icd-10-cm/E11.65/"),
    ("/E1165", "/icd-10-cm/E11.65/"),
    ("/e1165", "/icd-10-cm/E11.65/"),
    ("/E11", "/icd-10-cm/E11/"),
    ("/e11", "/icd-10-cm/E11/"),
    ("/A00-A09", "/icd-10-cm/A00-A09/"),
    ("/a00-a09", "/icd-10-cm/A00-A09/"),
    ("/S72.001A", "/icd-10-cm/S72.001A/"),
    ("/S72001A", "/icd-10-cm/S72.001A/"),
    ("/s72001a", "/icd-10-cm/S72.001A/"),
]

RESOLVE = """
import { checkShard, findIn, shardOf } from "./netlify/lib/shortlinks.mjs";
const { shards, spellings } = JSON.parse(await new Response(process.stdin).text());
const out = {};
for (const s of spellings) {
  const shard = checkShard(shards[shardOf(s)]);
  out[s] = shard ? findIn(shard, s) : null;
}
console.log(JSON.stringify(out));
"""


def resolve_in_node(shards: dict, spellings: list[str]) -> dict[str, str | None]:
    """Spelling -> page path, as the edge function's resolver (netlify/lib/shortlinks.mjs) says."""
    done = subprocess.run(["node", "--input-type=module", "-e", RESOLVE], cwd=ROOT, check=True,
                          input=json.dumps({"shards": shards, "spellings": spellings}),
                          capture_output=True, text=True)
    return json.loads(done.stdout)


def _catalog(*records):
    def rec(code, system, kind, folder, members=()):
        return SimpleNamespace(code=code, system=system, kind=kind, src_uri=f"{folder}/{code}.md",
                               members=list(members), label=f"{kind} {code}")
    records = [rec(*r) for r in records]
    return SimpleNamespace(records=records, by_code={r.code: r for r in records})


def test_a_spelling_two_codes_share_goes_to_the_code_written_that_way():
    catalog = _catalog(("J11.00", "icd-10-cm", "code", "icd-10-cm"), ("J1100", "hcpcs", "code", "hcpcs"),
                       ("52", "cpt", "modifier", "modifiers"))
    links = shortlinks.short_links(catalog)
    assert links == {
        "/52": "/modifiers/52/",
        "/J1100": "/hcpcs/J1100/", "/J11.00": "/icd-10-cm/J11.00/",
        "/j1100": "/hcpcs/J1100/",
    }
    found = resolve_in_node(shortlinks.lookup(catalog), ["52", "J1100", "j1100", "J11.00", "j11.00", "J1.100", "J11"])
    assert found == {"52": "modifiers/52/", "J1100": "hcpcs/J1100/", "j1100": "hcpcs/J1100/",
                     "J11.00": "icd-10-cm/J11.00/", "j11.00": "icd-10-cm/J11.00/",
                     "J1.100": "hcpcs/J1100/", "J11": None}
    assert shortlinks.spellings("E11.65", "icd-10-cm") == ["E11.65", "E1165", "e1165"]
    assert shortlinks.spellings("53", "cpt") == ["53"]


@pytest.fixture(scope="module")
def basic_catalog():
    dataset = load_dataset(ROOT / "tests" / "fixtures" / "basic" / "data", ROOT / "tests" / "fixtures" / "basic")
    assert not dataset.errors
    return dataset.catalog


def test_the_compact_lookup_resolves_every_spelling_the_rule_list_had(basic_catalog):
    icd = _catalog(*[(c, "icd-10-cm", "code", "icd-10-cm") for c in
                     ["A00-A09", "A00", "A00.0", "E11", "E11.6", "E11.65", "J11.00", "S72.001A", "T36.0X1A"]],
                   ("J1100", "hcpcs", "code", "hcpcs"), ("E1165", "hcpcs", "code", "hcpcs"))
    for catalog in (basic_catalog, icd):
        links = shortlinks.short_links(catalog)
        found = resolve_in_node(shortlinks.lookup(catalog), [s.lstrip("/") for s in links])
        assert {"/" + s: "/" + t for s, t in found.items()} == links
    assert {"/53", "/xu", "/99213"} <= set(shortlinks.short_links(basic_catalog))
    assert {"/E11.65", "/e1165", "/t360x1a"} <= set(shortlinks.short_links(icd))
    offline = resolve_in_node(shortlinks.lookup(basic_catalog, directory_urls=False), ["53", "e1165"])
    assert offline["53"] == "modifiers/53.html"


def test_edge_routes_are_exactly_the_pages_with_member_sections(basic_catalog, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    path = routes.write(basic_catalog, site)
    assert path == tmp_path / ".netlify" / "v1" / "config.json"
    declared = json.loads(path.read_text())["edge_functions"]
    gated = {d["path"] for d in declared if d["function"] == "members"}
    pages = {"/" + r.src_uri[:-3] + "/" for r in basic_catalog.records if r.members}
    assert pages and gated == pages | {p + "index.html" for p in pages}
    # A record that gains a member section gains its route in the same build.
    plain = next(r for r in basic_catalog.records if not r.members and r.kind == "code")
    plain.members = [{"title": "Coding tips", "body": "new"}]
    try:
        routes.write(basic_catalog, site)
        declared = json.loads(path.read_text())["edge_functions"]
        assert "/" + plain.src_uri[:-3] + "/" in {d.get("path") for d in declared}
    finally:
        plain.members = []
    [short] = [d for d in declared if d["function"] == "shortlinks"]
    pattern, excluded = re.compile(short["pattern"]), re.compile(short["excludedPattern"])
    for spelling in ["/53", "/E11.65", "/e1165", "/A00-A09", "/s72001a/"]:
        assert pattern.search(spelling) and not excluded.search(spelling), spelling
    for other in ["/", "/index.html", "/404.html", "/sitemap.xml", "/robots.txt", "/modifiers/53/", "/a/b"]:
        assert not (pattern.search(other) and not excluded.search(other)), other


@pytest.mark.slow
def test_the_build_writes_no_redirect_rules_and_a_lookup_for_every_page(hosted_site):
    assert not (hosted_site / "_redirects").exists()
    shards = {p.stem: json.loads(p.read_text()[len(f'{shortlinks.CALLBACK}("{p.stem}",'):-3])
              for p in (hosted_site / "shortlinks").glob("*.js")}
    found = resolve_in_node(shards, [s.lstrip("/") for s, _ in SHORT_LINKS])
    for source, target in SHORT_LINKS:
        assert "/" + found[source.lstrip("/")] == target, source
        assert (hosted_site / target.strip("/") / "index.html").is_file(), target
    blobs = hosted_site.parent / ".netlify" / "v1" / "blobs" / "deploy" / "shortlinks"
    assert sorted(p.name for p in blobs.iterdir()) == sorted(shards)


@pytest.mark.slow
def test_the_built_site_routes_the_gate_to_exactly_its_pages_with_member_sections(hosted_site):
    """Through the real build: the pages whose HTML has member teasers, the member blobs and
    the members routes in .netlify/v1/config.json are the same set."""
    with_teasers = {"/" + p.parent.relative_to(hosted_site).as_posix() + "/"
                    for p in hosted_site.rglob("index.html") if 'data-member-section="' in p.read_text(encoding="utf-8")}
    deploy = hosted_site.parent / ".netlify" / "v1"
    blobs = {"/" + p.relative_to(deploy / "blobs" / "deploy" / "members").as_posix() + "/"
             for p in (deploy / "blobs" / "deploy" / "members").rglob("*") if p.is_file()}
    declared = json.loads((deploy / "config.json").read_text())["edge_functions"]
    routed = {d["path"] for d in declared if d["function"] == "members" and d["path"].endswith("/")}
    assert with_teasers and with_teasers == blobs == routed


# --- in Chromium, with the headers applied ----------------------------------------------------

class NetlifyLike(http.server.SimpleHTTPRequestHandler):
    """Static files with netlify.toml's headers and the site's 404 page."""

    def log_message(self, *args):
        pass

    def end_headers(self):
        for name, values in headers_for(urlsplit(self.path).path).items():
            for value in values:
                self.send_header(name, value)
        super().end_headers()

    def do_GET(self):
        if not Path(self.translate_path(self.path)).exists():
            body = (Path(self.directory) / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


@pytest.fixture(scope="module")
def netlify_like(hosted_site):
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(NetlifyLike, directory=str(hosted_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture
def csp_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda exc: messages.append(str(exc)))
    yield page, messages
    context.close()


@pytest.mark.slow
@pytest.mark.browser
def test_pages_load_with_no_policy_violation(csp_page, netlify_like):
    page, messages = csp_page
    for path in ["", "about/", "modifiers/53/", "cpt/99213/", "icd-10-cm/E11.65/",
                 "icd-10-cm/A00-A09/", "icd-10-cm/", "search/?q=type%202%20diabetes"]:
        response = page.goto(netlify_like + path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        assert page.locator(".md-header").evaluate("e => getComputedStyle(e).position") == "sticky"
        assert page.evaluate("window.__violations") == [], path
    # Search loads its index scripts under the policy, then opens the code's page.
    page.goto(netlify_like + "modifiers/53/")
    page.locator("#cc-search input").fill("e11.65")
    # Locator waits, not wait_for_function: Playwright evaluates a string predicate with eval,
    # which this very policy forbids.
    page.locator("#cc-search-results[data-query='e11.65']").wait_for(state="attached")
    page.locator("#cc-search input").press("Enter")
    page.wait_for_url("**/icd-10-cm/E11.65/")
    # The palette toggle (Material's inline script and bundle) works under the policy.
    page.locator("label[for='__palette_1']").click()
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    assert page.evaluate("window.__violations") == []
    assert messages == []


@pytest.mark.slow
@pytest.mark.browser
def test_the_check_sees_a_blocked_script(csp_page, netlify_like):
    """The violation listener works: a script the policy does not allow is reported."""
    page, messages = csp_page
    page.goto(netlify_like + "modifiers/53/")
    page.evaluate("""() => { const s = document.createElement("script");
                             s.textContent = "window.__ran = 1"; document.head.appendChild(s); }""")
    for _ in range(100):   # the event is queued as a task; poll from outside the page
        if page.evaluate("window.__violations.length"):
            break
        page.wait_for_timeout(50)
    assert page.evaluate("window.__ran") is None
    assert page.evaluate("window.__violations")[0].startswith("script-src")


@pytest.mark.slow
@pytest.mark.browser
def test_short_links_and_the_404_page(csp_page, netlify_like):
    """Without the edge function, the 404 page resolves short links in the browser."""
    page, messages = csp_page
    page.goto(netlify_like + "e1165")
    page.wait_for_url(netlify_like + "icd-10-cm/E11.65/")
    page.goto(netlify_like + "53")
    page.wait_for_url(netlify_like + "modifiers/53/")
    page.goto(netlify_like + "no-such-code")
    assert "Page not found" in page.locator("h1").inner_text()
    response = page.goto(netlify_like + "no/such/page/")
    assert response.status == 404
    assert "Page not found" in page.locator("h1").inner_text()
    page.locator("#not-found-q").fill("cholera")
    page.locator(".md-content button[type=submit]").click()
    page.wait_for_url("**/search/?q=cholera")
    page.locator("#cc-search-page-results[data-query='cholera']").wait_for(state="attached")
    assert "holera" in page.locator("#cc-search-page .cc-result").first.inner_text()
    assert page.evaluate("window.__violations") == []
    assert messages == []


@pytest.mark.slow
def test_real_pages_need_no_other_inline_script(real_site):
    """A sample of every folder of the real site: no inline script the policy would block."""
    allowed = set(csp_directives()["script-src"][1:])
    pages = [real_site / "index.html", real_site / "404.html"]
    for folder in sorted(p for p in real_site.iterdir() if p.is_dir()):
        pages += sorted(folder.rglob("index.html"))[:300]
    blocked = {}
    for page in pages:
        for attrs, body in INLINE_SCRIPT.findall(page.read_text(encoding="utf-8")):
            if not re.search(r'type="application/(ld\+)?json"', attrs) and script_hash(body) not in allowed:
                blocked[str(page.relative_to(real_site))] = body[:80]
    assert not blocked
    assert not (real_site / "_redirects").exists()
