"""Build benchmark: the whole reference (or a few ICD-10-CM chapters) built with the real commands.

Copies the project (mkdocs.yml, content/, overrides/, data/) to a temporary folder, then measures:

- a cold build (`generator build`): wall time, peak memory of the whole process tree (sampled
  from /proc every 100 ms), pages, median and 95th-percentile page size (all pages and code
  pages), site size and file count, redirect and header rules and function bundles (the
  deploy check, generator/deploy.py);
- one-record rebuilds (`generator build --incremental`) after editing a curated record and an
  imported ICD-10-CM record, each --repeat times (every edit undoing the last): median wall and
  CPU time, peak memory and pages rewritten;
- `make serve` (generator.serve): seconds to the first page with the last build in site/, and
  on a fresh clone (curated pages first), and from saving a record to the page served changed
  (--repeat saves, timed once the catch-up build behind the first page is done);
- the offline bundle (`generator.offline`, a second full build): zip size and files.

Writes benchmarks/results/build.json (or --output) with the machine and load average, and each
target met or not. Usage:
    .venv/bin/python benchmarks/build_bench.py [--jobs N] [--chapters 04,10] [--no-offline]
With --chapters only those ICD-10-CM chapter folders are copied: a quick profile on a subset
while the machine is shared; the full benchmark is the one without it. --incremental-only times
only the one-record rebuilds and save -> reload after the cold build (which it needs):
    .venv/bin/python benchmarks/build_bench.py --chapters 04 --incremental-only --output /tmp/x.json
On a machine shared with other work, compare CPU seconds: wall time grows with the load.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import deploy  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "build.json"
TARGETS = {   # issue 14
    "cold_build_seconds": 90, "incremental_seconds": 4, "serve_first_page_seconds": 30,
    "save_to_reload_seconds": 4, "peak_rss_mb": 1536, "site_bytes": 1_200_000_000,
    "offline_zip_bytes": 200_000_000, "redirect_rules": 1000, "median_code_page_bytes": 10_000,
}
EDITS = {
    "curated record (CPT 99213 description)": (
        "codes.yaml", "The most often billed office visit", "The office visit billed most often",
        "cpt/99213/"),
    "imported ICD-10-CM record (E11.65 title)": (
        "icd-10-cm/04/E08-E13.yaml", "title: Type 2 diabetes mellitus with hyperglycemia",
        "title: Type 2 diabetes mellitus with hyperglycemia (edited)", "icd-10-cm/E11.65/"),
}


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status") as f:
                total += sum(int(line.split()[1]) * 1024 for line in f if line.startswith("VmRSS:"))
            with open(f"/proc/{current}/task/{current}/children") as f:
                todo.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def run(cmd: list[str], cwd: Path, fatal: bool = True) -> dict:
    """Run `cmd`, sampling the memory of its process tree every 100 ms."""
    started = time.perf_counter()
    cpu_before = _children_cpu()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(proc.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output = proc.communicate()[0]
    done.set()
    sampler.join()
    if proc.returncode and fatal:
        sys.exit(f"{' '.join(cmd)} failed:\n{output[-5000:]}")
    if proc.returncode:
        return {"error": output.strip().splitlines()[-3:]}
    return {"seconds": round(time.perf_counter() - started, 1),
            "cpu_seconds": round(_children_cpu() - cpu_before, 1),
            "peak_rss_mb": round(peak / 2**20), "output_tail": output.strip().splitlines()[-1:]}


def _children_cpu() -> float:
    """User and system CPU seconds of every finished child process: with a shared machine,
    wall time says how long an editor waited, CPU time how much work it was."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def percentile(values: list[int], q: float) -> int:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else 0


def page_sizes(site: Path) -> dict:
    sizes, code = [], []
    for path in site.rglob("*.html"):
        size = path.stat().st_size
        sizes.append(size)
        parts = path.relative_to(site).parts
        if parts[0] in ("icd-10-cm", "cpt", "hcpcs", "modifiers") and len(parts) == 3:
            code.append(size)
    return {"pages": len(sizes), "median_page_bytes": int(statistics.median(sizes)),
            "p95_page_bytes": percentile(sizes, 0.95),
            "median_code_page_bytes": int(statistics.median(code)) if code else 0,
            "p95_code_page_bytes": percentile(code, 0.95)}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode()
    except OSError:
        return None


