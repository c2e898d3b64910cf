"""Ask box benchmark: size of ask-data/, time to write it, bytes and time per question.

    .venv/bin/python benchmarks/ask_bench.py [--site site] [--out benchmarks/results/ask.json]
        [--no-write]   (skip timing the write from data/, for a site built from a cut of the data)

Measures the ask box's data in a built site (files, total and largest bytes, the manifest), the
time generator/ask.py takes to write it from data/, and, in Debian's Chromium over a loopback
HTTP server, for each question: the ask-data bytes the browser fetched and the time from asking
to the answer, on a fresh page (nothing loaded) and asked again (files cached in the page).
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import platform
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import ask  # noqa: E402
from generator.dataset import load_dataset  # noqa: E402

QUESTIONS = [
    "What is E11.65?", "what does modifier 53 mean", "52 vs 53", "difference between 59 and XU",
    "Can E11.9 be coded with E10.9?", "can I code I10 with I11.9", "Can J45.909 be coded with J44.9?",
    "use additional code for E11.9", "what should I code first with E08.65",
    "7th character for subsequent encounter S72.001", "7th character initial encounter T81.40",
    "codes under E11", "what is in I20-I25", "codes under S72.0", "Guidelines for E/M services",
    "What does I10 exclude?", "how much does medicare pay for 99213",
    "what is z23 encounter for immunization", "what is G0439", "when do i use xe instead of 59",
    "which modifier do i use for a bilateral procedure", "does bcbs cover 97110",
    "what chapter is J45.909 in",
]


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def data_sizes(site: Path) -> dict:
    files = [p for p in (site / ask.DATA_DIR).rglob("*.js")]
    sizes = sorted(p.stat().st_size for p in files)
    return {"files": len(files), "bytes": sum(sizes), "largest": sizes[-1],
            "median": statistics.median(sizes),
            "manifest": (site / ask.DATA_DIR / "manifest.js").stat().st_size}


def write_time() -> dict:
    started = time.perf_counter()
    dataset = load_dataset(ROOT / "data", ROOT)
    loaded = time.perf_counter()
    files = ask.build_files(dataset.catalog, ROOT / "content", ROOT / "site")
    done = time.perf_counter()
    return {"records": len(dataset.catalog.records), "load_seconds": round(loaded - started, 2),
            "ask_data_seconds": round(done - loaded, 2), "files": len(files)}


def questions(site: Path) -> list[dict]:
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"),
                                    args=["--no-sandbox", "--disable-gpu"])
        for q in QUESTIONS:
            page = browser.new_page()
            fetched = []
            page.on("response", lambda r: fetched.append(r) if "/ask-data/" in r.url else None)
            page.goto(base + "ask/")
            page.wait_for_selector("#cc-ask:not([hidden])")
            timing = page.evaluate("""async q => {
                let t = performance.now(); const a = await window.__askAnswer(q);
                const cold = performance.now() - t;
                t = performance.now(); await window.__askAnswer(q);
                return {kind: a.kind, verdict: a.verdict, cold: cold, warm: performance.now() - t};
            }""", q)
            size = sum(len(r.body()) for r in fetched)
            out.append({"question": q, "kind": timing["kind"], "verdict": timing["verdict"],
                        "files": len(fetched), "bytes": size,
                        "cold_ms": round(timing["cold"], 1), "warm_ms": round(timing["warm"], 2)})
            page.close()
        browser.close()
    server.shutdown()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "ask.json")
    parser.add_argument("--no-write", action="store_true", help="do not time writing ask-data/ from data/")
    args = parser.parse_args()
    if not (args.site / ask.DATA_DIR / "manifest.js").is_file():
        sys.exit(f"No ask data in {args.site}: build the site first (make site)")
    asked = questions(args.site)
    result = {
        "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count()},
        "data": data_sizes(args.site),
        "write": None if args.no_write else write_time(),
        "questions": asked,
        "summary": {
            "max_bytes_per_question": max(q["bytes"] for q in asked),
            "median_bytes_per_question": statistics.median(q["bytes"] for q in asked),
            "median_cold_ms": statistics.median(q["cold_ms"] for q in asked),
            "max_cold_ms": max(q["cold_ms"] for q in asked),
            "max_warm_ms": max(q["warm_ms"] for q in asked),
        },
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result["data"]), json.dumps(result["write"]), json.dumps(result["summary"]))


if __name__ == "__main__":
    main()
