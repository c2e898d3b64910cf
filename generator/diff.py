"""The change report: records added, removed and changed between two versions of data/, field
by field, as Markdown for a pull-request comment.

`python -m generator.diff BASE` (or `make diff BASE=origin/main`) compares data/ at the git ref
BASE with data/ in the working tree. Records are compared as the site publishes them (an
imported ICD-10-CM code with its curated overlay merged in); codes expanded with a 7th
character are left out, since they change only when the code they come from does.

Pull-request comments are public, so members-only sections are reported by their public parts
only (title and summary): a changed section body is named, never quoted.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import schema, systems
from .records import Record
from .dataset import load_dataset

COMMENT_LIMIT = 60_000   # GitHub refuses comments over 65,536 characters
SKIPPED = {"kind", "system", "code", "overlay"}   # identity, or bookkeeping


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class Report:
    added: list[Record]
    removed: list[Record]
    changed: list[tuple[Record, Record, list[Change]]]
    errors: list[str]

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


class DiffError(Exception):
    pass


def published(data_dir: Path, root: Path) -> tuple[dict[str, Record], list[str]]:
    """code -> record, for every record with a page except 7th-character expansions."""
    dataset = load_dataset(data_dir, root)
    records = {r.code: r for r in dataset.catalog.records
               if dataset.catalog.by_code.get(r.code) is r and not r.seventh}
    return records, [str(e) for e in dataset.errors]


def _text(value) -> str:
    """A field's value as one line of plain text, for a table cell."""
    if value is None or value == [] or value == {}:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return " ".join(str(value).split())


def _members(record: Record) -> list[str]:
    """Each section's public part: its title, and its summary (public by design)."""
    return [s.get("title", "") + (f" ({s['summary']})" if s.get("summary") else "")
            for s in record.members]


def field_changes(old: Record, new: Record) -> list[Change]:
    changes = []
    for f in schema.FIELDS:
        if f.name in SKIPPED or not hasattr(new, f.name):
            continue
        before, after = getattr(old, f.name), getattr(new, f.name)
        if before == after:
            continue
        if f.name == "members":
            old_titles, new_titles = _members(old), _members(new)
            if old_titles == new_titles:
                changed = [t for t, a, b in zip(new_titles, old.members, new.members)
                           if a.get("body") != b.get("body")]
                changes.append(Change("members", "", "text changed (members-only, not shown): "
                                      + "; ".join(changed)))
            else:
                changes.append(Change("members", "; ".join(old_titles), "; ".join(new_titles)))
            continue
        changes.append(Change(f.name, _text(before), _text(after)))
    return changes


def compare(old: dict[str, Record], new: dict[str, Record], errors: list[str] = ()) -> Report:
    order = lambda r: (r.kind != "modifier", r.system, systems.sort_key(r.code))  # noqa: E731
    added = sorted((r for c, r in new.items() if c not in old), key=order)
    removed = sorted((r for c, r in old.items() if c not in new), key=order)
    changed = []
    for record in sorted((r for c, r in new.items() if c in old), key=order):
        changes = field_changes(old[record.code], record)
        if changes:
            changed.append((old[record.code], record, changes))
    return Report(added, removed, changed, list(errors))


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;") \
        or "*(none)*"


def _name(record: Record) -> str:
    return f"{record.sys.label} {record.kind} `{record.code}` {_cell(record.title)}"


def _where(record: Record) -> str:
    return f"`{record.file}` line {record.line}"


def markdown(report: Report, base: str, limit: int = COMMENT_LIMIT) -> str:
    """The report as Markdown, cut to `limit` characters with a note saying so."""
    counts = f"{len(report.added)} added, {len(report.removed)} removed, " \
             f"{len(report.changed)} changed"
    lines = [f"## Data changes against `{base}`", ""]
    if report.errors:
        lines += [f"**The changed data has {len(report.errors)} error(s)**; "
                  "`make check` lists them.", ""]
    if report.empty:
        lines.append("No record was added, removed or changed.")
        return "\n".join(lines) + "\n"
    lines += [f"**{counts}** (records with a page; 7th-character codes follow their parent).", ""]
    if report.added:
        lines += ["### Added", ""]
        lines += [f"- {_name(r)} ({_where(r)})" for r in report.added] + [""]
    if report.removed:
        lines += ["### Removed", ""]
        lines += [f"- {_name(r)} (was {_where(r)})" for r in report.removed] + [""]
    if report.changed:
        lines += ["### Changed", ""]
        for _, new, changes in report.changed:
            lines += [f"#### {_name(new)}", "", f"{_where(new)}", "",
                      "| Field | Before | After |", "| --- | --- | --- |"]
            lines += [f"| {c.field} | {_cell(c.before)} | {_cell(c.after)} |" for c in changes]
            lines.append("")
    text = "\n".join(lines)
    if len(text) > limit:
        cut = text.rfind("\n", 0, limit - 200)
        text = text[:cut] + f"\n\n*The report is cut here ({len(text):,} characters in all); " \
                            "the full report is in the workflow's artifacts.*\n"
    return text


def data_at(ref: str, data: str, repo: Path, into: Path) -> Path:
    """Extract `data` as it is at git `ref` into `into`; returns the folder (maybe empty)."""
    done = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", ref, "--", data],
                          capture_output=True)
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip()
        if "did not match any files" in message:   # no data/ at all in that version
            (into / data).mkdir(parents=True, exist_ok=True)
            return into / data
        raise DiffError(f"cannot read {data}/ at '{ref}': {message}")
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
        archive.extractall(into, filter="data")
    return into / data


def diff(base: str, data: str = "data", repo: Path = Path(".")) -> Report:
    repo = repo.resolve()
    with tempfile.TemporaryDirectory() as scratch:
        old_dir = data_at(base, data, repo, Path(scratch))
        old, _ = published(old_dir, Path(scratch))
    new, errors = published(repo / data, repo)
    return compare(old, new, errors)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m generator.diff",
        description="list records added, removed and changed since a git ref, as Markdown")
    parser.add_argument("base", help="the git ref to compare with (origin/main, a commit, ...)")
    parser.add_argument("--data", default="data")
    parser.add_argument("--output", help="write the report here (default: print it)")
    parser.add_argument("--limit", type=int, default=COMMENT_LIMIT,
                        help="cut the report at this many characters (0: never)")
    parser.add_argument("--full", help="also write the whole report, never cut, here")
    args = parser.parse_args(argv)
    try:
        report = diff(args.base, args.data)
    except DiffError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.full:
        Path(args.full).write_text(markdown(report, args.base, sys.maxsize), encoding="utf-8")
    text = markdown(report, args.base, args.limit or sys.maxsize)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
