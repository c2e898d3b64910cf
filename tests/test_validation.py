"""Each validation rule, fed a malformed record, with the exact message an editor sees."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from generator.dataset import load_dataset

GOOD = """\
records:
  - kind: modifier
    system: cpt
    code: "52"
    title: Reduced services
    source:
      name: Editors
"""


def problems(data_dir, text: str) -> list[str]:
    (data_dir / "codes.yaml").write_text(GOOD + text, encoding="utf-8")
    dataset = load_dataset(data_dir)
    return [str(p) for p in dataset.errors + dataset.warnings]


def record(body: str) -> str:
    """A record appended after GOOD's, starting on line 8 of data/codes.yaml."""
    return textwrap.indent(textwrap.dedent(body), "  ")


CASES = {
    "unknown field": (record("""\
        - kind: modifier
          system: cpt
          code: "53"
          title: Discontinued procedure
          descripton: Stopped.
          source: {name: Editors}
        """), ["data/codes.yaml:12: modifier '53': 'descripton' is not a known field; "
               "did you mean 'description'?"]),
    "missing required field": (record("""\
        - kind: modifier
          system: cpt
          code: "53"
          source: {name: Editors}
        """), ["data/codes.yaml:8: modifier '53': 'title' is required but missing (Short title. "
               "For CPT, words of our own, never the AMA descriptor; for HCPCS Level II and "
               "ICD-10-CM, the official short descriptor or title.)"]),
    "unknown kind": (record("""\
        - kind: modifer
          system: cpt
          code: "53"
          title: Discontinued
          source: {name: Editors}
        """), ["data/codes.yaml:8: record '53': 'kind' must be one of modifier, code, range; "
               "found 'modifer'"]),
    "unknown system": (record("""\
        - kind: code
          system: icd10
          code: E11.9
          title: Diabetes
          source: {name: CDC}
        """), ["data/codes.yaml:9: code 'E11.9': 'system' must be one of cpt, hcpcs, icd-10-cm; "
               "found 'icd10'"]),
    "CPT code format": (record("""\
        - kind: code
          system: cpt
          code: "9921"
          title: Visit
          source: {name: Editors}
        """), ["data/codes.yaml:10: code '9921': 'code' is not a CPT code: expected five digits "
               "(99213), or four digits and F or T (1036F, 0042T), found '9921'"]),
    "ICD-10-CM code without its dot": (record("""\
        - kind: code
          system: icd-10-cm
          code: E1165
          title: Type 2 diabetes mellitus with hyperglycemia
          source: {name: CDC}
        """), ["data/codes.yaml:10: code 'E1165': 'code' is not a ICD-10-CM code: expected a "
               "letter, two characters, then a dot and up to four more (E11, E11.65, S72.001A), "
               "found 'E1165' (did you mean 'E11.65'?)"]),
    "HCPCS code format": (record("""\
        - kind: code
          system: hcpcs
          code: G008
          title: Flu shot
          source: {name: CMS}
        """), ["data/codes.yaml:10: code 'G008': 'code' is not a HCPCS Level II code: expected "
               "a letter A-V and four digits (G0008), found 'G008'"]),
    "modifier format": (record("""\
        - kind: modifier
          system: cpt
          code: 7E
          title: Something
          source: {name: Editors}
        """), ["data/codes.yaml:10: modifier '7E': 'code' is not a CPT modifier: expected two "
               "digits (53), P1-P6, or 1P, 2P, 3P, 8P, found '7E'"]),
    "modifier in a system without modifiers": (record("""\
        - kind: modifier
          system: icd-10-cm
          code: "AB"
          title: Something
          source: {name: CDC}
        """), ["data/codes.yaml:10: modifier 'AB': 'system' ICD-10-CM has no modifiers; "
               "modifiers are cpt or hcpcs"]),
    "duplicate code": (record("""\
        - kind: modifier
          system: cpt
          code: "52"
          title: Reduced again
          source: {name: Editors}
        """), ["data/codes.yaml:10: modifier '52': 'code' duplicates modifier '52' at "
               "data/codes.yaml:2; each code may have one record"]),
    "relation that points nowhere": (record("""\
        - kind: modifier
          system: cpt
          code: "53"
          title: Discontinued procedure
          relations:
            see_also:
              - "52"
              - 7E
          source: {name: Editors}
        """), ["data/codes.yaml:15: modifier '53': 'relations.see_also' refers to '7E', which is "
               "no known modifier, code or range"]),
    "unknown relation type": (record("""\
        - kind: modifier
          system: cpt
          code: "53"
          title: Discontinued procedure
          relations:
            confused: ["52"]
          source: {name: Editors}
        """), ["data/codes.yaml:13: modifier '53': 'relations.confused' is not a known field of "
               "'relations'; did you mean 'relations.confused_with'?"]),
    "ICD-10-CM note type on a modifier": (record("""\
        - kind: modifier
          system: cpt
          code: "53"
          title: Discontinued procedure
          relations:
            excludes1: ["52"]
          source: {name: Editors}
        """), ["data/codes.yaml:12: modifier '53': 'relations.excludes1' is an ICD-10-CM note "
               "type; use see_also, related, confused_with or replaces"]),
    "malformed range": (record("""\
        - kind: range
          system: icd-10-cm
          code: A00_A09
          title: Intestinal infectious diseases
          source: {name: CDC}
        """), ["data/codes.yaml:10: range 'A00_A09': 'code' is not a valid range: expected a "
               "range FIRST-LAST of ICD-10-CM codes, found 'A00_A09'"]),
    "empty range": (record("""\
        - kind: range
          system: icd-10-cm
          code: A09-A00
          title: Backwards
          source: {name: CDC}
        """), ["data/codes.yaml:10: range 'A09-A00': 'code' is not a valid range: range "
               "'A09-A00' is empty: 'A09' comes after 'A00'"]),
    "range end of another system": (record("""\
        - kind: range
          system: cpt
          code: 99202-G0008
          title: Mixed
          source: {name: Editors}
        """), ["data/codes.yaml:10: range '99202-G0008': 'code' is not a valid range: range "
               "'99202-G0008': 'G0008' is not a CPT code (expected five digits (99213), or four "
               "digits and F or T (1036F, 0042T))"]),
    "date that does not parse": (record("""\
        - kind: modifier
          system: cpt
          code: "53"
          title: Discontinued procedure
          effective: 2026-13-01
          source: {name: Editors}
        """), ["data/codes.yaml:12: modifier '53': 'effective' expected a date as YYYY-MM-DD "
               "(2026-01-01), found '2026-13-01'"]),
    "end before effective": (record("""\
        - kind: modifier
          system: cpt
          code: "53"
          title: Discontinued procedure
          effective: 2026-01-01
          end: 2025-12-31
          source: {name: Editors}
        """), ["data/codes.yaml:13: modifier '53': 'end' is 2025-12-31, before 'effective' "
               "2026-01-01"]),
    "licensed descriptor on a CPT record": (record("""\
        - kind: modifier
          system: cpt
          code: "53"
          title: Discontinued procedure
          official_descriptor: Pasted from the CPT book
          source: {name: Editors}
        """), ["data/codes.yaml:12: modifier '53': 'official_descriptor' is not allowed for CPT: "
               "its descriptors are licensed text; write an original summary in 'description' "
               "instead"]),
    "members section without body": (record("""\
        - kind: modifier
          system: cpt
          code: "53"
          title: Discontinued procedure
          source: {name: Editors}
          members:
            - title: Coding tips
        """), ["data/codes.yaml:14: modifier '53': 'members[1].body' is required but missing "
               "(The members-only text, in the editors' own words (Markdown).)"]),
    "script link in Markdown": (record("""\
        - kind: modifier
          system: cpt
          code: "53"
          title: Discontinued procedure
          description: "[click](javascript:alert(1))"
          source: {name: Editors}
        """), ["data/codes.yaml:12: modifier '53': 'description' links to a 'javascript:' URL; "
               "only http, https and mailto links are allowed"]),
    "unquoted colon in a list item": (record("""\
        - kind: modifier
          system: cpt
          code: "53"
          title: Discontinued procedure
          do_not_use_when:
            - Reduced by choice: report 52
          source: {name: Editors}
        """), ["data/codes.yaml:13: modifier '53': 'do_not_use_when' expected a list of Markdown "
               "texts, found an item that is a mapping (put text that contains ': ' in quotes)"]),
    "applies_to with a bad range": (record("""\
        - kind: modifier
          system: cpt
          code: "53"
          title: Discontinued procedure
          applies_to: ["69990-10004"]
          source: {name: Editors}
        """), ["data/codes.yaml:12: modifier '53': 'applies_to' has a bad range: range "
               "'69990-10004' is empty: '69990' comes after '10004'"]),
    "field given twice": (record("""\
        - kind: modifier
          system: cpt
          code: "53"
          title: Discontinued procedure
          title: Stopped procedure
          source: {name: Editors}
        """), ["data/codes.yaml:12: modifier '53': 'title' appears twice (first on line 11); "
               "keep one"]),
    "source without a name": (record("""\
        - kind: modifier
          system: cpt
          code: "53"
          title: Discontinued procedure
          source:
            url: ftp://example.org/file
        """), ["data/codes.yaml:13: modifier '53': 'source.name' is required but missing (Who "
               "wrote or published the text, e.g. 'Editors (original summary)' or 'CMS HCPCS "
               "Level II modifier file'.)",
               "data/codes.yaml:13: modifier '53': 'source.url' must be an http or https "
               "address, found 'ftp://example.org/file'"]),
    "prose mention of an unknown code is a warning": (record("""\
        - kind: modifier
          system: cpt
          code: "53"
          title: Discontinued procedure
          description: Compare modifier 52 and modifier 54.
          source: {name: Editors}
        """), ["data/codes.yaml:12: modifier '53': 'description' mentions '54', which is no known "
               "modifier, code or range; it stays plain text"]),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_rule(data_dir, case):
    text, expected = CASES[case]
    assert problems(data_dir, text) == expected


def test_yaml_syntax_error_names_the_line(data_dir):
    (data_dir / "codes.yaml").write_text(GOOD + "  - kind: code\n    title: [unclosed\n",
                                         encoding="utf-8")
    assert [str(p) for p in load_dataset(data_dir).errors] == [
        "data/codes.yaml:10: is not valid YAML: did not find expected ',' or ']'; "
        "check indentation and quoting"]


def test_file_without_records_list(data_dir):
    (data_dir / "extra.yaml").write_text("- kind: code\n", encoding="utf-8")
    assert [str(p) for p in load_dataset(data_dir).errors] == [
        "data/extra.yaml:1: expected a mapping with a 'records' list, found a list"]


def test_all_errors_are_reported_at_once(data_dir):
    text = "".join(CASES[c][0] for c in ("unknown field", "CPT code format", "empty range"))
    found = problems(data_dir, text)
    assert len(found) == 3
    assert [f.split(":")[1] for f in found] == ["12", "16", "21"]


def test_check_command_prints_every_error_and_exits_non_zero(data_dir):
    (data_dir / "codes.yaml").write_text(
        GOOD + CASES["unknown field"][0] + CASES["empty range"][0], encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "generator", "check"], cwd=data_dir.parent,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "error: data/codes.yaml:12: modifier '53': 'descripton'" in result.stderr
    assert "error: data/codes.yaml:16: range 'A09-A00': 'code'" in result.stderr
    assert result.stderr.strip().endswith("2 errors, 0 warnings")


def test_yaml_is_loaded_safely(data_dir):
    text = record("""\
        - kind: modifier
          system: cpt
          code: !!python/object/apply:os.system ["echo pwned"]
          title: x
          source: {name: Editors}
        """)
    found = problems(data_dir, text)
    assert len(found) == 1 and "could not determine a constructor" not in found[0]
    assert "'code' expected text, found a list" in found[0]


def test_check_command_also_checks_the_job_board(data_dir):
    (data_dir / "codes.yaml").write_text(GOOD, encoding="utf-8")
    (data_dir / "jobs.yaml").write_text("jobs:\n  - title: x\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "generator", "check"], cwd=data_dir.parent,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "error: data/jobs.yaml:" in result.stderr
