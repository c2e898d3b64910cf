"""The data sources under data/, so that `python -m generator check` runs every one of them.

Each source owns some files under data/ and has a check function `(data_dir, root) -> Checked`.
The code records own every YAML file no other source claims. A new source (the search
engineer's synonyms file, say) adds one line to SOURCES and needs nothing else here.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from .yamlfile import Problem


@dataclass(frozen=True)
class Source:
    name: str
    files: tuple[str, ...]   # files or folders under data/ it reads; () for the code records
    check: str               # "module:function", imported only when the source is checked;
                             # "" when the build reads it and `check` has nothing to add


@dataclass
class Checked:
    problems: list[Problem]   # errors and warnings, sorted by file and line
    summary: str              # one line for the command's report: "12 jobs (9 open)"


SOURCES: tuple[Source, ...] = (
    Source("records", (), "generator.sources:check_records"),
    Source("jobs", ("jobs.yaml",), "generator.jobboard.loading:check"),
    Source("synonyms", ("synonyms.yaml",), "generator.synonyms:check_source"),
    # TSV and JSON written by `make import-history`, read by generator/history/ at build time.
    Source("history", ("icd-10-cm-history",), ""),
)


def claimed() -> set[str]:
    """Files and folders under data/ that a source other than the code records reads."""
    return {name for s in SOURCES for name in s.files}


def check_all(data_dir: Path, root: Path) -> list[tuple[Source, Checked]]:
    """Every source's problems; a source whose files are absent reports nothing."""
    out = []
    for source in SOURCES:
        if not source.check:
            continue
        module, _, name = source.check.partition(":")
        out.append((source, getattr(importlib.import_module(module), name)(data_dir, root)))
    return out


def check_records(data_dir: Path, root: Path) -> Checked:
    from .dataset import load_dataset

    dataset = load_dataset(data_dir, root)
    counts: dict = {}
    for r in dataset.catalog.records:
        counts[(r.kind, r.system)] = counts.get((r.kind, r.system), 0) + 1
    summary = ", ".join(f"{n} {s} {k}s" for (k, s), n in sorted(counts.items()))
    return Checked(dataset.errors + dataset.warnings, f"{len(dataset.catalog.records)} records"
                   + (f" ({summary})" if summary else ""))
