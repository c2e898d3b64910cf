"""The job board: data/jobs.yaml checked with file:line messages, pages with schema.org
JobPosting JSON-LD, expired postings dropped from the listing, the Atom feed, and the filters
in Chromium. Built on a copy of the basic fixture with the real data/jobs.yaml and a build date
fixed by OCR_BUILD_DATE."""
from __future__ import annotations

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator import jobboard as jobs

from .conftest import ROOT
from .projects import new_project

BUILD_DATE = "2026-11-26"
ATOM = "{http://www.w3.org/2005/Atom}"


def make_project(tmp: Path) -> Path:
    """The basic fixture plus the job board, the forms and their pages."""
    project = new_project(tmp, "basic", data=("jobs.yaml",),
                          content=("jobs/post.md", "thanks.md", "ask-an-expert.md", "ask.md"))
    config = project / "mkdocs.yml"   # the basic fixture lists only the codes plugin
    config.write_text(config.read_text().replace("  - codes\n", "  - codes\n  - jobs\n"))
    return project


@pytest.fixture(scope="module")
def jobs_site(tmp_path_factory, site_builder) -> Path:
    project = make_project(tmp_path_factory.mktemp("jobs"))
    out = project / "site"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(jobs.BUILD_DATE_ENV, BUILD_DATE)
        assert site_builder(project / "mkdocs.yml", out) == 0
    return out


@pytest.fixture(scope="module")
def sample_jobs():
    found, problems = jobs.load_jobs(ROOT / "data" / "jobs.yaml", "data/jobs.yaml")
    assert problems == []
    return found


# --- the data ------------------------------------------------------------------------------

def test_sample_jobs_are_at_least_twelve_and_all_marked_as_examples(sample_jobs):
    assert len(sample_jobs) >= 12
    assert all(j.example for j in sample_jobs)
    assert all("example" in j.id for j in sample_jobs)


def test_every_job_field_is_described():
    assert all(f.description.strip() for f in jobs.JOB_FIELDS)
    assert {"title", "employer", "arrangement", "employment_type", "credentials", "specialty",
            "salary", "posted", "expires", "apply_url", "apply_email"} <= set(jobs.JOB_FIELDS_BY_NAME)


def load_text(tmp_path: Path, text: str):
    path = tmp_path / "jobs.yaml"
    path.write_text(text)
    return jobs.load_jobs(path, "data/jobs.yaml")


GOOD = """jobs:
  - id: coder-one
    title: Coder
    employer: Acme
    arrangement: on-site
    city: Austin
    state: TX
    employment_type: full-time
    posted: 2026-01-01
    expires: 2026-02-01
    description: Code things.
    apply_email: a@example.org
"""


def test_a_valid_file_loads(tmp_path):
    found, problems = load_text(tmp_path, GOOD)
    assert problems == []
    assert found[0].location == "Austin, TX"


@pytest.mark.parametrize("change, expected", [
    (("arrangement: on-site", "arrangement: onsite"),
     "data/jobs.yaml:5: job 'coder-one': 'arrangement' must be one of remote, hybrid, on-site; found 'onsite'"),
    (("    state: TX\n", "    state: Texas\n"),
     "data/jobs.yaml:7: job 'coder-one': 'state' must be one of AL,"),
    (("expires: 2026-02-01", "expires: 2025-12-01"),
     "data/jobs.yaml:10: job 'coder-one': 'expires' is 2025-12-01, before 'posted' 2026-01-01"),
    (("posted: 2026-01-01", "posted: 01/01/2026"),
     "data/jobs.yaml:9: job 'coder-one': 'posted' expected a date as YYYY-MM-DD"),
    (("    apply_email: a@example.org\n", ""),
     "data/jobs.yaml:2: job 'coder-one': 'apply_url' is missing: give apply_url or apply_email"),
    (("    city: Austin\n", ""),
     "data/jobs.yaml:2: job 'coder-one': 'city' is required for on-site jobs"),
    (("    title: Coder\n", "    title: Coder\n    salary: {min: 90, max: 20, period: hour}\n"),
     "data/jobs.yaml:4: job 'coder-one': 'salary' min 90 is more than max 20"),
    (("    title: Coder\n", "    title: Coder\n    credentials: [CPC, XYZ]\n"),
     "data/jobs.yaml:4: job 'coder-one': 'credentials' 'XYZ' is not one of CPC,"),
    (("    title: Coder\n", "    title: Coder\n    titel: Coder\n"),
     "data/jobs.yaml:4: job 'coder-one': 'titel' is not a known job field"),
    (("id: coder-one", "id: Coder One"),
     "data/jobs.yaml:2: job 'Coder One': 'id' 'Coder One' must be lowercase letters"),
    (("id: coder-one", "id: post"),
     "data/jobs.yaml:2: job 'post': 'id' 'post' is the name of another page under /jobs/"),
    (("apply_email: a@example.org", "apply_url: javascript:alert(1)"),
     "data/jobs.yaml:12: job 'coder-one': 'apply_url' must be an http or https address"),
])
def test_bad_jobs_are_reported_with_file_and_line(tmp_path, change, expected):
    found, problems = load_text(tmp_path, GOOD.replace(*change))
    assert found == []
    assert any(str(p).startswith(expected) for p in problems), [str(p) for p in problems]


