"""Full-site build benchmark: the whole reference, ICD-10-CM included, on this machine.

Copies the project (mkdocs.yml, content/, overrides/, data/) to a temporary folder, then
measures with the real commands:

- a cold build (`python -m generator build`): wall time, peak memory of the whole process
  tree (sampled from /proc), pages written, output size;
- an incremental build (`python -m generator build --incremental`) after editing one curated
  record and, separately, one imported ICD-10-CM record: wall time and pages rewritten.

Writes benchmarks/results/build.json. Usage: .venv/bin/python benchmarks/build_bench.py [--jobs N]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "build.json"


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            with open(f"/proc/{current}/task/{current}/children") as f:
                todo.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def run(cmd: list[str], cwd: Path) -> dict:
    """Run `cmd`, sampling the memory of its process tree every 100 ms."""
    started = time.perf_counter()
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
    if proc.returncode:
        sys.exit(f"{' '.join(cmd)} failed:\n{output}")
    return {"seconds": round(time.perf_counter() - started, 1), "peak_rss_mb": round(peak / 2**20),
            "output_tail": output.strip().splitlines()[-1:]}


def site_stats(site: Path) -> dict:
    files = [p for p in site.rglob("*") if p.is_file()]
    return {"pages": sum(1 for p in files if p.name.endswith(".html")),
            "files": len(files),
            "output_mb": round(sum(p.stat().st_size for p in files) / 2**20)}


def newer_pages(site: Path, since: float) -> int:
    return sum(1 for p in site.rglob("*.html") if p.stat().st_mtime > since)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=0, help="build processes (default: cores)")
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        project.mkdir()
        for name in ("mkdocs.yml", "content", "overrides", "data"):
            source = ROOT / name
            (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / name)
        site = project / "site"
        build = [python, "-m", "generator", "build", "--site-dir", str(site)]
        if args.jobs:
            build += ["--jobs", str(args.jobs)]
        cold = run(build, project)
        cold.update(site_stats(site))

        incremental = {}
        cases = {
            "curated record (CPT 99213 description)": (
                project / "data" / "codes.yaml", "The most often billed office visit",
                "The office visit billed most often"),
            "imported ICD-10-CM record (E11.65 title)": (
                project / "data" / "icd-10-cm" / "04" / "E08-E13.yaml",
                "title: Type 2 diabetes mellitus with hyperglycemia",
                "title: Type 2 diabetes mellitus with hyperglycemia (edited)"),
        }
        for label, (path, old, new) in cases.items():
            before = time.time()
            time.sleep(1)
            edit(path, old, new)
            result = run(build[:6] + ["--incremental"], project)
            result["pages_rewritten"] = newer_pages(site, before)
            incremental[label] = result

    load = os.getloadavg()
    results = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average_at_end": [round(x, 2) for x in load],
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
                                       / 2**30)},
        "jobs": args.jobs or "default (one per core, at most 4)",
        "cold_build": cold,
        "incremental_build": incremental,
        "targets": {"cold_build_seconds": 240, "peak_rss_mb": 3072,
                    "incremental_build_seconds": 15},
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
