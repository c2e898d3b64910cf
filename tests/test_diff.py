"""The change report on a fixture pair of data versions, committed to a throwaway git repository:
exact Markdown, member text never quoted, and clear errors."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from generator import diff

from .conftest import FIXTURES

EDITS = [
    # 53: description and a list changed, a member section body edited (its title kept)
    ("stops early is the classic case.", "stops early is the standard case."),
    ("      - The procedure started and was stopped for the patient's safety.\n",
     "      - The procedure started and was stopped for the patient's safety.\n"
     "      - The patient's condition changed | during the procedure.\n"),
    ("FIXTURE-SECRET-53-PAYER is never public.", "FIXTURE-SECRET-53-PAYER-V2 is never public."),
    # 52: a relation added
    ('      confused_with: ["53"]\n', '      confused_with: ["53", "74"]\n'),
    # 73 removed
    ("  - kind: modifier\n    system: cpt\n    code: \"73\"\n"
     "    title: Facility discontinued procedure before anesthesia\n"
     "    description: Facility version, before anesthesia. See modifier 74.\n"
     "    source:\n      name: Editors (original summary)\n", ""),
    ("Hospitals and ASCs use modifiers 73 and 74 instead", "Hospitals and ASCs use modifier 74 instead"),
    ('confused_with: ["52", "73", "74"]', 'confused_with: ["52", "74"]'),
]
ADDED = """  - kind: code
    system: hcpcs
    code: G0008
    title: Administration of influenza virus vaccine
    source:
      name: CMS HCPCS Level II
"""

EXPECTED = """## Data changes against `base`

**1 added, 1 removed, 2 changed** (records with a page; 7th-character codes follow their parent).

### Added

- HCPCS Level II code `G0008` Administration of influenza virus vaccine (`data/codes.yaml` line 79)

### Removed

- CPT modifier `73` Facility discontinued procedure before anesthesia (was `data/codes.yaml` line 38)

### Changed

#### CPT modifier `52` Reduced services

`data/codes.yaml` line 2

| Field | Before | After |
| --- | --- | --- |
| relations | confused_with: 53 | confused_with: 53; 74 |

#### CPT modifier `53` Discontinued procedure

`data/codes.yaml` line 12

| Field | Before | After |
| --- | --- | --- |
| description | The physician stopped a procedure after it began because continuing threatened the patient. Hospitals and ASCs use modifiers 73 and 74 instead; a colonoscopy (45378) that stops early is the classic case. Not for 5 more views in 2026 or 10,000 units. | The physician stopped a procedure after it began because continuing threatened the patient. Hospitals and ASCs use modifier 74 instead; a colonoscopy (45378) that stops early is the standard case. Not for 5 more views in 2026 or 10,000 units. |
| use_when | The procedure started and was stopped for the patient's safety. | The procedure started and was stopped for the patient's safety.; The patient's condition changed \\| during the procedure. |
| relations | confused_with: 52; 73; 74 | confused_with: 52; 74 |
| members | *(none)* | text changed (members-only, not shown): Payer notes |
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture
def repo(tmp_path) -> Path:
    """A git repository whose commit 'base' has the basic fixture's data, and whose working
    tree has the edited version."""
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "basic" / "data", repo / "data")
    git(repo, "init", "-q")
    git(repo, "add", "data")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    git(repo, "tag", "base")
    path = repo / "data" / "codes.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in EDITS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text + ADDED, encoding="utf-8")
    return repo


def test_the_report_is_exact(repo):
    report = diff.diff("base", repo=repo)
    assert diff.markdown(report, "base") == EXPECTED


def test_member_text_is_never_quoted(repo):
    text = diff.markdown(diff.diff("base", repo=repo), "base")
    assert "FIXTURE-SECRET" not in text


def test_no_changes(repo):
    git(repo, "add", "data")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "edit")
    report = diff.diff("HEAD", repo=repo)
    assert report.empty
    assert diff.markdown(report, "HEAD") == (
        "## Data changes against `HEAD`\n\nNo record was added, removed or changed.\n")


def test_the_command_writes_the_report(repo, monkeypatch, tmp_path):
    monkeypatch.chdir(repo)
    assert diff.main(["base", "--output", str(tmp_path / "report.md"), "--limit", "600",
                      "--full", str(tmp_path / "full.md")]) == 0
    assert (tmp_path / "report.md").read_text().endswith("the workflow's artifacts.*\n")
    assert (tmp_path / "full.md").read_text() == EXPECTED


def test_an_unknown_ref_is_a_clear_error(repo, monkeypatch, capsys):
    monkeypatch.chdir(repo)
    assert diff.main(["no-such-ref"]) == 1
    assert "cannot read data/ at 'no-such-ref'" in capsys.readouterr().err


def test_a_long_report_is_cut_with_a_note(repo):
    text = diff.markdown(diff.diff("base", repo=repo), "base", limit=600)
    assert len(text) < 600
    assert text.endswith("the full report is in the workflow's artifacts.*\n")


def test_a_section_summary_is_public_and_its_body_is_not():
    from generator.records import Record

    def modifier(members):
        return Record(kind="modifier", system="cpt", code="25", title="Separate E/M",
                      file="data/x.yaml", line=1, members=members)

    old = modifier([{"title": "Payer notes", "body": "SECRET-ONE"}])
    new = modifier([{"title": "Payer notes", "summary": "Which payers accept 25",
                     "body": "SECRET-TWO"}])
    changes = diff.field_changes(old, new)
    assert [(c.field, c.before, c.after) for c in changes] == [
        ("members", "Payer notes", "Payer notes (Which payers accept 25)")]
    body_only = diff.field_changes(new, modifier([{**new.members[0], "body": "SECRET-THREE"}]))
    assert [(c.field, c.after) for c in body_only] == [
        ("members", "text changed (members-only, not shown): Payer notes (Which payers accept 25)")]