def test_every_problem_is_reported_at_once_and_good_jobs_are_kept(tmp_path):
    item = GOOD.split("\n", 1)[1]
    text = GOOD + item.replace("coder-one", "coder-two").replace("full-time", "sometimes") \
        + item.replace("coder-one", "coder-three").replace("Austin", "Dallas")
    found, problems = load_text(tmp_path, text)
    assert [j.id for j in found] == ["coder-one", "coder-three"]
    assert len(problems) == 1 and "'employment_type' must be one of" in str(problems[0])


def test_duplicate_ids_and_broken_yaml_are_errors(tmp_path):
    found, problems = load_text(tmp_path, GOOD + GOOD.split("\n", 1)[1])
    assert "data/jobs.yaml:13: job 'coder-one': 'id' duplicates the job on line 2" in str(problems[0])
    _, problems = load_text(tmp_path, "jobs:\n  - id: [x\n")
    assert str(problems[0]).startswith("data/jobs.yaml:") and "is not valid YAML" in str(problems[0])


@pytest.mark.parametrize("text, expected", [
    (GOOD.replace("    title: Coder\n",
                  "    title: Coder\n    salary: {min: 20, max: 30, min: 25, period: hour}\n"),
     "data/jobs.yaml:4: job 'coder-one': 'salary.min' appears twice (first on line 4); keep one"),
    (GOOD + "jobs: []\n", "data/jobs.yaml:13: 'jobs' appears twice (first on line 1); keep one"),
    (GOOD.replace("    title: Coder\n", "    title: Coder\n    title: Biller\n"),
     "data/jobs.yaml:4: job 'coder-one': 'title' appears twice (first on line 3); keep one"),
    (GOOD.replace("    title: Coder\n", "    title: Coder\n    [a]: b\n"),
     "data/jobs.yaml:4: job 'coder-one': has a key that is a list; keys are plain text such as "
     "'title'"),
    (GOOD.replace("    title: Coder\n", "    title: Coder\n    salary: {min: 20, max: 30}\n"),
     "data/jobs.yaml:4: job 'coder-one': 'salary' is missing period"),
    ("# no postings yet\n", "data/jobs.yaml:1: is empty; put the postings in a 'jobs:' list, or "
     "delete the file"),
    (GOOD.replace("title: Coder", "title: " + "C" * 151),
     "data/jobs.yaml:3: job 'coder-one': 'title' is 151 characters long, more than the 150 "
     "allowed; shorten it"),
])
def test_nothing_is_merged_or_dropped_silently(tmp_path, text, expected):
    found, problems = load_text(tmp_path, text)
    assert [str(p) for p in problems] == [expected]


def test_a_bad_byte_in_jobs_yaml_is_located(tmp_path):
    path = tmp_path / "jobs.yaml"
    path.write_bytes(GOOD.encode().replace(b"Acme", b"Acm\xff"))
    assert [str(p) for p in jobs.load_jobs(path, "data/jobs.yaml")[1]] == [
        "data/jobs.yaml:4: is not UTF-8 text: byte 0xff at column 18 (invalid start byte); save "
        "the file as UTF-8"]


