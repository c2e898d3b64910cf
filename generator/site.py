"""The whole data set, checked and cross-linked: what both the CLI and the plugin start from."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import overlays, tabular
from .links import Catalog, build_catalog
from .records import Problem, load_records


@dataclass
class Dataset:
    catalog: Catalog
    errors: list[Problem]
    warnings: list[Problem]
    reports: list[Problem]   # dangling references in imported official text, for the report


def load_dataset(data_dir: Path, root: Path | None = None, cache: Path | None = None) -> Dataset:
    """Load, validate and cross-link every record; problems come sorted by file and line."""
    records, problems, broken = load_records(data_dir, root, cache)
    records, overlay_problems = overlays.apply_overlays(records, broken)
    records = tabular.expand_codes(records)
    catalog, link_problems = build_catalog(records, broken)
    problems += overlay_problems
    problems = sorted(problems + link_problems, key=lambda p: (p.file, p.line, p.field))
    return Dataset(
        catalog=catalog,
        errors=[p for p in problems if p.severity == "error"],
        warnings=[p for p in problems if p.severity == "warning"],
        reports=[p for p in problems if p.severity == "report"],
    )
