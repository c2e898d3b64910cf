"""Offline bundle benchmark: builds the full offline bundle with the real command and records
its size, file count and time, and checks that no member section text is inside.

Writes benchmarks/results/offline.json (with --chapters: offline-subset.json). Usage:
    .venv/bin/python benchmarks/offline_bench.py [--jobs N] [--output dist/...zip]
        [--chapters 19]
With --chapters the bundle is built from a copy of the project in a temporary folder that holds
only those ICD-10-CM chapter folders (chapter 19, S and T codes, is ~55% of the code pages):
a quick measure to extrapolate from; the leak scan still uses every member section of data/.
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
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import offline  # noqa: E402
from generator.build import default_jobs  # noqa: E402
from tests.test_gating_leaks import gated_text  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "offline.json"
SUBSET_RESULTS = ROOT / "benchmarks" / "results" / "offline-subset.json"


def subset_project(folder: Path, chapters: set[str]) -> Path:
    """A copy of the project in `folder` with only these ICD-10-CM chapter folders."""
    project = folder / "project"
    project.mkdir()
    for name in ("mkdocs.yml", "mkdocs.offline.yml", "content", "overrides", "data"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / name)
    for chapter in (project / "data" / "icd-10-cm").iterdir():
        if chapter.is_dir() and chapter.name not in chapters:
            shutil.rmtree(chapter)
    return project


def composition(bundle: Path) -> dict:
    """Bytes in the zip (compressed, with each file's headers) and files, by kind of file."""
    kinds: dict[str, list[int]] = {}
    with zipfile.ZipFile(bundle) as z:
        for info in z.infolist():
            parts = info.filename.split("/")
            kind = parts[1] if len(parts) > 2 else "top"
            if kind == "icd-10-cm":
                kind = "icd-10-cm stubs" if b'http-equiv="refresh"' in z.read(info)[:200] \
                    else "icd-10-cm pages"
            entry = kinds.setdefault(kind, [0, 0])
            entry[0] += 1
            entry[1] += info.compress_size + 76 + 2 * len(info.filename.encode())
    return {k: {"files": n, "zip_bytes": b} for k, (n, b) in sorted(kinds.items())}


def member_text_in(bundle: Path) -> int:
    """Lines of the unzipped bundle holding any needle of any member section of data/ (the
    gating leak scan's needles), found by one GNU grep pass over every file in the zip."""
    needles = sorted({n for found in gated_text(ROOT / "data").values() for n in found})
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(needles) + "\n")
    grep = subprocess.Popen(["grep", "-caF", "-f", f.name], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE)
    with zipfile.ZipFile(bundle) as z:
        for name in z.namelist():
            grep.stdin.write(z.read(name) + b"\n")
    out, _ = grep.communicate()
    os.unlink(f.name)
    return int(out or 0)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=0)
    parser.add_argument("--output", default=str(offline.default_output(ROOT / "mkdocs.offline.yml")))
    parser.add_argument("--chapters", help="only these ICD-10-CM chapter folders, e.g. 19")
    parser.add_argument("--results", help="the JSON file (default: results/offline.json, "
                                          "with --chapters results/offline-subset.json)")
    args = parser.parse_args()
    output = Path(args.output).resolve()
    results = (Path(args.results).resolve() if args.results
               else SUBSET_RESULTS if args.chapters else RESULTS)
    with tempfile.TemporaryDirectory() as tmp:
        project = ROOT
        if args.chapters:
            project = subset_project(Path(tmp), set(args.chapters.split(",")))
            output = Path(tmp) / output.name
        os.chdir(project)
        bundle = offline.build_bundle(project / "mkdocs.offline.yml", output,
                                      args.jobs or default_jobs())
        return report(bundle, args, results)


def report(bundle: offline.Bundle, args, results: Path) -> int:
    with zipfile.ZipFile(bundle.path) as z:
        pages = sum(1 for n in z.namelist() if n.endswith(".html"))
    started = time.perf_counter()
    leaks = member_text_in(bundle.path)
    result = {
        "subset": f"ICD-10-CM chapters {args.chapters} only" if args.chapters else None,
        "machine": {"cpus": len(os.sched_getaffinity(0)), "python": platform.python_version(),
                    "load_average": [round(x, 2) for x in os.getloadavg()]},
        "jobs": args.jobs or default_jobs(),
        "files": bundle.files,
        "html_pages": pages,
        "unzipped_bytes": bundle.bytes,
        "zip_bytes": bundle.zip_bytes,
        "build_and_zip_seconds": round(bundle.seconds, 1),
        "leak_scan_seconds": round(time.perf_counter() - started, 1),
        "lines_with_member_text": leaks,
        "by_kind": composition(bundle.path),
    }
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main())