def test_the_build_date_comes_from_the_option_or_either_variable(monkeypatch):
    monkeypatch.delenv("OCR_BUILD_DATE", raising=False)
    monkeypatch.setenv("CODES_BUILD_DATE", "2026-03-04")
    assert jobs.build_date() == dt.date(2026, 3, 4)
    monkeypatch.setenv("OCR_BUILD_DATE", "2026-05-06")
    assert jobs.build_date() == dt.date(2026, 5, 6)
    assert jobs.build_date("2026-07-08") == dt.date(2026, 7, 8)
    with pytest.raises(jobs.JobsError, match="build_date='July' is not a date; use YYYY-MM-DD"):
        jobs.build_date("July")


def test_a_bad_jobs_file_fails_the_build_with_its_line(tmp_path, site_builder):
    project = make_project(tmp_path)
    (project / "data" / "jobs.yaml").write_text(GOOD.replace("on-site", "office"))
    out = tmp_path / "out"
    assert site_builder(project / "mkdocs.yml", out) != 0
    assert not out.exists()


def test_jobs_yaml_is_not_read_as_code_records():
    from generator.records import data_files

    assert ROOT / "data" / "jobs.yaml" not in data_files(ROOT / "data")


# --- the pages -----------------------------------------------------------------------------

def json_ld(html: str) -> list[dict]:
    return [json.loads(m) for m in re.findall(
        r'<script type="application/ld\+json">\s*(.*?)\s*</script>', html, re.S)
        if '"JobPosting"' in m]


def check_job_posting(data: dict) -> None:
    """The properties Google's job posting documentation requires, with their types."""
    assert data["@context"].rstrip("/") == "https://schema.org"
    assert data["@type"] == "JobPosting"
    for key in ("title", "description", "datePosted", "hiringOrganization", "validThrough"):
        assert data.get(key), key
    dt.date.fromisoformat(data["datePosted"])
    dt.datetime.fromisoformat(data["validThrough"])
    assert data["hiringOrganization"]["@type"] == "Organization"
    assert data["hiringOrganization"]["name"]
    if data.get("jobLocationType") == "TELECOMMUTE":
        requirements = data["applicantLocationRequirements"]
        assert requirements and all(r["@type"] in ("Country", "State") and r["name"]
                                    for r in requirements)
    else:
        address = data["jobLocation"]["address"]
        assert data["jobLocation"]["@type"] == "Place"
        assert address["@type"] == "PostalAddress"
        assert address["addressLocality"] and address["addressRegion"] and address["addressCountry"]
    assert data["employmentType"] in jobs.EMPLOYMENT_TYPES.values()
    if "baseSalary" in data:
        value = data["baseSalary"]["value"]
        assert data["baseSalary"]["currency"] == "USD"
        assert value["minValue"] <= value["maxValue"] and value["unitText"] in ("HOUR", "YEAR")


def test_open_job_pages_carry_valid_json_ld(jobs_site, sample_jobs):
    today = dt.date.fromisoformat(BUILD_DATE)
    open_jobs = [j for j in sample_jobs if j.is_open(today)]
    assert len(open_jobs) >= 12
    for job in open_jobs:
        html = (jobs_site / "jobs" / job.id / "index.html").read_text()
        found = json_ld(html)
        assert len(found) == 1, job.id
        check_job_posting(found[0])
        assert found[0]["title"] == job.title
        assert found[0]["validThrough"].startswith(job.expires.isoformat())
        assert "Example posting." in html
    remote = next(j for j in open_jobs if j.arrangement == "remote" and j.remote_states)
    data = json_ld((jobs_site / "jobs" / remote.id / "index.html").read_text())[0]
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert [r["name"] for r in data["applicantLocationRequirements"]] == \
        [jobs.STATES[s] for s in remote.remote_states]