def wait_for(condition, limit: float = 600) -> float | None:
    """Seconds until `condition()` holds; None if it did not within `limit`."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if condition():
            return round(time.perf_counter() - started, 1)
        time.sleep(0.1)
    return None


def serve(python: str, project: Path, page: str, edit_case=None, strict: bool = True,
          repeat: int = 1) -> dict:
    """Start `generator.serve`; seconds to the first page, and optionally save -> page changed
    (`repeat` saves, each undoing the last, once the catch-up build behind the first page is
    done: an editor's save is timed, not a save that waits for that build)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = project / "serve.log"
    with open(log, "w") as stream:
        proc = subprocess.Popen(
            [python, "-m", "generator.serve", "--dev-addr", f"127.0.0.1:{port}"]
            + ([] if strict else ["--no-strict"]), cwd=project, stdout=stream, stderr=stream,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
            start_new_session=True)   # its own group: its build shards too
    url = f"http://127.0.0.1:{port}/{page}"
    result = {}
    try:
        result["first_page_seconds"] = wait_for(lambda: fetch(url))
        if edit_case:
            path, old, new, page = edit_case
            url = f"http://127.0.0.1:{port}/{page}"
            result["catch_up_seconds"] = wait_for(lambda: any(
                m in log.read_text(errors="replace")
                for m in ("is up to date", "Updated ", "Built ")), 600)
            times = []
            for i in range(repeat):
                before, after = (old, new) if i % 2 == 0 else (new, old)
                time.sleep(1)
                edit(path, before, after)
                times.append(wait_for(lambda: after.split(": ")[-1] in (fetch(url) or ""), 120))
            result["save_to_reload_runs"] = times
            result["save_to_reload_seconds"] = (None if None in times
                                                else statistics.median(times))
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=60)
    return result


