"""Each validation rule, fed a malformed record, with the exact message an editor sees."""
from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

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


# --- hostile and careless input (issue 12): one clear problem each, quickly -------------------

def check_text(data_dir, text: str, name: str = "codes.yaml") -> list[str]:
    (data_dir / name).write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    dataset = load_dataset(data_dir)
    return [str(p) for p in dataset.errors + dataset.warnings]


BOMB = GOOD + "".join(
    f"    l{i}: &l{i} [{', '.join([f'*l{i - 1}' if i else 'x'] * 9)}]\n" for i in range(8)) + \
    "    ? [*l7, *l7, *l7, *l7, *l7, *l7, *l7, *l7, *l7]\n    : value\n"

HOSTILE = {
    "alias bomb used as a mapping key": (BOMB, [
        "data/codes.yaml:14: has aliases ('*name') that expand to more than 1,000,000 values; "
        "write the values out instead"]),
    "alias inside its own anchor": (GOOD + "    ? &loop [*loop]\n    : value\n", [
        "data/codes.yaml:8: has an alias inside the value it refers to, which would never end; "
        "write the value out"]),
    "300 nested lists as a key": (GOOD + "    " + "[" * 300 + "]" * 300 + ": x\n", [
        "data/codes.yaml:8: nests lists and mappings more than 50 levels deep; a data file "
        "needs a few levels"]),
    "a list as a key": (GOOD + "    [kind, code]: x\n", [
        "data/codes.yaml:8: modifier '52': has a key that is a list; keys are plain text such as "
        "'title'"]),
    "a key 5,000 characters long": (GOOD + "    ? " + "k" * 5000 + "\n    : x\n", [
        "data/codes.yaml:8: modifier '52': has a key 5,000 characters long; keys are short names "
        "such as 'title'"]),
    "a mapping as a key": (GOOD + "    {a: 1}: x\n", [
        "data/codes.yaml:8: modifier '52': has a key that is a mapping; keys are plain text such "
        "as 'title'"]),
    "40,000 [ in a description": (GOOD + "    description: '" + "[" * 40_000 + "'\n", [
        "data/codes.yaml:8: modifier '52': 'description' is 40,000 characters long, more than "
        "the 5,000 allowed; shorten it"]),
    "a title longer than the limit": (GOOD.replace("Reduced services", "x" * 301), [
        "data/codes.yaml:5: modifier '52': 'title' is 301 characters long, more than the 300 "
        "allowed; shorten it"]),
    "Cyrillic letter in a code": (GOOD + record("""\
        - kind: code
          system: icd-10-cm
          code: \u041511.65
          title: Type 2 diabetes mellitus with hyperglycemia
          source: {name: CDC}
        """), ["data/codes.yaml:10: code '\u041511.65': 'code' has U+0415 CYRILLIC CAPITAL LETTER "
               "IE at position 1; codes are written with ASCII letters and digits only, so type "
               "it again"]),
    "fullwidth digits in a modifier": (GOOD + record("""\
        - kind: modifier
          system: cpt
          code: "\uff15\uff13"
          title: Discontinued procedure
          source: {name: Editors}
        """), ["data/codes.yaml:10: modifier '\uff15\uff13': 'code' has U+FF15 FULLWIDTH DIGIT "
               "FIVE at position 1; codes are written with ASCII letters and digits only, so "
               "type it again"]),
    "Arabic-Indic digits in a relation": (GOOD + record("""\
        - kind: modifier
          system: cpt
          code: "53"
          title: Discontinued procedure
          relations: {see_also: ["\u0665\u0662"]}
          source: {name: Editors}
        """), ["data/codes.yaml:12: modifier '53': 'relations.see_also' has U+0665 ARABIC-INDIC "
               "DIGIT FIVE at position 1; codes are written with ASCII letters and digits only, "
               "so type it again"]),
    "duplicate key in a nested mapping": (GOOD.replace(
        "      name: Editors\n", "      name: Editors\n      name: Others\n"), [
        "data/codes.yaml:8: modifier '52': 'source.name' appears twice (first on line 7); "
        "keep one"]),
    "duplicate key in a members section": (GOOD + "    members:\n      - title: Tips\n"
                                           "        body: One.\n        body: Two.\n", [
        "data/codes.yaml:11: modifier '52': 'members[1].body' appears twice (first on line 10); "
        "keep one"]),
    "duplicate key at the top of the file": (GOOD + "records: []\n", [
        "data/codes.yaml:8: 'records' appears twice (first on line 1); keep one"]),
    "terminal escapes and direction marks in a value": (GOOD.replace(
        "    system: cpt\n", '    system: "\\e[2Jcpt\\u202e"\n'), [
        "data/codes.yaml:3: modifier '52': 'system' must be one of cpt, hcpcs, icd-10-cm; found "
        "'\\x1b[2Jcpt\\u202e'"]),
    "a tab in the indentation": (GOOD + "  - kind: modifier\n\tsystem: cpt\n", [
        "data/codes.yaml:9: is not valid YAML: found a tab character that violates indentation "
        "(indent with spaces, not tabs); check indentation and quoting"]),
    "an empty file": ("# nothing here yet\n", [
        "data/codes.yaml:1: is empty; put the records in a 'records:' list, or delete the "
        "file"]),
}


