"""Release history and Medicare facts for ICD-10-CM pages, from data/icd-10-cm-history/.

The importer (`importer.py`, `make import-history`) writes the data; this module loads it once
per build and gives each page a small view by dict lookups (98,700 pages):

- the release a page shows and the dates of service it is valid for;
- the code's history: first release within FY2024-FY2026, title revisions, FY2027 validity;
- the out-of-date banner, when the build date is after the release's last valid day;
- the FY2026 Medicare facts: CC/MCC, CC exclusion collection, MDC, Medicare Code Editor edits.

`code_facts(history, code)` is the documented per-code summary for search and the ask box.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

FOLDER = "icd-10-cm-history"
BUILD_DATE_ENV = "OCR_BUILD_DATE"      # YYYY-MM-DD; tests set it (falls back to CODES_BUILD_DATE)

# Each Medicare Code Editor attribute: (edit, one line in our own words).
MCE_EDITS = {
    "newborn": ("Age conflict", "Only for a newborn (age 0); a claim for an older patient is "
                "flagged."),
    "pediatric": ("Age conflict", "Only for patients aged 0 to 17; an adult's claim is flagged."),
    "maternity": ("Age conflict", "A pregnancy-related code: flagged outside ages {maternity}."),
    "adult": ("Age conflict", "Only for patients aged {adult}; a child's claim is flagged."),
    "male": ("Sex conflict", "Flagged on a claim for a female patient."),
    "female": ("Sex conflict", "Flagged on a claim for a male patient."),
    "manifestation": ("Manifestation code as principal diagnosis", "Describes a manifestation "
                      "of an underlying disease: code the underlying disease first."),
    "unacceptable": ("Unacceptable principal diagnosis", "Not accepted as the main reason for "
                     "an inpatient admission."),
    "qadm": ("Questionable admission", "Rarely a reason for inpatient admission on its own; "
             "the claim is reviewed."),
    "ecodepdx": ("External cause code as principal diagnosis", "Says how an injury happened, "
                 "not what it is: never the principal diagnosis."),
    "unspecified": ("Unspecified code", "A more specific code exists; the claim is flagged "
                    "when this one is reported."),
    "wrngproc": ("Wrong procedure performed", "Flags a claim for a procedure done on the wrong "
                 "patient or site."),
    "reqsdx": ("Requires a secondary diagnosis", "Needs another diagnosis on the claim to say "
               "why the patient was treated."),
}
# Attributes that take away the right to be the principal diagnosis.
NOT_PRINCIPAL = {"manifestation", "unacceptable", "ecodepdx"}


def build_date() -> dt.date:
    """The date the build treats as today: OCR_BUILD_DATE, CODES_BUILD_DATE, or today."""
    for name in (BUILD_DATE_ENV, "CODES_BUILD_DATE"):
        value = os.environ.get(name)
        if value:
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise ValueError(f"{name}={value!r} is not a date; use YYYY-MM-DD") from None
    return dt.date.today()


@dataclass
class History:
    shown: str
    releases: dict[str, dict]                    # FY -> {first_day, last_day, codes, source}
    changes: dict[str, list[tuple]] = field(default_factory=dict)   # code -> [(fy, change, row)]
    by_release: dict[str, dict[str, list]] = field(default_factory=dict)
    periods: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    medicare: dict[str, tuple] = field(default_factory=dict)
    collections: dict[str, list[str]] = field(default_factory=dict)
    meta: dict = field(default_factory=dict)

    @property
    def release(self) -> dict:
        return self.releases[self.shown]

    def next_release(self) -> str | None:
        names = list(self.releases)
        i = names.index(self.shown)
        return names[i + 1] if i + 1 < len(names) else None

    def valid_on(self, code: str, day: dt.date) -> bool:
        iso = day.isoformat()
        return any(a <= iso <= b for a, b in self.periods.get(code, ()))


def _tsv(path: Path) -> list[list[str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines[1:]]


@lru_cache(maxsize=4)
def load(data_dir: Path) -> History | None:
    """The history data in `data_dir`, or None when it was never imported."""
    folder = Path(data_dir) / FOLDER
    if not (folder / "releases.json").is_file():
        return None
    meta = json.loads((folder / "releases.json").read_text(encoding="utf-8"))
    h = History(meta["shown"], {r["release"]: r for r in meta["releases"]}, meta=meta)
    for row in _tsv(folder / "changes.tsv"):
        fy, change, code = row[:3]
        h.changes.setdefault(code, []).append((fy, change, row))
        h.by_release.setdefault(fy, {}).setdefault(change, []).append(row)
    for code, first, last in _tsv(folder / "validity.tsv"):
        h.periods.setdefault(code, []).append((first, last))
    for code, level, collection, source, mdc, mce in _tsv(folder / "medicare-fy2026.tsv"):
        h.medicare[code] = (level, collection, source, mdc, mce)
    for collection, codes in _tsv(folder / "cc-exclusions-fy2026.tsv"):
        h.collections[collection] = codes.split()
    return h


def attach(catalog, data_dir: Path, warn: bool = True):
    """Give the catalog its history (pages read `catalog.history`) and print the out-of-date
    warning once per build. Printed, not logged: MkDocs' strict builds fail on warnings."""
    history = load(Path(data_dir).resolve())
    catalog.history = history
    banner = out_of_date(history) if history else None
    if banner and warn:
        print(f"warning: the ICD-10-CM pages show {banner['shown']} (valid to "
              f"{banner['last_day']}), but {banner['current']} is in effect on "
              f"{banner['today']}: every ICD-10-CM page carries an out-of-date banner; import "
              f"the {banner['current']} tabular list", file=sys.stderr)
    return history


def out_of_date(history: History, today: dt.date | None = None) -> dict | None:
    """What the banner says when the build date is after the shown release's last day."""
    today = today or build_date()
    last = dt.date.fromisoformat(history.release["last_day"])
    if today <= last:
        return None
    current = next((fy for fy, r in history.releases.items()
                    if r["first_day"] <= today.isoformat() <= r["last_day"]), None)
    return {"shown": history.shown, "last_day": last.isoformat(), "today": today.isoformat(),
            "current": current or "a later release",
            "current_first_day": history.releases[current]["first_day"] if current else None}