def incremental_runs(build: list[str], project: Path, site: Path, repeat: int) -> dict:
    """One-record rebuilds of each EDITS case, `repeat` times (each undoing the last); the
    median of each."""
    incremental = {}
    for label, (name, old, new, page) in EDITS.items():
        path = project / "data" / name
        if not path.exists():
            continue
        runs = []
        for i in range(repeat):
            before_text, after_text = (old, new) if i % 2 == 0 else (new, old)
            before = time.time()
            time.sleep(1)
            edit(path, before_text, after_text)
            result = run(build + ["incremental"], project)
            result["pages_rewritten"] = sum(1 for p in site.rglob("*.html")
                                            if p.stat().st_mtime > before)
            runs.append(result)
        incremental[label] = {
            "seconds": statistics.median(r["seconds"] for r in runs),
            "cpu_seconds": statistics.median(r["cpu_seconds"] for r in runs),
            "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
            "pages_rewritten": runs[0]["pages_rewritten"], "runs": runs}
    return incremental


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=0, help="build processes (default: cores)")
    parser.add_argument("--chapters", help="only these ICD-10-CM chapter folders, e.g. 04,10")
    parser.add_argument("--no-offline", action="store_true", help="skip the offline bundle")
    parser.add_argument("--no-strict", action="store_true",
                        help="build without --strict (a branch whose hand-written pages link "
                             "pages another branch adds)")
    parser.add_argument("--incremental-only", action="store_true",
                        help="after a cold build (not measured for the targets), time only the "
                             "one-record rebuilds and save -> reload: the loop of whoever works on "
                             "them, with --chapters")
    parser.add_argument("--repeat", type=int, default=3,
                        help="one-record rebuilds and saves per case, made odd so that each edit ends "
                             "applied; the median is reported")
    parser.add_argument("--output", default=str(RESULTS))
    args = parser.parse_args()
    args.repeat += 1 - args.repeat % 2
    python = sys.executable
    load_before = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        project.mkdir()
        for name in ("mkdocs.yml", "mkdocs.offline.yml", "content", "overrides", "data"):
            source = ROOT / name
            (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / name)
        if args.chapters:
            keep = set(args.chapters.split(","))
            for folder in (project / "data" / "icd-10-cm").iterdir():
                if folder.is_dir() and folder.name not in keep:
                    shutil.rmtree(folder)
        site = project / "site"
        jobs = args.jobs or min(len(os.sched_getaffinity(0)), 4)
        build = [python, "-c", "import sys; from pathlib import Path; "
                 "from generator.build import build_site, update_site; "
                 "sys.exit((update_site(Path('mkdocs.yml'), Path('site'), strict=%s) "
                 "if sys.argv[1] == 'incremental' else build_site(Path('mkdocs.yml'), "
                 "Path('site'), strict=%s, jobs=%d)))" % (not args.no_strict, not args.no_strict,
                                                         jobs)]
        cold = run(build + ["full"], project)
        if args.incremental_only:
            incremental = incremental_runs(build, project, site, args.repeat)
            served = serve(python, project, "cpt/99213/", (
                project / "data" / "codes.yaml", "The office visit billed most often",
                "The office visit reported most often", "cpt/99213/"), not args.no_strict,
                args.repeat)
            results = {
                "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                "subset": f"ICD-10-CM chapters {args.chapters} only" if args.chapters else None,
                "mode": "incremental only", "load_average_at_start": load_before,
                "load_average_at_end": [round(x, 2) for x in os.getloadavg()], "jobs": jobs,
                "cold_build": cold, "incremental_build": incremental, "serve": served}
            Path(args.output).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
            print(json.dumps(results, indent=2))
            return
        cold.update(page_sizes(site))
        report = deploy.inspect(site, ROOT / "netlify.toml")
        cold.update({"files": report.files, "site_bytes": report.site_bytes,
                     "largest_file": report.largest_file,
                     "largest_file_bytes": report.largest_file_bytes,
                     "redirect_rules": report.redirect_rules, "header_rules": report.header_rules,
                     "function_bundles": {**report.edge_functions, **report.functions},
                     "deploy_check_problems": deploy.problems(report)})

        incremental = incremental_runs(build, project, site, args.repeat)

        served = serve(python, project, "cpt/99213/", (
            project / "data" / "codes.yaml", "The office visit billed most often",
            "The office visit reported most often", "cpt/99213/"), not args.no_strict,
            args.repeat)
        shutil.rmtree(site)
        (project / "site.codes-state").unlink()
        fresh = serve(python, project, "modifiers/53/", None, not args.no_strict)
        served["fresh_clone_first_page_seconds"] = fresh["first_page_seconds"]

        offline = {}
        if not args.no_offline:
            zip_path = Path(tmp) / "offline.zip"
            offline = run([python, "-m", "generator.offline", "--config", "mkdocs.offline.yml",
                           "--output", str(zip_path), "--jobs", str(jobs)]
                          + (["--no-strict"] if args.no_strict else []), project, fatal=False)
            if zip_path.exists():
                offline["zip_bytes"] = zip_path.stat().st_size

    measured = {
        "cold_build_seconds": cold["seconds"],
        "incremental_seconds": max((r["seconds"] for r in incremental.values()), default=None),
        "serve_first_page_seconds": None if None in (
            served["first_page_seconds"], served["fresh_clone_first_page_seconds"]) else max(
            served["first_page_seconds"], served["fresh_clone_first_page_seconds"]),
        "save_to_reload_seconds": served.get("save_to_reload_seconds"),
        "peak_rss_mb": cold["peak_rss_mb"], "site_bytes": cold["site_bytes"],
        "offline_zip_bytes": offline.get("zip_bytes"), "redirect_rules": cold["redirect_rules"],
        "median_code_page_bytes": cold["median_code_page_bytes"],
    }
    results = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "subset": f"ICD-10-CM chapters {args.chapters} only" if args.chapters else None,
        "strict": not args.no_strict,
        "machine": {"cpus": len(os.sched_getaffinity(0)), "python": platform.python_version(),
                    "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
                                       / 2**30), "processor": platform.processor() or None},
        "load_average_at_start": load_before,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "jobs": jobs,
        "cold_build": cold,
        "incremental_build": incremental,
        "serve": served,
        "offline": offline or None,
        "targets": {k: {"target": v, "measured": measured[k],
                        "met": measured[k] is not None and measured[k] <= v}
                    for k, v in TARGETS.items()},
    }
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
