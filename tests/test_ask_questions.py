"""The ask box's regression set (tests/ask_questions/questions.py), asked in Chromium on a site
built from the real content, modifiers and CPT/HCPCS records and a cut of the real FY2026
tabular XML (the categories the questions need: tests/ask_questions/tabular.py).

Every expectation that comes from the code set is checked against the XML itself before the
answer is compared with it: titles, notes at the level they are cited from, 7th characters,
whether a code exists, and which Excludes notes relate a pair of codes.

On the full build: `ASK_SITE=site .venv/bin/python -m pytest tests/test_ask_questions.py`
asks the same questions on an already built site folder instead of building the cut.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from generator.jobboard import BUILD_DATE_ENV

from .ask_questions import tabular
from .ask_questions.questions import QUESTIONS
from .projects import ROOT, new_project
from .test_ask import ask_all


@pytest.fixture(scope="module")
def site(tmp_path_factory, site_builder) -> Path:
    if os.environ.get("ASK_SITE"):
        return Path(os.environ["ASK_SITE"]).resolve()
    folder = tmp_path_factory.mktemp("askq")
    project = new_project(folder, "real", data=tuple(p.name for p in (ROOT / "data").glob("*.yaml")),
                          icd_xml=tabular.cut(folder / "tabular.xml"))
    # The release history (issue 11): CC/MCC, MCE edits, first releases and validity dates.
    shutil.copytree(ROOT / "data" / "icd-10-cm-history", project / "data" / "icd-10-cm-history")
    out = project / "site"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(BUILD_DATE_ENV, "2026-11-26")
        assert site_builder(project / "mkdocs.yml", out) == 0
    return out


def test_the_set_is_big_and_has_no_repeats():
    assert len(QUESTIONS) >= 150
    assert len({q.question.lower() for q in QUESTIONS}) == len(QUESTIONS)


@pytest.mark.parametrize("case", QUESTIONS, ids=lambda q: q.question[:60])
def test_expectations_hold_in_the_xml(case):
    """What each question expects from the code set is what the FY2026 XML says."""
    for fact in case.facts:
        fact.check_xml(case)


def problems_of(case, got, site: Path) -> list[str]:
    problems = []
    if got["kind"] != case.kind:
        problems.append(f"kind {got['kind']!r}, expected {case.kind!r}")
    if case.verdict is not None and got["verdict"] != case.verdict:
        problems.append(f"verdict {got['verdict']!r}, expected {case.verdict!r}")
    text = " ".join(got["text"].split())
    for says in case.says:
        if " ".join(says.split()) not in text:
            problems.append(f"does not say {says!r}")
    for never in case.never:
        if never.lower() in text.lower():
            problems.append(f"says {never!r}")
    linked = {link["text"] for link in got["links"]}
    for code in case.links:
        if code not in linked:
            problems.append(f"does not link {code}")
    for fact in case.facts:
        problems += fact.check_answer(case, got, text, linked)
    for link in got["links"]:
        path = Path(unquote(urlparse(link["href"]).path))
        if link["href"].startswith("file:") and not (path / "index.html" if link["href"].endswith("/") else path).is_file():
            problems.append(f"link {link['text']!r} leads nowhere: {link['href']}")
    if case.kind not in ("unknown", "topic") and not got["links"]:
        problems.append("cites nothing")
    if got["images"]:
        problems.append("an image was injected")
    return problems


def test_the_questions_are_answered_in_chromium(site, page):
    page.goto((site / "ask" / "index.html").as_uri())
    page.wait_for_selector("#cc-ask:not([hidden])")
    results = ask_all(page, [(case.question,) for case in QUESTIONS])
    failures = []
    for case, got in zip(QUESTIONS, results):
        problems = problems_of(case, got, site)
        if problems:
            failures.append(f"{case.question!r}: " + "; ".join(problems) + "\n    "
                            + " ".join(got["text"].split())[:400])
    assert failures == [], f"{len(failures)} of {len(QUESTIONS)} questions answered wrongly:\n" + "\n".join(failures)
