"""The editors' search synonyms (data/synonyms.yaml) and their validation (generator/synonyms.py)."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator import synonyms
from generator.links import Catalog
from generator.records import Record

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "data" / synonyms.FILE


def catalog_of(*codes: str) -> Catalog:
    records = [Record(kind="code", system="icd-10-cm", code=c, title=c, file="f", line=1,
                      source={"name": "Test"}) for c in codes]
    catalog = Catalog(records)
    catalog.by_code = {r.code: r for r in records}
    return catalog


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / synonyms.FILE).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def test_every_problem_is_reported_at_once_with_file_and_line(tmp_path):
    data = write(tmp_path, """\
        synonyms:
          - {words: [chf], means: congestive heart failure, codes: [I50.9]}
          - words: [uti]
            codes:
              - N39.0
              - n390
          - {words: [CHF], means: heart failure}
          - {words: [afib], colour: red}
          - {words: [], means: nothing}
          - {words: ["<b>"], means: bold}
        """)
    problems = synonyms.check(data, catalog_of("N39.0"), tmp_path)
    shown = [str(p) for p in problems]
    assert [(p.line, p.field) for p in problems] == [
        (2, "codes"), (6, "codes"), (7, "words"), (8, ""), (8, "colour"), (9, "words"),
        (10, "words")]
    assert all(p.file == "synonyms.yaml" for p in problems)
    assert "'I50.9' is not a code in the reference" in shown[0]
    assert "did you mean 'N39.0'?" in shown[1]
    assert "already listed on line 2" in shown[2]
    assert "needs 'means'" in shown[3] and "unknown field 'colour'" in shown[4]


def test_a_file_that_is_not_yaml_or_has_no_list_says_so(tmp_path):
    problems = synonyms.check(write(tmp_path, "synonyms: [\n"), catalog_of(), tmp_path)
    assert len(problems) == 1 and "not valid YAML" in problems[0].message
    problems = synonyms.check(write(tmp_path, "words: [x]\n"), catalog_of(), tmp_path)
    assert problems[0].field == "synonyms" and problems[0].line == 1


def test_no_file_is_no_problem(tmp_path):
    assert synonyms.check(tmp_path, catalog_of(), tmp_path) == []
    assert synonyms.for_index(tmp_path, catalog_of()) == []


def test_the_index_gets_words_meaning_and_existing_codes(tmp_path):
    data = write(tmp_path, """\
        synonyms:
          - {words: [CHF, c.h.f], means: Congestive  heart failure, codes: [I50.9, I50]}
          - {words: [femoral], means: femur}
        """)
    assert synonyms.for_index(data, catalog_of("I50.9")) == [
        [["chf", "c.h.f"], "congestive heart failure", ["I50.9"]],
        [["femoral"], "femur", []]]


def test_the_real_file_has_the_entries_coders_need():
    entries, problems = synonyms.parse(REAL)
    assert problems == []
    assert len(entries) >= 150
    words = {w: e for e in entries for w in e.words}
    for typed in ("chf", "uti", "copd", "afib", "gerd", "ckd", "htn", "mi", "cva", "tia", "dvt",
                  "pe", "bph", "osa", "uri", "dm", "esrd", "flu shot", "annual physical",
                  "heart attack", "stroke", "smoker", "kidney stone"):
        assert typed in words, typed
        assert words[typed].codes, f"{typed} names no code"
    for a, b in (("femoral", "femur"), ("renal", "kidney"), ("hepatic", "liver"),
                 ("cardiac", "heart"), ("pulmonary", "lung")):
        assert words[a].means == b


@pytest.mark.slow   # loads the whole real data set
def test_every_code_of_the_real_file_exists():
    from generator.dataset import load_dataset
    catalog = load_dataset(ROOT / "data", ROOT, ROOT / ".cache" / "records.pickle").catalog
    assert synonyms.check(ROOT / "data", catalog, ROOT) == []


def test_check_runs_it_as_a_data_source(tmp_path):
    from generator import sources

    assert "synonyms.yaml" in sources.claimed()     # not read as a file of code records
    data = write(tmp_path, "synonyms:\n  - {words: [chf], codes: [I50.9]}\n")
    checked = dict((s.name, c) for s, c in sources.check_all(data, tmp_path))["synonyms"]
    assert [(p.file, p.line, p.field) for p in checked.problems] == [("synonyms.yaml", 2, "codes")]
    assert checked.summary == "1 search synonyms"