def described(text: str) -> str:
    return GOOD + "    description: " + text + "\n"


JAVASCRIPT = ("data/codes.yaml:8: modifier '52': 'description' links to a 'javascript:' URL; "
              "only http, https and mailto links are allowed")
HOSTILE.update({
    "script link by reference definition": (
        described("|\n      See [the rule][g].\n\n      [g]: javascript:alert(1)"), [JAVASCRIPT]),
    "newline inside the scheme": (described('"[a](java\\nscript:alert(1))"'), [JAVASCRIPT]),
    "leading control character": (described('"[a](\\x01javascript:alert(1))"'), [JAVASCRIPT]),
    "scheme written as an HTML entity": (described('"[a](&#106;avascript:alert(1))"'),
                                         [JAVASCRIPT]),
    "data: URL in angle brackets": (described('"[a](<data:text/html,x>)"'), [
        "data/codes.yaml:8: modifier '52': 'description' links to a 'data:' URL; only http, "
        "https and mailto links are allowed"]),
    "attribute list with an event handler": (described(
        "'[a](https://example.org){: href=\"javascript:x\" onclick=\"alert(1)\"}'"), [
        "data/codes.yaml:8: modifier '52': 'description' has an attribute list ('{: href=...'); "
        "attributes are not allowed in editors' text, so remove it"]),
})


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_hostile_input(data_dir, case):
    text, expected = HOSTILE[case]
    assert check_text(data_dir, text) == expected


def test_a_bad_byte_is_reported_at_its_line_and_column(data_dir):
    text = GOOD.encode() + b"# filler\n" * 1705 + b"  - kind: modifier\n    title: Caf\xe9\n"
    assert check_text(data_dir, text) == [
        "data/codes.yaml:1714: is not UTF-8 text: byte 0xe9 at column 15 (invalid continuation "
        "byte); save the file as UTF-8"]


def test_symbolic_links_are_reported_and_never_followed(data_dir, tmp_path):
    secret = tmp_path / "secret.yaml"
    secret.write_text("TOKEN-abc123\n", encoding="utf-8")
    (data_dir / "codes.yaml").write_text(GOOD, encoding="utf-8")
    (data_dir / "linked.yaml").symlink_to(secret)
    (data_dir / "folder").symlink_to(tmp_path, target_is_directory=True)
    (data_dir / "jobs.yaml").symlink_to(secret)
    found = [str(p) for p in load_dataset(data_dir).errors]
    assert found == [f"data/{name}:1: is not read: it is a symbolic link; data files are plain "
                     "files in the repository" for name in ("folder", "linked.yaml")]
    from generator.jobboard import check
    assert [str(p) for p in check(data_dir, data_dir.parent).problems] == [
        "data/jobs.yaml:1: is not read: it is a symbolic link; data files are plain files in the "
        "repository"]


def test_files_that_are_not_read_are_reported(data_dir):
    (data_dir / "codes.yaml").write_text(GOOD, encoding="utf-8")
    (data_dir / "more.YAML").write_text(GOOD, encoding="utf-8")
    (data_dir / "notes.txt").write_text("x", encoding="utf-8")
    (data_dir / "schema.json").write_text("{}", encoding="utf-8")
    assert [str(p) for p in load_dataset(data_dir).errors] == [
        "data/more.YAML:1: is not read: data files end in lower-case .yaml or .yml, so rename "
        "it to 'more.yaml'",
        "data/notes.txt:1: is not read: data files end in .yaml or .yml: rename it, or move it "
        "out of data/"]


REAL = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="module")
def real_data(tmp_path_factory) -> Path:
    """The real curated data files (the ICD-10-CM import left out for speed)."""
    data = tmp_path_factory.mktemp("real") / "data"
    shutil.copytree(REAL, data, ignore=shutil.ignore_patterns("icd-10-cm"))
    assert load_dataset(data).errors == []
    return data


@pytest.mark.parametrize("change, expected", [
    (lambda text: "", "data/modifiers-cpt.yaml:1: is empty; put the records in a 'records:' "
     "list, or delete the file"),
    (lambda text: text.replace("    system: cpt\n", "\tsystem: cpt\n", 1),
     "data/modifiers-cpt.yaml:9: is not valid YAML: found a tab character that violates "
     "indentation (indent with spaces, not tabs); check indentation and quoting"),
])
def test_a_file_that_cannot_be_read_is_the_one_problem(real_data, change, expected):
    path = real_data / "modifiers-cpt.yaml"
    original = path.read_text(encoding="utf-8")
    path.write_text(change(original), encoding="utf-8")
    try:
        dataset = load_dataset(real_data)
    finally:
        path.write_text(original, encoding="utf-8")
    assert [str(p) for p in dataset.errors + dataset.warnings] == [expected]


