"""Loading and validating YAML records.

`load_records` reads every YAML file under the data folder (`yamlfile.read`: safe, limited,
one clear problem for a file that cannot be read), keeps the line of every record and field,
checks each record against the declarations in `schema.py` through the field kit and returns
the records with every problem found, so that an editor sees all errors at once. The `Record`
model is derived from the same declarations.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import field
from pathlib import Path

import yaml

from . import schema, systems, yamlfile
from .fields import INVALID, Object, model
from .schema import FIELDS, FIELDS_BY_NAME, RELATIONS, SOURCE_FIELDS
from .yamlfile import Checker, Problem, check_mapping, describe, line, text

__all__ = ["Problem", "Record", "load_file", "load_records", "data_files"]


class _RecordBase:
    """What every record has besides its fields (see `Record`)."""

    __slots__ = ()

    @property
    def label(self) -> str:
        return f"{self.kind} '{self.code}'"

    @property
    def sys(self) -> systems.System:
        return systems.SYSTEMS[self.system]

    @property
    def src_uri(self) -> str:
        """Where the record's page lives in the docs tree: 'modifiers/53.md', 'cpt/99213.md'."""
        folder = systems.MODIFIER_FOLDER if self.kind == "modifier" else self.sys.folder
        return f"{folder}/{self.code}.md"

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)


# One attribute per field of schema.FIELDS, then what loading adds.
Record = model("Record", FIELDS, _RecordBase, [
    ("file", "str"),
    ("line", "int"),
    ("lines", "dict[str, int]", field(default_factory=dict)),  # field name -> line in the file
    ("imported", "bool", field(default=False)),   # from an importer's folder (data/icd-10-cm/)
    ("seventh", "str | None", field(default=None)),   # on a code expanded with a 7th character
    ("billable", "bool | None", field(default=None)),   # ICD-10-CM: valid for HIPAA transactions
    ("overlay_from", "Record | None", field(default=None)),   # the overlay merged into this one
], __name__, slots=True)
Record.__doc__ = "A code record, with one attribute per field declared in schema.FIELDS."


class _All(frozenset):
    """Every code: what `broken` becomes when a whole file could not be read, so references to
    the records it held are not reported as knock-on problems of that one."""

    def __contains__(self, code) -> bool:
        return True


class _Checker(Checker):
    def __init__(self, file: str, imported: bool = False):
        super().__init__(file)
        self.imported = imported
        self.default_source: dict | None = None
        self.broken: set[str] = set()   # codes of records that failed, so others' links to them
                                        # are not reported a second time


def _check_record(chk: _Checker, node: yaml.Node, index: int):
    if not isinstance(node, yaml.MappingNode):
        chk.add(line(node), f"record {index}", "",
                f"expected a mapping of fields (kind, system, code, ...), found {describe(node)}")
        return None
    code = text(next((v for k, v in node.value if text(k) == "code"), None))
    kind = text(next((v for k, v in node.value if text(k) == "kind"), None))
    label = f"{kind if kind in schema.KINDS else 'record'} '{code}'" if code else f"record {index}"

    values, lines = check_mapping(chk, node, FIELDS_BY_NAME, label)
    ok = len(values) == len(node.value)
    overlay = text(values.get("overlay")) == "true"
    for f in FIELDS:
        if f.name in values or not f.required:
            continue
        if f.name == "source" and chk.default_source is not None:
            continue
        if f.name == "title" and overlay:
            continue
        chk.add(line(node), label, f.name, f"is required but missing ({f.description})")
        ok = False
    system = text(values.get("system"))
    data: dict = {}
    for name, vnode in values.items():
        f = FIELDS_BY_NAME[name]
        if system in schema.SYSTEMS and system not in f.systems:
            chk.add(lines[name], label, name, f"is only for {', '.join(f.systems)} records")
            ok = False
            continue
        if kind in schema.KINDS and kind not in f.kinds:
            chk.add(lines[name], label, name,
                    f"is only for {', '.join(k + 's' for k in f.kinds)}")
            ok = False
            continue
        if overlay and f.overlay is None:
            chk.add(lines[name], label, name, "is taken from the imported code; an overlay "
                    "adds notes, relations or members-only sections only, so remove it")
            ok = False
            continue
        value = f.check(chk, vnode, label, name, lines)
        if value is INVALID:
            ok = False
        else:
            data[name] = value
    if not ok or not {"kind", "system", "code"} <= data.keys():
        return None
    data.setdefault("title", "")
    data.setdefault("source", chk.default_source)

    record = Record(file=chk.file, line=line(node), lines=lines, imported=chk.imported, **data)
    _check_code(chk, record)
    if record.official_descriptor and not record.sys.public_domain:
        chk.add(lines["official_descriptor"], label, "official_descriptor",
                f"is not allowed for {record.sys.label}: its descriptors are licensed text; write "
                "an original summary in 'description' instead")
    if record.effective and record.end and record.end < record.effective:
        chk.add(lines["end"], label, "end",
                f"is {record.end.isoformat()}, before 'effective' {record.effective.isoformat()}")
    for name in record.relations:
        if RELATIONS[name].icd_only and record.system != "icd-10-cm":
            chk.add(lines["relations"], label, f"relations.{name}",
                    "is an ICD-10-CM note type; use see_also, related, confused_with or replaces")
    for target in record.applies_to:
        _check_applies_to(chk, record, target)
    return record


