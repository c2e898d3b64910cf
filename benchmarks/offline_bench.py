"""Offline bundle benchmark: builds the full offline bundle with the real command and records
its size, file count and time, and checks that no member section text is inside.

Writes benchmarks/results/offline.json. Usage:
    .venv/bin/python benchmarks/offline_bench.py [--jobs N] [--output dist/...zip]
"""
from __future__ import annotations

import argparse
import json
import os
import platform
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
    args = parser.parse_args()
    os.chdir(ROOT)
    bundle = offline.build_bundle(ROOT / "mkdocs.offline.yml", Path(args.output),
                                  args.jobs or default_jobs())
    with zipfile.ZipFile(bundle.path) as z:
        pages = sum(1 for n in z.namelist() if n.endswith(".html"))
    started = time.perf_counter()
    leaks = member_text_in(bundle.path)
    result = {
        "machine": {"cpus": len(os.sched_getaffinity(0)), "python": platform.python_version()},
        "jobs": args.jobs or default_jobs(),
        "files": bundle.files,
        "html_pages": pages,
        "unzipped_bytes": bundle.bytes,
        "zip_bytes": bundle.zip_bytes,
        "build_and_zip_seconds": round(bundle.seconds, 1),
        "leak_scan_seconds": round(time.perf_counter() - started, 1),
        "lines_with_member_text": leaks,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 1 if leaks else 0


if __name__ == "__main__":
    sys.exit(main())