def test_expired_jobs_leave_the_listing_and_their_page_says_closed(jobs_site, sample_jobs):
    today = dt.date.fromisoformat(BUILD_DATE)
    closed = [j for j in sample_jobs if j.expires < today]
    assert closed, "the samples include closed postings"
    listing = (jobs_site / "jobs" / "index.html").read_text()
    for job in sample_jobs:
        assert (f'data-id="{job.id}"' in listing) == job.is_open(today)
    for job in closed:
        html = (jobs_site / "jobs" / job.id / "index.html").read_text()
        assert "This position is closed." in html
        assert json_ld(html) == []
        assert "How to apply" not in html


def test_the_build_date_decides_what_is_open(tmp_path, sample_jobs):
    early = jobs.render_files(sample_jobs, dt.date(2026, 5, 1))
    late = jobs.render_files(sample_jobs, dt.date(2027, 6, 1))
    assert 'data-id="summer-coding-intern-closed-example"' in early["jobs/index.md"]
    assert 'data-id="remote-risk-adjustment-coder-example"' not in early["jobs/index.md"]
    assert "job-card" not in late["jobs/index.md"].split('id="jobs-list"')[1].split("</ul>")[0]
    assert "This position is closed." in late["jobs/remote-risk-adjustment-coder-example.md"]


def test_yaml_text_is_escaped_on_pages_and_in_json_ld(tmp_path):
    text = GOOD.replace("title: Coder", 'title: "Coder <script>alert(1)</script>"').replace(
        "description: Code things.", 'description: "Bad </script><img src=x onerror=alert(1)> & co"')
    found, problems = load_text(tmp_path, text)
    assert problems == []
    files = jobs.render_files(found, dt.date(2026, 1, 15))
    page = files["jobs/coder-one.md"]
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    data = json_ld(page)[0]
    assert data["title"] == "Coder <script>alert(1)</script>"
    assert "</script><img" not in page.split('application/ld+json">')[1].split("</script>")[0]
    feed = ET.fromstring(files["jobs/feed.xml"])
    assert feed.find(f"{ATOM}entry/{ATOM}title").text.startswith("Coder <script>")


def test_the_atom_feed_lists_open_jobs_newest_first(jobs_site, sample_jobs):
    today = dt.date.fromisoformat(BUILD_DATE)
    feed = ET.parse(jobs_site / "jobs" / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}id").text.startswith("urn:uuid:")
    assert feed.find(f"{ATOM}title").text
    entries = feed.findall(f"{ATOM}entry")
    open_jobs = sorted((j for j in sample_jobs if j.is_open(today)), key=lambda j: j.posted,
                       reverse=True)
    assert len(entries) == len(open_jobs)
    published = [e.find(f"{ATOM}published").text for e in entries]
    assert published == sorted(published, reverse=True)
    assert feed.find(f"{ATOM}updated").text == published[0]
    ids = set()
    for entry in entries:
        for key in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{key}").text, key
        ids.add(entry.find(f"{ATOM}id").text)
        href = entry.find(f"{ATOM}link").get("href")
        assert (jobs_site / "jobs" / href / "index.html").is_file(), href
    assert len(ids) == len(entries)
    closed = {j.title for j in sample_jobs if j.expires < today}
    assert not any(e.find(f"{ATOM}title").text.split(" — ")[0] in closed for e in entries)


def test_post_a_job_form_is_a_netlify_form_in_the_static_html(jobs_site):
    html = (jobs_site / "jobs" / "post" / "index.html").read_text()
    form = re.search(r'<form[^>]*name="post-a-job"[^>]*>', html).group(0)
    assert 'data-netlify="true"' in form and 'netlify-honeypot="bot-field"' in form
    assert 'method="POST"' in form and 'action="/thanks/"' in form
    assert '<input name="bot-field"' in html
    assert '<input type="hidden" name="form-name" value="post-a-job">' in html
    for name in ("employer", "email", "title", "arrangement", "location", "employment_type",
                 "credentials", "expires", "description", "apply"):
        assert f'name="{name}"' in html, name
    assert "What happens next" in html
    assert (jobs_site / "thanks" / "index.html").is_file()


# --- the filters, in Chromium --------------------------------------------------------------

