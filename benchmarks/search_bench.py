"""Search benchmark: index size and build time, bytes per query, keystroke-to-results latency.

    .venv/bin/python benchmarks/search_bench.py [--site site] [--out benchmarks/results/search.json]

Builds the search index from data/ into the built site (timing it), serves the site over HTTP
with gzip on loopback, and drives Debian's Chromium through queries of every kind, typed one key
at a time into the header box as a reader would. For each query it records the bytes the
browser received (compressed, with headers) and, for every keystroke, the time from the key
going down to the results being in the page. Each query is typed twice: first on a fresh page
with nothing loaded, then again once its shards are loaded.

It also runs a query set written the way coders type (tests/search_queries.yaml, or
`--queries FILE` for another set, e.g. a held-out one) through the browser's engine and reports
success@1, success@5 and MRR (benchmarks/search_quality.py).

`--synthetic` measures the index of a generated ICD-10-CM-sized catalog instead of data/
(benchmarks/search_synthetic.py), for when the full code set is not in the data.

Targets (issue 15): first query <= 150 KB transferred (gzip), later queries <= 50 KB, p95
keystroke-to-results <= 50 ms once shards are loaded, index build < 60 s, success@5 >= 95%.
"""
from __future__ import annotations

import argparse
import gzip
import http.server
import io
import json
import os
import platform
import shutil
import statistics
import sys
import threading
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import search  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
import search_quality  # noqa: E402