def _check_code(chk: _Checker, r: Record) -> None:
    system = r.sys
    line = r.line_of("code")
    if r.kind == "modifier":
        if system.modifier_pattern is None:
            chk.add(line, r.label, "system", f"{system.label} has no modifiers; "
                    "modifiers are cpt or hcpcs")
        elif not systems.is_modifier(system, r.code):
            chk.add(line, r.label, "code", f"is not a {system.label} modifier: expected "
                    f"{system.modifier_hint}, found '{r.code}'")
    elif r.kind == "code":
        if not systems.is_code(system, r.code):
            hint = systems.dotless_hint(r.code) if r.system == "icd-10-cm" else None
            fix = f" (did you mean '{hint}'?)" if hint else ""
            chk.add(line, r.label, "code", f"is not a {system.label} code: expected "
                    f"{system.code_hint}, found '{r.code}'{fix}")
    else:
        _, problem = systems.parse_range(r.code, system)
        if problem:
            chk.add(line, r.label, "code", f"is not a valid range: {problem}")


def _check_applies_to(chk: _Checker, r: Record, target: str) -> None:
    line = r.line_of("applies_to")
    if "-" in target:
        first = target.split("-", 1)[0]
        system = systems.system_of_code(first)
        if system is None:
            chk.add(line, r.label, "applies_to", f"has '{target}', which is not a range of codes "
                    "(expected FIRST-LAST, e.g. 10004-69990)")
            return
        _, problem = systems.parse_range(target, system)
        if problem:
            chk.add(line, r.label, "applies_to", f"has a bad range: {problem}")
    elif systems.system_of_code(target) is None:
        chk.add(line, r.label, "applies_to",
                f"has '{target}', which is neither a code nor a range of codes")


_SOURCE = Object("source", "", SOURCE_FIELDS)


def load_file(path: Path, name: str, imported: bool = False):
    """Read one data file; `name` is how messages refer to it (its path from the repo root).

    Returns the valid records, the problems, and the codes of records too broken to load (all
    codes when the file as a whole could not be read)."""
    chk = _Checker(name, imported)
    root = yamlfile.read(path, chk, "put the records in a 'records:' list")
    if root is None:
        return [], chk.problems, _All()
    if not isinstance(root, yaml.MappingNode):
        chk.add(line(root), "", "", f"expected a mapping with a 'records' list, found "
                f"{describe(root)}")
        return [], chk.problems, _All()
    values, _ = check_mapping(chk, root, schema.FILE_KEYS, "")
    if "records" not in values:
        chk.add(line(root), "", "records", "is required: put the records in a 'records:' list")
        return [], chk.problems, _All()
    if "source" in values:
        source = _SOURCE.check(chk, values["source"], "", "source", {})
        if source is not INVALID:
            chk.default_source = source
    node = values["records"]
    if not isinstance(node, yaml.SequenceNode):
        chk.add(line(node), "", "records", f"expected a list of records, found {describe(node)}")
        return [], chk.problems, _All()
    records = []
    for i, item in enumerate(node.value, 1):
        record = _check_record(chk, item, i)
        if record is not None:
            records.append(record)
        elif isinstance(item, yaml.MappingNode):
            code = text(next((v for k, v in item.value if text(k) == "code"), None))
            if code:
                chk.broken.add(code.strip().upper())
    return records, chk.problems, chk.broken


# Folders under data/ written by importers: their records are official text, and a code
# reference in them that leads nowhere is the publisher's, reported but not an editor's error.
IMPORTED = {"icd-10-cm"}
DATA_SUFFIXES = (".yaml", ".yml")
OTHER_SUFFIXES = (".json", ".md")   # JSON Schemas for editors, importers' reports


