"""The pull-request workflow, the pre-commit hooks and the annotations they rely on."""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

from .conftest import ROOT

WORKFLOW = yaml.safe_load((ROOT / ".github" / "workflows" / "pull-request.yml").read_text())
PRE_COMMIT = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())


def steps(job: str) -> list[dict]:
    return WORKFLOW["jobs"][job]["steps"]


def commands(job: str) -> str:
    return "\n".join(s.get("run", "") for s in steps(job))


def test_runs_on_every_pull_request_and_on_main():
    triggers = WORKFLOW.get("on", WORKFLOW.get(True))   # YAML 1.1 reads a bare `on` as true
    assert "pull_request" in triggers
    assert triggers["push"]["branches"] == ["main"]
    assert WORKFLOW["permissions"] == {"contents": "read"}


def test_the_data_check_annotates_and_reports_changes():
    run = commands("check")
    assert "python -m generator check --github" in run
    assert "python -m generator schema --check" in run
    assert 'python -m generator.diff "origin/${{ github.base_ref }}" --output change-report.md --full change-report-full.md' in run
    checkout = next(s for s in steps("check") if s.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0   # the base branch must be there to compare
    assert WORKFLOW["jobs"]["check"]["permissions"]["pull-requests"] == "write"
    names = [s.get("uses", "") for s in steps("check")]
    upload = next(s for s in steps("check") if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"] == "change-report-full.md"   # the comment may be cut; this is not
    assert any(n.startswith("actions/github-script") for n in names)


def test_the_fast_tier_runs_first_and_before_every_commit():
    assert "make test-fast" in commands("check")
    assert WORKFLOW["jobs"]["test"]["needs"] == "check"
    hooks = {h["id"]: h for repo in PRE_COMMIT["repos"] for h in repo["hooks"]}
    assert hooks["test-fast"]["entry"] == "make --no-print-directory test-fast"
    assert hooks["test-fast"]["always_run"] is True
    ci = (ROOT / ".ci" / "run").read_text()
    assert ci.index("make test-fast") < ci.index("make test-slow")
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^test: test-fast test-slow$", makefile, re.M)
    assert '-m "not slow and not browser"' in makefile


def test_tests_and_full_build_run_and_the_site_is_uploaded():
    assert "make test-slow" in commands("test")
    assert "make site" in commands("build")
    upload = next(s for s in steps("build") if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"] == "site.tar.gz"
    assert "tar -czf site.tar.gz site" in commands("build")
    for job in WORKFLOW["jobs"].values():
        assert job["timeout-minutes"] <= 90


def test_every_action_is_pinned_to_a_version():
    for job in WORKFLOW["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"[\w-]+/[\w-]+@v\d+", step["uses"]), step["uses"]


def test_every_make_target_used_exists():
    used = set()
    for job in WORKFLOW["jobs"]:
        used |= set(re.findall(r"\bmake ([\w./-]+)", commands(job)))
    for hook in PRE_COMMIT["repos"][0]["hooks"]:
        used |= {w for w in re.findall(r"\bmake (?:--[\w-]+ )*([\w./-]+)", hook["entry"])}
    assert {"test-fast", "test-slow", "site", "check", ".venv/.site-deps"} <= used
    for target in used:
        done = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0, f"make {target}: {done.stderr}"


def test_pre_commit_runs_the_fast_checks_on_data_files():
    hooks = {h["id"]: h for h in PRE_COMMIT["repos"][0]["hooks"]}
    assert PRE_COMMIT["repos"][0]["repo"] == "local"
    assert re.match(hooks["check-data"]["files"], "data/modifiers-cpt.yaml")
    assert re.match(hooks["check-data"]["files"], "data/icd-10-cm/04/E08-E13.yaml")
    assert not re.match(hooks["check-data"]["files"], "generator/plugin.py")
    assert all(h["pass_filenames"] is False for h in hooks.values())
    schema = subprocess.run(shlex.split(hooks["schema-current"]["entry"]), cwd=ROOT,
                            capture_output=True, text=True)
    assert schema.returncode == 0, schema.stderr


BROKEN = """records:
  - kind: modifier
    system: cpt
    code: "53"
    title: Discontinued procedure
    descripton: typo in a field name
    source:
      name: Editors
"""


def check(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", "check", "--github"], cwd=project,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_a_broken_record_gets_an_annotation_on_its_line(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "modifiers.yaml").write_text(BROKEN)
    done = check(tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "::error file=data/modifiers.yaml,line=6::data/modifiers.yaml:6: modifier '53': "
        "'descripton' is not a known field; did you mean 'description'?"]
    (tmp_path / "data" / "modifiers.yaml").write_text(BROKEN.replace("descripton", "description"))
    done = check(tmp_path)
    assert (done.returncode, done.stdout) == (0, "")
