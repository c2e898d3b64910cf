"""Command line: `python -m generator check` validates the data without building the site."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import re

from .schema import fields_markdown, json_schema
from .site import load_dataset

SCHEMA_PATH = Path("data/schema.json")
README = Path("README.md")
FIELDS_BLOCK = re.compile(r"(<!-- fields:start -->\n).*?(<!-- fields:end -->)", re.S)


def _check(args) -> int:
    from . import jobs

    dataset = load_dataset(Path(args.data), Path.cwd())
    jobs_file = Path(args.data) / jobs.JOBS_FILE
    if jobs_file.exists():   # the job board is checked with the records it sits beside
        name = jobs_file.relative_to(Path.cwd()).as_posix() if jobs_file.is_absolute() else \
            jobs_file.as_posix()
        dataset.errors.extend(jobs.load_jobs(jobs_file, name)[1])
    for problem in dataset.errors + dataset.warnings:
        prefix = "error" if problem.severity == "error" else "warning"
        if args.github:
            print(f"::{prefix} file={problem.file},line={problem.line}::{problem}")
        else:
            print(f"{prefix}: {problem}", file=sys.stderr)
    counts = {}
    for r in dataset.catalog.records:
        counts[(r.kind, r.system)] = counts.get((r.kind, r.system), 0) + 1
    summary = ", ".join(f"{n} {s} {k}s" for (k, s), n in sorted(counts.items()))
    print(f"{len(dataset.catalog.records)} records ({summary}); "
          f"{len(dataset.errors)} errors, {len(dataset.warnings)} warnings", file=sys.stderr)
    return 1 if dataset.errors else 0


def _schema(args) -> int:
    """Write (or with --check, verify) the JSON Schema and the README's field table."""
    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    readme = README.read_text(encoding="utf-8")
    table = FIELDS_BLOCK.sub(lambda m: m.group(1) + fields_markdown() + m.group(2), readme)
    path = Path(args.output)
    if args.check:
        stale = [str(p) for p, want in ((path, text), (README, table))
                 if not p.exists() or p.read_text(encoding="utf-8") != want]
        if stale:
            print(f"{', '.join(stale)} out of date: run 'python -m generator schema'",
                  file=sys.stderr)
            return 1
        return 0
    path.write_text(text, encoding="utf-8")
    README.write_text(table, encoding="utf-8")
    print(f"wrote {path} and the field table in {README}", file=sys.stderr)
    return 0


def _import(args) -> int:
    from . import icd10cm

    if args.codeset == "history":   # release history and Medicare facts (generator/history/)
        from .history.importer import main as import_history
        return import_history(Path(args.data), Path(args.cache))

    xml = Path(args.xml) if args.xml else icd10cm.default_xml()
    data_dir = Path(args.data)
    try:
        files = icd10cm.import_tabular(xml, data_dir)
    except icd10cm.ImportError_ as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"{len(exc.problems)} errors; nothing was written", file=sys.stderr)
        return 1
    dataset = load_dataset(data_dir, Path.cwd())
    report = icd10cm.write_report(dataset, data_dir)
    for problem in dataset.errors:
        print(f"error: {problem}", file=sys.stderr)
    records = sum(len(r) for r in files.values())
    print(f"wrote {len(files)} files with {records} records to {data_dir / icd10cm.FOLDER}; "
          f"{len(dataset.reports)} unresolved references listed in {report}", file=sys.stderr)
    return 1 if dataset.errors else 0


def _build(args) -> int:
    from .build import build_site

    from .build import default_jobs, update_site

    if args.incremental:
        return update_site(Path(args.config), Path(args.site_dir))
    return build_site(Path(args.config), Path(args.site_dir), jobs=args.jobs or default_jobs())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate every record under data/ without building")
    check.add_argument("--data", default="data", help="the data folder (default: data)")
    check.add_argument("--github", action="store_true",
                       help="print problems as GitHub Actions annotations")
    check.set_defaults(func=_check)
    schema = sub.add_parser("schema", help="write the JSON Schema editors use for data files")
    schema.add_argument("--output", default=str(SCHEMA_PATH))
    schema.add_argument("--check", action="store_true", help="fail if the file is out of date")
    schema.set_defaults(func=_schema)
    imp = sub.add_parser("import", help="import a code set into data/")
    imp.add_argument("codeset", choices=["icd10cm", "history"])
    imp.add_argument("--xml", help="the tabular XML (default: the one in simple-icd-10-cm)")
    imp.add_argument("--data", default="data")
    imp.add_argument("--cache", default=".cache/history",
                     help="history: where pip puts the FY2025 wheel it downloads")
    imp.set_defaults(func=_import)
    build = sub.add_parser("build", help="build the site with MkDocs, replacing the output "
                           "folder only if the build succeeds")
    build.add_argument("--config", default="mkdocs.yml")
    build.add_argument("--site-dir", default="site")
    build.add_argument("--jobs", type=int, default=0,
                       help="parallel MkDocs processes (default: one per core, at most 4)")
    build.add_argument("--incremental", action="store_true",
                       help="rebuild in place only the pages affected by data changes since "
                            "the last build of --site-dir")
    build.set_defaults(func=_build)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