IMPORTED = """\
records:
  - kind: code
    system: icd-10-cm
    code: E11.65
    title: Type 2 diabetes mellitus with hyperglycemia
    source: {name: CDC}
  - kind: code
    system: icd-10-cm
    code: E11.9
    title: Type 2 diabetes mellitus without complications
    source: {name: CDC}
"""
OVERLAY = """\
records:
  - kind: code
    system: icd-10-cm
    code: E11.65
    overlay: true
    notes: [Check the glucose values.]
    source: {name: Editors}
"""


def overlay_problems(data_dir, **files) -> list[str]:
    (data_dir / "icd-10-cm").mkdir()
    (data_dir / "icd-10-cm" / "e11.yaml").write_text(IMPORTED, encoding="utf-8")
    for name, text in files.items():
        (data_dir / f"{name}.yaml").write_text(text, encoding="utf-8")
    return [str(p) for p in load_dataset(data_dir).errors]


def test_two_overlays_for_one_code_name_both_places(data_dir):
    assert overlay_problems(data_dir, a=OVERLAY, b=OVERLAY) == [
        "data/b.yaml:5: code 'E11.65': 'overlay' is the second overlay of 'E11.65' (the first "
        "is at data/a.yaml:2); merge the two into one"]


@pytest.mark.parametrize("name, value", [
    ("official_descriptor", "Pasted"), ("inclusion_terms", "[x]"), ("tables", "[x]"),
    ("instructions", "{excludes1: [x]}"), ("seven_chr_def", "{A: initial}"),
])
def test_an_overlay_field_that_would_be_dropped_is_refused(data_dir, name, value):
    text = OVERLAY.replace("    source:", f"    {name}: {value}\n    source:")
    assert overlay_problems(data_dir, a=text) == [
        f"data/a.yaml:7: code 'E11.65': '{name}' is taken from the imported code; an overlay "
        "adds notes, relations or members-only sections only, so remove it"]


def test_every_overlay_field_is_applied(data_dir):
    text = OVERLAY.replace("    source:", """\
    description: Editorial.
    use_when: [Use.]
    do_not_use_when: [Do not.]
    effective: 2025-10-01
    end: 2026-09-30
    status: revised
    relations: {see_also: [E11.9]}
    members: [{title: Tips, summary: When to query, body: Secret.}]
    source:""")
    assert overlay_problems(data_dir, a=text) == []
    merged = next(r for r in load_dataset(data_dir).catalog.records if r.code == "E11.65")
    assert (merged.description, merged.use_when, merged.do_not_use_when, merged.notes) == \
        ("Editorial.", ["Use."], ["Do not."], ["Check the glucose values."])
    assert (str(merged.effective), str(merged.end), merged.status) == \
        ("2025-10-01", "2026-09-30", "revised")
    assert merged.members == [{"title": "Tips", "summary": "When to query", "body": "Secret."}]
    assert merged.relations == {"see_also": ["E11.9"]}
    assert merged.title == "Type 2 diabetes mellitus with hyperglycemia"


def test_check_github_escapes_values_so_a_newline_starts_no_command(data_dir):
    (data_dir / "codes.yaml").write_text(GOOD + record("""\
        - kind: modifier
          system: cpt
          code: "53"
          title: Discontinued
          status: "x\\n::warning file=evil.yaml,line=1::injected 100%"
          source: {name: Editors}
        """), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "generator", "check", "--github"],
                            cwd=data_dir.parent, capture_output=True, text=True)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines == [
        "::error file=data/codes.yaml,line=12::data/codes.yaml:12: modifier '53': 'status' must "
        "be one of active, new, revised, deleted; found 'x\\n::warning file=evil.yaml,line=1::"
        "injected 100%25'"]


def test_github_escaping_covers_what_messages_do_not():
    from generator.__main__ import _github

    assert _github("a\r\nb%") == "a%0D%0Ab%25"
    assert _github("data/a,b:c.yaml", True) == "data/a%2Cb%3Ac.yaml"


def fake_check(data_dir, root):
    from generator.sources import Checked
    from generator.yamlfile import Problem

    return Checked([Problem("data/synonyms.yaml", 3, "", "", "is a registered source")],
                   "1 synonym")


def test_check_runs_every_registered_source_and_records_skip_their_files(data_dir, monkeypatch,
                                                                          capsys):
    from generator import sources
    from generator.__main__ import main
    from generator.records import data_files

    monkeypatch.setattr(sources, "SOURCES", sources.SOURCES + (
        sources.Source("synonyms", ("synonyms.yaml",), "tests.test_validation:fake_check"),))
    (data_dir / "codes.yaml").write_text(GOOD, encoding="utf-8")
    (data_dir / "synonyms.yaml").write_text("not: records\n", encoding="utf-8")
    assert data_files(data_dir) == [data_dir / "codes.yaml"]
    monkeypatch.chdir(data_dir.parent)
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "error: data/synonyms.yaml:3: is a registered source\n" in err
    assert err.strip().endswith("1 records (1 cpt modifiers); 1 synonym; 1 errors, 0 warnings")
