"""Command line: `python -m generator check` validates the data without building the site."""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from .schema import fields_markdown, json_schema
from .dataset import load_dataset
from .sources import check_all

SCHEMA_PATH = Path("data/schema.json")
JOBS_SCHEMA_PATH = Path("data/jobs.schema.json")
README = Path("README.md")
FIELDS_BLOCK = re.compile(r"(<!-- fields:start -->\n).*?(<!-- fields:end -->)", re.S)
JOB_FIELDS_BLOCK = re.compile(r"(<!-- job-fields:start -->\n).*?(<!-- job-fields:end -->)", re.S)


def _github(value: str, property_: bool = False) -> str:
    """A value escaped for a GitHub Actions workflow command, so that no newline in a record can
    start a command of its own (and no ':' or ',' end a property early)."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if property_ else value


def _check(args) -> int:
    """Check every registered data source (sources.py): code records, the job board, ..."""
    data = Path(args.data)
    errors = warnings = 0
    summaries = []
    for source, checked in check_all(data, Path.cwd()):
        for problem in checked.problems:
            prefix = "error" if problem.severity == "error" else "warning"
            errors, warnings = errors + (prefix == "error"), warnings + (prefix == "warning")
            if args.github:
                print(f"::{prefix} file={_github(problem.file, True)},line={problem.line}::"
                      f"{_github(str(problem))}")
            else:
                print(f"{prefix}: {problem}", file=sys.stderr)
        if checked.summary:
            summaries.append(checked.summary)
    print(f"{'; '.join(summaries)}; {errors} errors, {warnings} warnings", file=sys.stderr)
    return 1 if errors else 0


def _generated() -> dict[Path, str]:
    """Every file written from a declaration: the JSON Schemas and the README's field tables."""
    from .jobboard.model import fields_markdown as job_fields_markdown
    from .jobboard.model import json_schema as jobs_json_schema

    readme = README.read_text(encoding="utf-8")
    readme = FIELDS_BLOCK.sub(lambda m: m.group(1) + fields_markdown() + m.group(2), readme)
    readme = JOB_FIELDS_BLOCK.sub(lambda m: m.group(1) + job_fields_markdown() + m.group(2),
                                  readme)
    return {
        SCHEMA_PATH: json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n",
        JOBS_SCHEMA_PATH: json.dumps(jobs_json_schema(), indent=2, ensure_ascii=False) + "\n",
        README: readme,
    }


def _schema(args) -> int:
    """Write (or with --check, verify) the JSON Schemas and the README's field tables."""
    files = _generated()
    if args.output:
        files[Path(args.output)] = files.pop(SCHEMA_PATH)
    if args.check:
        stale = [str(p) for p, want in files.items()
                 if not p.exists() or p.read_text(encoding="utf-8") != want]
        if stale:
            print(f"{', '.join(stale)} out of date: run 'python -m generator schema'",
                  file=sys.stderr)
            return 1
        return 0
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    print(f"wrote {', '.join(str(p) for p in files)}", file=sys.stderr)
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
    check = sub.add_parser("check", help="validate every data source under data/ (records, jobs, ...) without building")
    check.add_argument("--data", default="data", help="the data folder (default: data)")
    check.add_argument("--github", action="store_true",
                       help="print problems as GitHub Actions annotations")
    check.set_defaults(func=_check)
    schema = sub.add_parser("schema", help="write the JSON Schemas editors use for data files "
                            "and the README's field tables")
    schema.add_argument("--output", help=f"where the records' schema goes (default: {SCHEMA_PATH})")
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