def visible_ids(page) -> list[str]:
    return page.eval_on_selector_all(".job-card:not([hidden])", "els => els.map(e => e.dataset.id)")


def test_filters_work_in_the_browser_without_a_server(jobs_site, browser, sample_jobs):
    today = dt.date.fromisoformat(BUILD_DATE)
    open_jobs = [j for j in sample_jobs if j.is_open(today)]
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((jobs_site / "jobs" / "index.html").as_uri())
    page.wait_for_selector("#jobs-filters:not([hidden])")
    assert len(visible_ids(page)) == len(open_jobs)

    page.select_option("select[name=credential]", "CRC")
    assert sorted(visible_ids(page)) == sorted(j.id for j in open_jobs if "CRC" in j.credentials)

    page.select_option("select[name=arrangement]", "remote")
    assert sorted(visible_ids(page)) == sorted(
        j.id for j in open_jobs if "CRC" in j.credentials and j.arrangement == "remote")
    page.select_option("select[name=credential]", "")

    page.select_option("select[name=arrangement]", "")
    page.select_option("select[name=state]", "GA")
    expected = sorted(j.id for j in open_jobs
                      if j.state == "GA" or (j.arrangement == "remote"
                                             and (not j.remote_states or "GA" in j.remote_states)))
    assert sorted(visible_ids(page)) == expected
    assert "per-diem-coder-atlanta-example" in expected and "ed-pro-fee-coder-example" in expected
    assert "radiology-coder-remote-example" not in expected
    assert page.inner_text("#jobs-count").startswith(f"{len(expected)} of {len(open_jobs)}")

    page.select_option("select[name=credential]", "CDIP")
    page.select_option("select[name=arrangement]", "on-site")
    assert visible_ids(page) == []
    assert page.is_visible("#jobs-none")
    page.click("button[type=reset]")
    page.wait_for_function("document.querySelectorAll('.job-card:not([hidden])').length > 1")
    assert len(visible_ids(page)) == len(open_jobs)
    assert errors == []
    page.close()


def test_filters_read_and_write_the_address(jobs_site, browser, serve):
    base = serve(jobs_site)
    page = browser.new_page()
    page.goto(base + "jobs/?credential=CPB&arrangement=on-site")
    page.wait_for_selector("#jobs-filters:not([hidden])")
    assert visible_ids(page) == ["billing-specialist-denver-example"]
    page.select_option("select[name=state]", "CO")
    assert "state=CO" in page.url and "credential=CPB" in page.url
    page.close()


def test_the_board_builds_in_parallel_shards_and_without_directory_urls(tmp_path, site_builder):
    project = make_project(tmp_path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(jobs.BUILD_DATE_ENV, BUILD_DATE)
        assert site_builder(project / "mkdocs.yml", tmp_path / "sharded", jobs=2) == 0
        config = project / "mkdocs.yml"
        config.write_text(config.read_text() + "use_directory_urls: false\n")
        assert site_builder(config, tmp_path / "flat") == 0
    assert (tmp_path / "sharded" / "jobs" / "feed.xml").is_file()
    assert (tmp_path / "sharded" / "jobs" / "post" / "index.html").is_file()
    flat = tmp_path / "flat" / "jobs"
    for page in [flat / "index.html", flat / "denials-analyst-closed-example.html"]:
        html = page.read_text()
        for href in re.findall(r'<a[^>]* href="([^"#?]+)"', html):
            if href.startswith(("http", "mailto")):
                continue
            assert (page.parent / href).resolve().is_file(), (page.name, href)


def test_the_board_is_its_own_plugin_and_the_code_generator_knows_nothing_of_it():
    from importlib.metadata import entry_points

    plugins = {e.name: e.value for e in entry_points(group="mkdocs.plugins")}
    assert plugins["jobs"] == "generator.jobboard.plugin:JobsPlugin"
    assert "  - jobs:\n" in (ROOT / "mkdocs.yml").read_text()
    for name in ("plugin.py", "records.py", "dataset.py", "links.py", "pages.py", "schema.py"):
        source = (ROOT / "generator" / name).read_text()
        assert not re.search(r"import .*\bjob|from \.job", source), name
