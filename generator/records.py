"""Loading and validating YAML records.

`load_records` reads every YAML file under the data folder with PyYAML's safe loader, keeps the
line of every record and field, checks each record against the schema in `schema.py` and
returns the records with every problem found, so that an editor sees all errors at once.
"""
from __future__ import annotations

import datetime as dt
import os
import pickle
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import schema, systems
from .schema import FIELDS_BY_NAME, RELATIONS, SECTION_FIELDS, SOURCE_FIELDS, Field
from .systems import SYSTEMS

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Loader = yaml.SafeLoader


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located precisely enough for an editor to fix it."""

    file: str
    line: int
    record: str          # "modifier '53'", or "" for a problem with the file itself
    field: str           # "relations.see_also", or "" when not about one field
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: "
        who = f"{self.record}: " if self.record else ""
        what = f"'{self.field}' " if self.field else ""
        return f"{where}{who}{what}{self.message}"


@dataclass
class Record:
    kind: str
    system: str
    code: str
    title: str
    file: str
    line: int
    official_descriptor: str | None = None
    description: str | None = None
    use_when: list[str] = field(default_factory=list)
    do_not_use_when: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    relations: dict[str, list[str]] = field(default_factory=dict)
    applies_to: list[str] = field(default_factory=list)
    effective: dt.date | None = None
    end: dt.date | None = None
    status: str = "active"
    source: dict[str, str] = field(default_factory=dict)
    members: list[dict[str, str]] = field(default_factory=list)
    chapter: str | None = None
    inclusion_terms: list[str] = field(default_factory=list)
    includes: list[str] = field(default_factory=list)
    instructions: dict[str, list[str]] = field(default_factory=dict)
    seven_chr_def: dict[str, str] = field(default_factory=dict)
    seven_chr_includes: dict[str, list[str]] = field(default_factory=dict)
    seven_chr_note: list[str] = field(default_factory=list)
    seven_chr_limits: dict[str, list[str]] = field(default_factory=dict)
    tables: list[str] = field(default_factory=list)
    overlay: bool = False
    lines: dict[str, int] = field(default_factory=dict)   # field name -> line in the file
    # Set when loading, not read from YAML:
    imported: bool = False        # from an importer's folder (data/icd-10-cm/), not curated
    seventh: str | None = None    # on a code expanded with a 7th character: that character
    billable: bool | None = None  # ICD-10-CM: valid for HIPAA transactions (a leaf code)
    overlay_from: "Record | None" = None  # the curated overlay merged into this record

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


_NULLS = {"", "~", "null", "Null", "NULL"}


class _Checker:
    """Collects problems for one file."""

    def __init__(self, file: str, imported: bool = False):
        self.file = file
        self.imported = imported
        self.default_source: dict | None = None
        self.problems: list[Problem] = []
        self.broken: set[str] = set()   # codes of records that failed, so others' links to them
                                        # are not reported a second time

    def add(self, line: int, record: str, field_name: str, message: str, severity: str = "error"):
        self.problems.append(Problem(self.file, line, record, field_name, message, severity))


def _mapping(node: yaml.Node) -> bool:
    return isinstance(node, yaml.MappingNode)


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == "tag:yaml.org,2002:null" and node.value in _NULLS:
        return "nothing"
    return f"'{node.value}'"


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _text(node: yaml.Node) -> str | None:
    if isinstance(node, yaml.ScalarNode) and not (
        node.tag == "tag:yaml.org,2002:null" and node.value in _NULLS
    ):
        return node.value
    return None


_SCHEME = re.compile(r"\]\(\s*<?\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


def _check_markdown(chk: _Checker, node: yaml.Node, label: str, name: str) -> str | None:
    value = _text(node)
    if value is None:
        chk.add(_line(node), label, name, f"expected Markdown text, found {_describe(node)}")
        return None
    for match in _SCHEME.finditer(value):
        if match.group(1).lower() not in ("http", "https", "mailto"):
            chk.add(_line(node), label, name,
                    f"links to a '{match.group(1)}:' URL; only http, https and mailto links are "
                    "allowed")
    return value


def _check_date(chk: _Checker, node: yaml.Node, label: str, name: str) -> dt.date | None:
    value = _text(node)
    if value is not None and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    chk.add(_line(node), label, name,
            f"expected a date as YYYY-MM-DD (2026-01-01), found {_describe(node)}")
    return None


def _unknown(chk: _Checker, key: str, known, line: int, label: str, where: str) -> None:
    guess = difflib.get_close_matches(key, list(known), n=1)
    hint = f"; did you mean '{guess[0]}'?" if guess else f"; known fields: {', '.join(known)}"
    chk.add(line, label, key, f"is not a known field{where}{hint}")


def _fields(chk: _Checker, node: yaml.MappingNode, known, label: str, prefix: str = ""):
    """Map field name -> value node, reporting unknown and repeated keys."""
    seen: dict[str, yaml.Node] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
        if key in seen:
            chk.add(_line(key_node), label, prefix + key,
                    f"appears twice (first on line {lines[key]}); keep one")
            continue
        if key not in known:
            _unknown(chk, prefix + key, [prefix + k for k in known], _line(key_node), label,
                     "" if not prefix else f" of '{prefix[:-1]}'")
            continue
        seen[key] = value_node
        lines[key] = _line(key_node)
    return seen, lines


def _check_record(chk: _Checker, node: yaml.Node, index: int) -> Record | None:
    if not _mapping(node):
        chk.add(_line(node), f"record {index}", "",
                f"expected a mapping of fields (kind, system, code, ...), found {_describe(node)}")
        return None
    code_node = next((v for k, v in node.value if getattr(k, "value", None) == "code"), None)
    kind_node = next((v for k, v in node.value if getattr(k, "value", None) == "kind"), None)
    code = _text(code_node) if code_node is not None else None
    kind = _text(kind_node) if kind_node is not None else None
    label = f"{kind if kind in schema.KINDS else 'record'} '{code}'" if code else f"record {index}"

    values, lines = _fields(chk, node, FIELDS_BY_NAME, label)
    ok = True
    overlay = _text(values["overlay"]) == "true" if "overlay" in values else False
    for f in schema.FIELDS:
        if f.name in values or not f.required:
            continue
        if f.name == "source" and chk.default_source is not None:
            continue
        if f.name == "title" and overlay:
            continue
        chk.add(_line(node), label, f.name, f"is required but missing ({f.description})")
        ok = False
    system = _text(values["system"]) if "system" in values else None
    for name in values:
        allowed = FIELDS_BY_NAME[name].systems
        if system in SYSTEMS and system not in allowed:
            chk.add(lines[name], label, name, f"is only for {', '.join(allowed)} records")
            ok = False

    data: dict = {}
    for name, vnode in values.items():
        f = FIELDS_BY_NAME[name]
        value = _check_field(chk, f, vnode, label, lines)
        if value is _INVALID:
            ok = False
        else:
            data[name] = value
    if kind in schema.KINDS and "applies_to" in values and kind not in FIELDS_BY_NAME["applies_to"].kinds:
        chk.add(lines["applies_to"], label, "applies_to", "is only for modifiers")
        ok = False
    if overlay and "title" in data:
        chk.add(lines["title"], label, "title", "is taken from the imported code; an overlay adds "
                "notes, relations or members-only sections only, so remove it")
        ok = False
    if not ok or not {"kind", "system", "code"} <= data.keys():
        return None
    data.setdefault("title", "")
    data.setdefault("source", chk.default_source)

    record = Record(file=chk.file, line=_line(node), lines=lines, imported=chk.imported, **data)
    _check_code(chk, record)
    if record.official_descriptor and not record.sys.public_domain:
        chk.add(lines["official_descriptor"], label, "official_descriptor",
                f"is not allowed for {record.sys.label}: its descriptors are licensed text; write "
                "an original summary in 'description' instead")
    if record.effective and record.end and record.end < record.effective:
        chk.add(lines["end"], label, "end",
                f"is {record.end.isoformat()}, before 'effective' {record.effective.isoformat()}")
    for name, types in record.relations.items():
        rtype = RELATIONS[name]
        if rtype.icd_only and record.system != "icd-10-cm":
            chk.add(lines["relations"], label, f"relations.{name}",
                    "is an ICD-10-CM note type; use see_also, related, confused_with or replaces")
    for target in record.applies_to:
        _check_applies_to(chk, record, target)
    return record


_INVALID = object()


def _check_field(chk: _Checker, f: Field, node: yaml.Node, label: str, item_lines: dict):
    name = f.name
    if f.type == "choice":
        value = _text(node)
        if value not in f.choices:
            chk.add(_line(node), label, name,
                    f"must be one of {', '.join(f.choices)}; found {_describe(node)}")
            return _INVALID
        return value
    if f.type in ("code", "string", "text"):
        value = _text(node)
        if value is None or not value.strip():
            chk.add(_line(node), label, name, f"expected text, found {_describe(node)}")
            return _INVALID
        return value.strip()
    if f.type == "markdown":
        value = _check_markdown(chk, node, label, name)
        return _INVALID if value is None else value
    if f.type == "date":
        value = _check_date(chk, node, label, name)
        return _INVALID if value is None else value
    if f.type == "object":
        if not _mapping(node):
            chk.add(_line(node), label, name, f"expected a mapping with "
                    f"{', '.join(s.name for s in f.subfields)}; found {_describe(node)}")
            return _INVALID
        sub, _ = _fields(chk, node, {s.name: s for s in f.subfields}, label, name + ".")
        out = {}
        for s in f.subfields:
            if s.name not in sub:
                if s.required:
                    chk.add(_line(node), label, f"{name}.{s.name}",
                            f"is required but missing ({s.description})")
                continue
            value = (_check_date(chk, sub[s.name], label, f"{name}.{s.name}") if s.type == "date"
                     else _text(sub[s.name]))
            if value is None:
                if s.type != "date":
                    chk.add(_line(sub[s.name]), label, f"{name}.{s.name}",
                            f"expected text, found {_describe(sub[s.name])}")
                continue
            out[s.name] = value if s.type == "date" else value.strip()
        if "url" in out and not re.match(r"https?://", out["url"]):
            chk.add(_line(sub["url"]), label, f"{name}.url",
                    f"must be an http or https address, found '{out['url']}'")
            del out["url"]
        return out
    if f.type == "bool":
        value = _text(node)
        if value not in ("true", "false"):
            chk.add(_line(node), label, name, f"must be true or false; found {_describe(node)}")
            return _INVALID
        return value == "true"
    if f.type in ("textmap", "listmap"):
        if not _mapping(node):
            chk.add(_line(node), label, name, f"expected a mapping, found {_describe(node)}")
            return _INVALID
        known = f.choices or [_text(k) or "" for k, _ in node.value]
        sub, _ = _fields(chk, node, known, label, name + ".")
        out = {}
        for key, vnode in sub.items():
            if f.type == "textmap":
                value = _text(vnode)
                if value is None:
                    chk.add(_line(vnode), label, f"{name}.{key}",
                            f"expected text, found {_describe(vnode)}")
                    continue
                out[key] = value.strip()
            else:
                items = _list_of_text(chk, vnode, label, f"{name}.{key}", "texts")
                if items is not None:
                    out[key] = items
        return out
    if f.type == "relations":
        if not _mapping(node):
            chk.add(_line(node), label, name, "expected a mapping from relation type ("
                    f"{', '.join(RELATIONS)}) to a list of codes; found {_describe(node)}")
            return _INVALID
        sub, _ = _fields(chk, node, RELATIONS, label, "relations.")
        out = {}
        for key, lnode in sub.items():
            items = _list_of_text(chk, lnode, label, f"relations.{key}", "codes")
            if items is not None:
                out[key] = items
                for i, item in enumerate(lnode.value):
                    item_lines[f"relations.{key}.{i}"] = _line(item)
        return out
    if f.type == "list":
        if f.items == "section":
            if not isinstance(node, yaml.SequenceNode):
                chk.add(_line(node), label, name,
                        f"expected a list of sections with title and body; found {_describe(node)}")
                return _INVALID
            out = []
            for i, item in enumerate(node.value, 1):
                where = f"{name}[{i}]"
                if not _mapping(item):
                    chk.add(_line(item), label, where,
                            f"expected a section with title and body; found {_describe(item)}")
                    continue
                sub, _ = _fields(chk, item, {s.name: s for s in SECTION_FIELDS}, label, where + ".")
                section = {}
                for s in SECTION_FIELDS:
                    if s.name not in sub:
                        chk.add(_line(item), label, f"{where}.{s.name}",
                                f"is required but missing ({s.description})")
                        continue
                    value = (_check_markdown(chk, sub[s.name], label, f"{where}.{s.name}")
                             if s.type == "markdown" else _text(sub[s.name]))
                    if value is None and s.type != "markdown":
                        chk.add(_line(sub[s.name]), label, f"{where}.{s.name}",
                                f"expected text, found {_describe(sub[s.name])}")
                    if value is not None:
                        section[s.name] = value.strip()
                if len(section) == len(SECTION_FIELDS):
                    out.append(section)
            return out
        items = _list_of_text(chk, node, label, name, {"markdown": "Markdown texts",
                                                       "text": "texts"}.get(f.items,
                                                                            "codes or ranges"))
        if items is None:
            return _INVALID
        if f.items == "markdown":
            for item_node in node.value:
                if _text(item_node) is not None:
                    _check_markdown(chk, item_node, label, name)
        return items
    raise AssertionError(f"unhandled field type {f.type}")  # pragma: no cover


def _list_of_text(chk: _Checker, node: yaml.Node, label: str, name: str, what: str):
    if not isinstance(node, yaml.SequenceNode):
        chk.add(_line(node), label, name, f"expected a list of {what}, found {_describe(node)}")
        return None
    out = []
    for item in node.value:
        value = _text(item)
        if value is None or not value.strip():
            hint = (" (put text that contains ': ' in quotes)"
                    if isinstance(item, yaml.MappingNode) else "")
            chk.add(_line(item), label, name, f"expected a list of {what}, found an item that is "
                    f"{_describe(item)}{hint}")
            continue
        out.append(value.strip())
    return out


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


def load_file(path: Path, name: str, imported: bool = False):
    """Read one data file; `name` is how messages refer to it (its path from the repo root).

    Returns the valid records, the problems, and the codes of records too broken to load.
    """
    chk = _Checker(name, imported)
    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=_Loader)
    except UnicodeDecodeError as exc:
        chk.add(1, "", "", f"is not UTF-8 text: {exc.reason}")
        return [], chk.problems, chk.broken
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 1
        what = getattr(exc, "problem", None) or str(exc)
        chk.add(line, "", "", f"is not valid YAML: {what}; check indentation and quoting")
        return [], chk.problems, chk.broken
    if root is None:
        return [], [], set()
    if not _mapping(root):
        chk.add(_line(root), "", "", f"expected a mapping with a 'records' list, found "
                f"{_describe(root)}")
        return [], chk.problems, chk.broken
    values, _ = _fields(chk, root, schema.FILE_KEYS, "")
    if "records" not in values:
        chk.add(_line(root), "", "records", "is required: put the records in a 'records:' list")
        return [], chk.problems, chk.broken
    if "source" in values:
        source = _check_field(chk, FIELDS_BY_NAME["source"], values["source"], "", {})
        if source is not _INVALID:
            chk.default_source = source
    node = values["records"]
    if not isinstance(node, yaml.SequenceNode):
        chk.add(_line(node), "", "records", f"expected a list of records, found {_describe(node)}")
        return [], chk.problems, chk.broken
    records = []
    for i, item in enumerate(node.value, 1):
        record = _check_record(chk, item, i)
        if record is not None:
            records.append(record)
        elif _mapping(item):
            code = next((_text(v) for k, v in item.value if getattr(k, "value", None) == "code"),
                        None)
            if code:
                chk.broken.add(code.strip().upper())
    return records, chk.problems, chk.broken


# Folders under data/ written by importers: their records are official text, and a code
# reference in them that leads nowhere is the publisher's, reported but not an editor's error.
IMPORTED = {"icd-10-cm"}


def data_files(data_dir: Path) -> list[Path]:
    # Dot-folders are an importer's work in progress (see icd10cm.write_files): never data.
    # data/jobs.yaml holds job postings, not code records: generator/jobs.py loads it; and
    # data/synonyms.yaml the search synonyms: generator/synonyms.py.
    return sorted(p for p in data_dir.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()
                  and p not in (data_dir / "jobs.yaml", data_dir / "synonyms.yaml")
                  and not any(part.startswith(".") for part in p.relative_to(data_dir).parts))


def load_records(data_dir: Path, root: Path | None = None, cache: Path | None = None):
    """Load and check every YAML file under `data_dir`; names in messages are relative to `root`.

    Returns the valid records, the problems, and the codes of records too broken to load. With
    `cache`, a file unchanged since the last load (same size and modification time) is taken
    from that pickle instead of parsed again: an editor's incremental build re-reads one file,
    not 300.
    """
    root = root or data_dir.parent
    records: list[Record] = []
    problems: list[Problem] = []
    broken: set[str] = set()
    previous = _read_cache(cache) if cache else {}
    current = {}
    for path in data_files(data_dir):
        try:
            name = path.relative_to(root).as_posix()
        except ValueError:
            name = path.as_posix()
        imported = path.parent != data_dir and path.relative_to(data_dir).parts[0] in IMPORTED
        stat = path.stat()
        key = (stat.st_size, stat.st_mtime_ns, imported)
        hit = previous.get(name)
        loaded = hit[1] if hit and hit[0] == key else load_file(path, name, imported)
        current[name] = (key, loaded)
        found, issues, failed = loaded
        records.extend(found)
        problems.extend(issues)
        broken |= failed
    # Written before the caller changes any record (overlays, 7th characters), so the cache
    # holds the files as read.
    if cache and {n: e[0] for n, e in current.items()} != {n: e[0] for n, e in previous.items()}:
        _write_cache(cache, current)
    return records, problems, broken


def _read_cache(path: Path) -> dict:
    try:
        return pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
        return {}


def _write_cache(path: Path, entries: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(pickle.dumps(entries, pickle.HIGHEST_PROTOCOL))
    tmp.replace(path)
