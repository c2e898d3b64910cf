"""The data set: every record loaded, checked and cross-linked, with the problems found.

What the command line (`check`, `import`) and the MkDocs plugin both start from; the output folder
is not its business (see build.py)."""
from __future__ import annotations

import gc
import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
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
    # Files beside the records whose change rebuilds every page (release history).
    inputs: list[Path] = field(default_factory=list)


@contextmanager
def _no_collection(freeze: bool = False):
    """Python's cycle collector off while the data set is made: it runs every few hundred
    thousand new objects and walks every live one, so building 98,700 records and their
    indexes spent about half its time collecting nothing (none of them forms a cycle).
    `freeze`: what exists at the end is moved out of the collector's reach before it is turned
    back on, or its first run walks it all once more."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


def load_dataset(data_dir: Path, root: Path | None = None, cache: Path | None = None) -> Dataset:
    """Load, validate and cross-link every record; problems come sorted by file and line."""
    with _no_collection():
        return _load(data_dir, root, cache)


def _load(data_dir: Path, root: Path | None, cache: Path | None) -> Dataset:
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


class DataError(Exception):
    """The data set has errors; the message lists every one of them."""


def load_checked(data_dir: Path, root: Path, cache: Path | None, log: logging.Logger,
                 warn: bool = True) -> Dataset:
    """`load_dataset` for a build: warnings and unresolved references logged, a DataError
    listing every error at once, and the ICD-10-CM release history attached (`warn`: say when
    the release is out of date; one build process of several says it)."""
    from . import history

    # The data set lives as long as the build: the collector need not walk it again and again
    # while the pages are made (generator.serve, a long-lived process, unfreezes it between
    # builds).
    with _no_collection(freeze=True):
        dataset = load_dataset(data_dir, root, cache)
        for warning in dataset.warnings:
            log.warning(str(warning))
        if dataset.reports:
            log.info(f"{len(dataset.reports)} references in imported official text lead "
                     "nowhere; they stay plain text (see data/icd-10-cm/unresolved-references.md)")
        if dataset.errors:
            raise DataError(f"{len(dataset.errors)} error(s) in {data_dir.name}/:\n"
                            + "\n".join(str(e) for e in dataset.errors))
        history.attach(dataset.catalog, data_dir, warn=warn)
    dataset.inputs.append(data_dir / history.FOLDER)
    return dataset