def _files(data_dir: Path) -> list[Path]:
    """Every file and symbolic link under data/ that the code records own. Symbolic links are
    listed (as stray files) but never followed: a link to a file outside the repository must
    not end up quoted in a check's messages.

    Dot-folders are an importer's work in progress (see icd10cm.write_files): never data.
    Files another data source owns (sources.py: data/jobs.yaml, ...) are read by that source."""
    from .sources import claimed

    others = [Path(name).parts for name in claimed()]
    found = []
    for folder, dirs, names in os.walk(data_dir):
        here = Path(folder)
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += [here / n for n in names if not n.startswith(".")]
        found += [here / d for d in dirs if (here / d).is_symlink()]
    return sorted(p for p in found if not any(
        p.relative_to(data_dir).parts[:len(other)] == other for other in others))


def data_files(data_dir: Path) -> list[Path]:
    return [p for p in _files(data_dir) if p.suffix in DATA_SUFFIXES and not p.is_symlink()]


def stray_files(data_dir: Path, root: Path) -> list[Problem]:
    """A problem for every file under data/ that no source reads: 'codes.YAML' is not
    silently skipped, and a symbolic link is not followed."""
    problems = []
    for path in _files(data_dir):
        if path.is_symlink():
            hint = "it is a symbolic link; data files are plain files in the repository"
        elif path.suffix in DATA_SUFFIXES or path.suffix in OTHER_SUFFIXES:
            continue
        elif path.suffix.lower() in DATA_SUFFIXES:
            hint = (f"data files end in lower-case .yaml or .yml, so rename it to "
                    f"'{path.stem}{path.suffix.lower()}'")
        else:
            hint = "data files end in .yaml or .yml: rename it, or move it out of data/"
        problems.append(Problem(_name(path, root), 1, "", "", f"is not read: {hint}"))
    return problems


def _name(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _code_version() -> str:
    """Cached files are parsed again when the code that checks them changes."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in ("records.py", "schema.py", "fields.py", "prose.py", "yamlfile.py", "systems.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def load_records(data_dir: Path, root: Path | None = None, cache: Path | None = None):
    """Load and check every YAML file under `data_dir`; names in messages are relative to `root`.

    Returns the valid records, the problems, and the codes of records too broken to load. With
    `cache`, a file unchanged since the last load (same size and modification time) is taken
    from the pickle of that file beside `cache` (an index of the files) instead of parsed
    again: an editor's incremental build re-reads and re-writes one file, not 300.
    """
    root = root or data_dir.parent
    records: list[Record] = []
    problems: list[Problem] = stray_files(data_dir, root)
    broken: set[str] = set()
    version = _code_version() if cache else ""
    previous = _read_cache(cache, version) if cache else {}
    current, fresh = {}, {}
    for path in data_files(data_dir):
        name = _name(path, root)
        imported = path.parent != data_dir and path.relative_to(data_dir).parts[0] in IMPORTED
        stat = path.stat()
        key = (stat.st_size, stat.st_mtime_ns, imported)
        loaded = _read_entry(cache, name, version) if previous.get(name) == key else None
        if loaded is None:
            loaded = fresh[name] = load_file(path, name, imported)
        current[name] = key
        found, issues, failed = loaded
        records.extend(found)
        problems.extend(issues)
        if not isinstance(broken, _All):
            broken = failed if isinstance(failed, _All) else broken | failed
    # Written before the caller changes any record (overlays, 7th characters), so the cache
    # holds the files as read.
    if cache and (fresh or current != previous):
        _write_cache(cache, version, current, fresh)
    return records, problems, broken


def _entry_path(cache: Path, name: str) -> Path:
    return cache.with_suffix("") / (hashlib.sha1(name.encode()).hexdigest()[:20] + ".pickle")


def _unpickle(path: Path):
    try:
        return pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError,
            ImportError, IndexError):
        return None


def _read_cache(path: Path, version: str) -> dict:
    """The index: data file name -> (size, modification time, imported) when it was cached."""
    stored = _unpickle(path)
    return stored.get(version, {}) if isinstance(stored, dict) else {}


def _read_entry(cache: Path, name: str, version: str):
    """One file's (records, problems, broken codes) as cached, or None."""
    stored = _unpickle(_entry_path(cache, name))
    if isinstance(stored, tuple) and len(stored) == 3 and stored[:2] == (version, name):
        return stored[2]
    return None


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def _write_cache(path: Path, version: str, index: dict, fresh: dict) -> None:
    folder = path.with_suffix("")
    folder.mkdir(parents=True, exist_ok=True)
    for name, loaded in fresh.items():
        _atomic_write(_entry_path(path, name),
                      pickle.dumps((version, name, loaded), pickle.HIGHEST_PROTOCOL))
    _atomic_write(path, pickle.dumps({version: index}, pickle.HIGHEST_PROTOCOL))
    keep = {_entry_path(path, name).name for name in index}
    for stale in folder.glob("*.pickle"):   # files removed from data/
        if stale.name not in keep:
            stale.unlink(missing_ok=True)