QUERIES = {
    "exact code": ["e1165", "E11.65", "s72001a", "S72.001A", "G0008", "99213", "i10", "J45909",
                   "z00.00", "F32.A"],
    "code prefix": ["S72.0", "E11", "I50", "C50.9", "9921", "Z79"],
    "range": ["A00-A09", "99202-99215", "E08-E13", "I20-I25", "c00-c96"],
    "modifier": ["53", "mod 53", "modifier 53", "-59", "XU", "25", "LT"],
    "words": ["type 2 diabetes hyperglycemia", "hypertension", "chest pain", "fracture of femur",
              "asthma", "major depressive disorder", "pneumonia unspecified organism",
              "heart failure", "office visit", "influenza vaccine",
              "displaced fracture right femur initial encounter",
              "chronic kidney disease stage 3", "type 2 diabetes hyperglycemai", "diabetis"],
    "abbreviations and lay terms": ["chf", "uti", "afib", "copd", "heart attack", "flu shot",
                                    "femoral neck fracture", "history of breast cancer"],
    "codes not held": ["J3420", "G0439"],
    "nothing found": ["zzqxv", "E99.99"],
    "bad input": ["<script>alert(1)</script>", "?*+^$()[]{}", "x" * 1000],
}


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed when the browser asks, as a CDN would serve them."""

    cache: dict[str, bytes] = {}

    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or not path.is_file():
            return super().send_head()
        key = str(path)
        body = self.cache.get(key)
        if body is None:
            body = self.cache[key] = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def build_index(site: Path, synthetic: bool) -> dict:
    started = time.perf_counter()
    if synthetic:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from search_synthetic import synthetic_catalog
        catalog = synthetic_catalog()
        source = "synthetic ICD-10-CM-sized catalog (benchmarks/search_synthetic.py)"
    else:
        from generator.dataset import load_dataset
        dataset = load_dataset(ROOT / "data", ROOT)
        catalog = dataset.catalog
        source = "data/"
    loaded = time.perf_counter() - started
    cpu = time.process_time()
    stats = search.write_index(catalog, ROOT / "content", site, data_dir=ROOT / "data")
    cpu = time.process_time() - cpu
    folder = site / search.INDEX_DIR
    files = list(folder.rglob("*.js"))
    gz = {p: len(gzip.compress(p.read_bytes(), 6)) for p in files}
    words = [gz[p] for p in files if p.parent.name == "w"]
    dirs = [gz[p] for p in files if p.parent.name == "d"]
    by_system: dict[str, int] = {}
    for r in catalog.records:
        by_system[r.system] = by_system.get(r.system, 0) + 1
    return {
        "source": source,
        "records": len(catalog.records),
        "records_by_system": by_system,
        "load_records_seconds": round(loaded, 1),
        "index_build_seconds": round(stats.seconds, 1),
        # CPU time of the build process: what the build costs, whatever else the machine runs.
        "index_build_cpu_seconds": round(cpu, 1),
        "files": stats.files,
        "word_files": stats.word_files,
        "directory_files": stats.directory_files,
        "total_bytes": stats.bytes,
        "total_gzip_bytes": sum(gz.values()),
        "manifest_gzip_bytes": gz[folder / "manifest.js"],
        "largest_word_file_gzip_bytes": max(words, default=0),
        "median_word_file_gzip_bytes": int(statistics.median(words)) if words else 0,
        "largest_directory_file_gzip_bytes": max(dirs, default=0),
        "median_directory_file_gzip_bytes": int(statistics.median(dirs)) if dirs else 0,
    }


INSTRUMENT = """
window.__keys = [];
window.__lat = [];
window.addEventListener('keydown', e => { window.__keys.push(performance.now()); }, true);
document.addEventListener('cc-search-results', e => {
  window.__lat.push({at: performance.now(), query: e.detail.query, count: e.detail.count});
});
"""


def drive(base: str, page_path: str) -> dict:
    import shutil as sh

    from playwright.sync_api import sync_playwright

    executable = sh.which("chromium") or sh.which("chromium-browser")
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        for kind, queries in QUERIES.items():
            for query in queries:
                rows.append(_one_query(browser, base + page_path, kind, query))
        browser.close()
    return rows


def _one_query(browser, url: str, kind: str, query: str) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.add_init_script(INSTRUMENT)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    received = {"bytes": 0, "files": 0}

    def finished(event):
        received["bytes"] += event.get("encodedDataLength", 0)
        received["files"] += 1

    cdp.on("Network.loadingFinished", finished)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    box = page.locator("#cc-search input")
    results = page.locator("#cc-search-results")
    shown = " ".join(query[:200].split())

    def type_query() -> tuple[list[float], list[str]]:
        box.fill("")
        box.focus()
        page.evaluate("window.__keys = []; window.__lat = []")
        typed = query[:200] if len(query) <= 200 else query[:60]
        latencies = []
        for ch in typed:
            before = page.evaluate("window.__lat.length")
            page.keyboard.type(ch)
            page.wait_for_function("n => window.__lat.length > n", arg=before, timeout=30000)
            latencies.append(page.evaluate(
                "(() => window.__lat[window.__lat.length - 1].at - window.__keys[window.__keys.length - 1])()"))
        if len(query) > len(typed):              # the rest pasted in one go, as people do
            box.fill(query)
            page.wait_for_function("q => document.querySelector('#cc-search-results').dataset.query === q",
                                   arg=shown)
        codes = page.locator("#cc-search-results .cc-result__code")
        return latencies, [codes.nth(i).inner_text() for i in range(min(codes.count(), 5))]

    received.update(bytes=0, files=0)
    cold, top = type_query()
    first_bytes, first_files = received["bytes"], received["files"]
    received.update(bytes=0, files=0)
    warm, _ = type_query()
    context.close()
    return {
        "kind": kind, "query": query if len(query) <= 60 else query[:20] + f"... ({len(query)} chars)",
        "top": top, "first_query_bytes": first_bytes, "first_query_files": first_files,
        "again_bytes": received["bytes"], "keystrokes": len(cold),
        "cold_ms": [round(x, 1) for x in cold], "warm_ms": [round(x, 1) for x in warm],
        "console_errors": errors,
    }


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    if not values:
        return 0.0
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return round(values[lo] + (values[hi] - values[lo]) * (k - lo), 1)


def quality(base: str, page_path: str, queries: Path) -> dict:
    """success@1, success@5 and MRR of a query set, asked in Chromium over the built site."""
    import shutil as sh

    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=sh.which("chromium"), args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(base + page_path)
        result = search_quality.evaluate(page, search_quality.load_queries(queries))
        browser.close()
    result["file"] = str(queries.relative_to(ROOT) if queries.is_relative_to(ROOT) else queries)
    return result


def later_query_bytes(base: str, page_path: str) -> list[dict]:
    """Bytes for each query typed after others on the same page, in the order a coder might."""
    import shutil as sh

    from playwright.sync_api import sync_playwright

    sequence = ["e1165", "diabetes hyperglycemia", "S72.0", "modifier 59", "chest pain",
                "A00-A09", "heart failure", "99213", "fracture of femur", "asthma",
                "I50", "hypertension", "pneumonia", "XU", "chronic kidney disease"]
    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=sh.which("chromium"), args=["--no-sandbox"])
        context = browser.new_context()
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        received = {"bytes": 0}
        cdp.on("Network.loadingFinished",
               lambda e: received.__setitem__("bytes", received["bytes"] + e.get("encodedDataLength", 0)))
        page.goto(base + page_path)
        page.wait_for_load_state("networkidle")
        for query in sequence:
            received["bytes"] = 0
            page.locator("#cc-search input").fill(query)
            page.wait_for_function("q => document.querySelector('#cc-search-results').dataset.query === q",
                                   arg=query)
            page.wait_for_load_state("networkidle")
            out.append({"query": query, "bytes": received["bytes"]})
        browser.close()
    return out


def report(result: dict) -> str:
    """The results as a short Markdown table, for reading in review."""
    index, summary = result["index"], result["summary"]
    ok = lambda flag: "met" if flag else "**missed**"   # noqa: E731
    t = summary["targets"]
    lines = [
        "# Search benchmark",
        "",
        f"Run {result['when']} on {result['machine']} (load average {result['load_average'][0]} "
        f"before, {result['load_average'][1]} after) by `benchmarks/search_bench.py` "
        f"(`make bench-search`); raw figures in `search.json`.",
        "",
        f"Index of {index['records']:,} records from {index['source']} "
        f"({', '.join(f'{k}: {v:,}' for k, v in index['records_by_system'].items())}); "
        f"site of {result['site_pages']:,} pages.",
        "",
        "| Measure | Result | Target |",
        "|---|---|---|",
        f"| Query set ({result['quality']['queries']} queries, {result['quality']['file']}) | "
        f"success@1 {result['quality']['success_at_1']:.1%}, success@5 "
        f"{result['quality']['success_at_5']:.1%}, MRR {result['quality']['mrr']:.3f} | "
        f"success@5 >= 95%: {ok(t['success_at_5_at_least_95pct'])} |",
        f"| Index build (stems, weights, shards) | {index['index_build_seconds']} s wall, "
        f"{index['index_build_cpu_seconds']} s CPU | < 60 s: {ok(t['index_build_under_60s'])} |",
        f"| Index size | {index['total_bytes'] / 1e6:.1f} MB in {index['files']:,} files, "
        f"{index['total_gzip_bytes'] / 1e6:.2f} MB gzip | - |",
        f"| Manifest (loaded on first query) | {index['manifest_gzip_bytes'] / 1e3:.0f} KB gzip | - |",
        f"| Word files | {index['word_files']}, median {index['median_word_file_gzip_bytes'] / 1e3:.1f} KB, "
        f"largest {index['largest_word_file_gzip_bytes'] / 1e3:.0f} KB gzip | - |",
        f"| Directory files | {index['directory_files']:,}, median "
        f"{index['median_directory_file_gzip_bytes'] / 1e3:.1f} KB, largest "
        f"{index['largest_directory_file_gzip_bytes'] / 1e3:.0f} KB gzip | - |",
        f"| First query on a fresh page, transferred | median {summary['first_query_bytes_median'] / 1e3:.0f} KB, "
        f"max {summary['first_query_bytes_max'] / 1e3:.0f} KB | <= 150 KB: {ok(t['first_query_at_most_150KB'])} |",
        f"| Later queries, transferred | median {summary['later_query_bytes_median'] / 1e3:.1f} KB, "
        f"max {summary['later_query_bytes_max'] / 1e3:.0f} KB, {summary['later_queries_at_most_50KB']} of "
        f"{summary['later_queries']} at most 50 KB | <= 50 KB: "
        f"{ok(t['later_queries_at_most_50KB'])} |",
        f"| Keystroke to results, shards loaded | p50 {summary['latency_ms_loaded_p50']} ms, "
        f"p95 {summary['latency_ms_loaded_p95']} ms | p95 <= 50 ms: {ok(t['p95_at_most_50ms_once_loaded'])} |",
        f"| Keystroke to results, loading shards as needed | p50 {summary['latency_ms_with_loading_p50']} ms, "
        f"p95 {summary['latency_ms_with_loading_p95']} ms | - |",
        f"| Queries / keystrokes / console errors | {summary['queries']} / {summary['keystrokes']} / "
        f"{summary['console_errors']} | - |",
        "",
        "| Kind | Query | Top results | First query | Slowest key, loaded |",
        "|---|---|---|---|---|",
    ]
    for r in result["queries"]:
        query = r["query"].replace("|", "\\|")
        top = ", ".join(r["top"][:3]) or "(none)"
        slowest = max(r["warm_ms"], default=0)
        lines.append(f"| {r['kind']} | `{query}` | {top} | {r['first_query_bytes'] / 1e3:.0f} KB | "
                     f"{slowest} ms |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="a built site (make site)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "search.json")
    parser.add_argument("--synthetic", action="store_true",
                        help="index a synthetic ICD-10-CM-sized catalog instead of data/")
    parser.add_argument("--page", default="modifiers/53/", help="page the queries start from")
    parser.add_argument("--queries", type=Path, default=ROOT / "tests" / "search_queries.yaml",
                        help="query set for success@1/@5 and MRR (default: tests/search_queries.yaml)")
    args = parser.parse_args()
    if not (args.site / "index.html").is_file():
        print(f"{args.site} has no built site; run 'make site' first", file=sys.stderr)
        return 1
    site = args.site
    if args.synthetic:
        # Never overwrite the real site's index with synthetic data: work on a copy.
        copy = ROOT / "benchmarks" / ".synthetic-site"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(site, copy, ignore=shutil.ignore_patterns(search.INDEX_DIR))
        site = copy
    load_before = os.getloadavg()[0]     # other work on the machine slows every figure
    index = build_index(site, args.synthetic)
    print(json.dumps(index, indent=2))
    server, base = serve(site)
    try:
        rows = drive(base, args.page)
        later = later_query_bytes(base, args.page)
        measured = quality(base, args.page, args.queries)
    finally:
        server.shutdown()
    cold = [x for r in rows for x in r["cold_ms"]]
    warm = [x for r in rows for x in r["warm_ms"]]
    first = [r["first_query_bytes"] for r in rows]
    later_bytes = [x["bytes"] for x in later[1:]]
    summary = {
        "queries": len(rows),
        "keystrokes": len(cold),
        "first_query_bytes_max": max(first),
        "first_query_bytes_median": int(statistics.median(first)),
        "later_query_bytes_median": int(statistics.median(later_bytes)),
        "later_query_bytes_max": max(later_bytes),
        "later_queries_at_most_50KB": sum(1 for b in later_bytes if b <= 50_000),
        "later_queries": len(later_bytes),
        "latency_ms_loaded_p50": percentile(warm, 0.5),
        "latency_ms_loaded_p95": percentile(warm, 0.95),
        "latency_ms_with_loading_p50": percentile(cold, 0.5),
        "latency_ms_with_loading_p95": percentile(cold, 0.95),
        "console_errors": sum(len(r["console_errors"]) for r in rows),
        "success_at_1": measured["success_at_1"],
        "success_at_5": measured["success_at_5"],
        "mrr": measured["mrr"],
        "targets": {
            "first_query_at_most_150KB": max(first) <= 150_000,
            "later_queries_at_most_50KB": max(later_bytes) <= 50_000,
            "p95_at_most_50ms_once_loaded": percentile(warm, 0.95) <= 50,
            "index_build_under_60s": index["index_build_seconds"] < 60,
            "success_at_5_at_least_95pct": measured["success_at_5"] >= 0.95,
            "issue_table_reads_right": measured["issue_rows_ok"],
        },
    }
    pages = sum(1 for _ in args.site.rglob("index.html"))
    result = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                   f"{platform.python_implementation()} {platform.python_version()}",
        "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "site_pages": pages,
        "index": index,
        "summary": summary,
        "later_queries": later,
        "quality": {k: v for k, v in measured.items() if k != "rows"},
        "quality_rows": measured["rows"],
        "queries": rows,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    args.out.with_suffix(".md").write_text(report(result))
    print(json.dumps(summary, indent=2))
    if args.synthetic:
        shutil.rmtree(site, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
