"""Release and Medicare questions (issue 11 item 6): each expected verdict is computed here, in
the test, from the data files in data/icd-10-cm-history/ (read directly, not through
generator.history), and the answer must give that verdict, link the code and cite its source."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

FOLDER = Path(__file__).resolve().parents[2] / "data" / "icd-10-cm-history"
NOT_PRINCIPAL = {"manifestation", "unacceptable", "ecodepdx"}
FY = {"FY2024": ("2023-10-01", "2024-09-30"), "FY2025": ("2024-10-01", "2025-09-30"),
      "FY2026": ("2025-10-01", "2026-09-30"), "FY2027": ("2026-10-01", "2027-09-30")}


def _rows(name: str) -> list[list[str]]:
    lines = (FOLDER / name).read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines[1:]]


@lru_cache(maxsize=1)
def data() -> dict:
    medicare = {r[0]: r for r in _rows("medicare-fy2026.tsv")}
    periods: dict[str, list] = {}
    for code, a, b in _rows("validity.tsv"):
        periods.setdefault(code, []).append((a, b))
    added = {r[2]: r[0] for r in _rows("changes.tsv") if r[1] == "added"}
    deleted = {r[2]: r[0] for r in _rows("changes.tsv") if r[1] == "deleted"}
    through = max(b for ps in periods.values() for _, b in ps)
    return {"medicare": medicare, "periods": periods, "added": added, "deleted": deleted,
            "through": through}


@dataclass
class Release:
    """The verdict the data files give for `code`: `ask` is "level" (CC / MCC / neither),
    "principal" (yes / no from the MCE edits), "first" (first release, or yes / no for "new in
    `fy`"), "deleted" (yes / no, in `fy` when given), "status" ("deleted" for a deleted code), or "valid" (yes / no / partly / unknown
    for the dates `start`..`end`; unknown outside FY2024 to the data's last day). `link` is the
    code the answer must link when not `code` (a code added in FY2027 has no page yet)."""
    code: str
    ask: str
    start: str = ""
    end: str = ""
    fy: str = ""
    link: str = ""

    def verdict(self) -> str:
        d = data()
        if self.ask == "level":
            level = d["medicare"][self.code][1]
            return "neither" if level == "-" else level
        if self.ask == "principal":
            return "no" if set(d["medicare"][self.code][5].split()) & NOT_PRINCIPAL else "yes"
        if self.ask == "status":   # what a question about a deleted code gets without a date
            return "deleted" if self.code in d["deleted"] else "held"
        if self.ask == "deleted":
            fy = d["deleted"].get(self.code)
            return "yes" if fy and (not self.fy or fy == self.fy) else "no"
        if self.ask == "first":
            first = d["added"].get(self.code)
            if first is None:
                assert d["periods"][self.code][0][0] < FY["FY2024"][0], self.code
                first = "before FY2024"
            return first if not self.fy else ("yes" if first == self.fy else "no")
        start, end = FY[self.fy] if self.fy else (self.start, self.end or self.start)
        if start > d["through"] or end < FY["FY2024"][0]:
            return "unknown"
        end = min(end, d["through"])
        spans = d["periods"].get(self.code, [])
        if any(a <= start and end <= b for a, b in spans):
            return "yes"
        return "partly" if any(a <= end and start <= b for a, b in spans) else "no"

    def check_xml(self, case):
        assert self.verdict() == case.verdict, f"{case.question}: the data says {self.verdict()}"

    def check_answer(self, case, got, text, linked):
        want = self.link or self.code
        problems = [] if want in linked else [f"does not link {want}"]
        return problems + ([] if "Source:" in text else ["cites no source"])


def questions(Q) -> list:
    R = Release
    return [
        Q("is E11.65 a CC?", "medicare-cc", "neither", ("Table 6J", "FY2026"), facts=(R("E11.65", "level"),)),
        Q("is I50.9 an MCC", "medicare-cc", "neither", ("Table 6I",), facts=(R("I50.9", "level"),)),
        Q("is I50.21 a cc or mcc", "medicare-cc", "MCC", ("Table 6I", "collection 0824"), facts=(R("I50.21", "level"),)),
        Q("Is A41.9 an MCC?", "medicare-cc", "MCC", ("CC exclusion",), facts=(R("A41.9", "level"),)),
        Q("is I50.22 a CC for medicare", "medicare-cc", "CC", ("Table 6J",), facts=(R("I50.22", "level"),)),
        Q("is S72.001A an mcc", "medicare-cc", "MCC", (), facts=(R("S72.001A", "level"),)),
        Q("J45.909 cc?", "medicare-cc", "neither", (), facts=(R("J45.909", "level"),)),
        Q("can Z00.00 be a principal diagnosis", "medicare-principal", "no", ("Unacceptable principal diagnosis",),
          facts=(R("Z00.00", "principal"),)),
        Q("can I50.21 be the principal diagnosis?", "medicare-principal", "yes", (), facts=(R("I50.21", "principal"),)),
        Q("may Z3A.01 be the principal diagnosis on an inpatient claim", "medicare-principal", "no", ("Age conflict",),
          facts=(R("Z3A.01", "principal"),)),
        Q("was E11.A new in FY2025?", "history", "no", ("added in FY2026",), facts=(R("E11.A", "first", fy="FY2025"),)),
        Q("when was E11.A added", "history", "FY2026", (), facts=(R("E11.A", "first"),)),
        Q("is E10.A0 new in FY2025", "history", "yes", (), facts=(R("E10.A0", "first", fy="FY2025"),)),
        Q("when was E11.9 introduced", "history", "before FY2024", (), facts=(R("E11.9", "first"),)),
        Q("is E11.A valid for a date of service in December 2026?", "validity", "yes", ("after the FY2026 release",),
          facts=(R("E11.A", "valid", "2026-12-01", "2026-12-31"),)),
        Q("is E11.A valid on 2025-03-01", "validity", "no", (), facts=(R("E11.A", "valid", "2025-03-01"),)),
        Q("is I10 valid in FY2027", "validity", "yes", ("FY2027",), facts=(R("I10", "valid", fy="FY2027"),)),
        Q("Is E66.811 valid in FY2024?", "validity", "no", (), facts=(R("E66.811", "valid", fy="FY2024"),)),
        Q("is E11.65 valid for dates of service in June 2027", "validity", "unknown", (),
          facts=(R("E11.65", "valid", "2027-06-01", "2027-06-30"),)),
        Q("G89.29 a cc", "medicare-cc", "neither", (), facts=(R("G89.29", "level"),)),
        # Codes deleted since FY2024 and codes added in FY2027 (ask-data/past.js), and dates.
        Q("is E78.01 valid in FY2025?", "validity", "yes", ("deleted in FY2026", "E78.010"),
          facts=(R("E78.01", "valid", fy="FY2025"),)),
        Q("was E78.01 deleted?", "history", "yes", ("not valid from 2025-10-01", "a header"),
          facts=(R("E78.01", "deleted"),)),
        Q("is T81.32XA valid on 2024-09-30", "validity", "yes", ("deleted in FY2025", "T81.320A"),
          facts=(R("T81.32XA", "valid", "2024-09-30"),)),
        Q("was T81.32XA deleted in FY2025", "history", "yes", ("take its place",),
          facts=(R("T81.32XA", "deleted", fy="FY2025"),)),
        Q("is K74.0A valid for a date of service in December 2026?", "validity", "yes",
          ("Title not yet imported", "added in FY2027"),
          facts=(R("K74.0A", "valid", "2026-12-01", "2026-12-31", link="K74.0"),)),
        Q("was K74.0A new in FY2027", "history", "yes", ("Title not yet imported",),
          facts=(R("K74.0A", "first", fy="FY2027", link="K74.0"),)),
        Q("is K74.0A valid on 9/30/2026", "validity", "no", (),
          facts=(R("K74.0A", "valid", "2026-09-30", link="K74.0"),)),
        Q("is E11.65 valid in 2026", "validity", "yes", ("(FY2026): valid", "(FY2027): valid"),
          facts=(R("E11.65", "valid", "2026-01-01", "2026-12-31"),)),
        Q("is E11.A valid during 2025", "validity", "partly", ("(FY2025): not valid",),
          facts=(R("E11.A", "valid", "2025-01-01", "2025-12-31"),)),
        Q("is I10 valid in Dec 2026", "validity", "yes", (), facts=(R("I10", "valid", "2026-12-01", "2026-12-31"),)),
        Q("is E11.9 valid on 12/15/2026", "validity", "yes", (), facts=(R("E11.9", "valid", "2026-12-15"),)),
        Q("is E11.A valid in fiscal year 2026", "validity", "yes", (), facts=(R("E11.A", "valid", fy="FY2026"),)),
        Q("what replaced E78.01", "history", "yes", ("E78.011",), facts=(R("E78.01", "deleted"),)),
        Q("is T81.32XA a cc", "history", "deleted", ("is not a code of FY2026",),
          facts=(R("T81.32XA", "status"),)),
        Q("is E11.65 valid on 2020-05-01", "validity", "unknown", ("2023-10-01",),
          facts=(R("E11.65", "valid", "2020-05-01"),)),
    ]
