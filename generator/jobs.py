"""The job board: job postings from data/jobs.yaml, checked like records, turned into pages.

Jobs are not code records (they have their own fields, declared once in JOB_FIELDS), so
`records.data_files` skips data/jobs.yaml and this module loads it: safe YAML with the line of
every job and field, every problem reported at once as `file:line: job 'id': 'field' message`.

`site_files` returns what the plugin adds to the site: the listing at jobs/ (open postings only,
with filters that run in the browser), one page per posting with schema.org JobPosting JSON-LD
(closed postings keep their page, which says the position is closed) and an Atom feed of open
postings at jobs/feed.xml. Which postings are open depends on the build date: today, or
CODES_BUILD_DATE=YYYY-MM-DD (tests set it).
"""
from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import yaml
from markupsafe import Markup

from .links import page_href, page_url
from .pages import TEMPLATES
from .records import Problem

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML without libyaml
    _Loader = yaml.SafeLoader

JOBS_FILE = "jobs.yaml"
FOLDER = "jobs"
BUILD_DATE_ENV = "CODES_BUILD_DATE"
# Pages that live beside the postings (hand-written content/jobs/post.md, the feed).
RESERVED_IDS = {"index", "post", "feed", "thanks"}
POST_URI = f"{FOLDER}/post.md"    # the post-a-job form (content/jobs/post.md)

ARRANGEMENTS = {"remote": "Remote", "hybrid": "Hybrid", "on-site": "On-site"}
# Employment types as schema.org's JobPosting employmentType spells them.
EMPLOYMENT_TYPES = {"full-time": "FULL_TIME", "part-time": "PART_TIME", "contract": "CONTRACTOR",
                    "temporary": "TEMPORARY", "per-diem": "PER_DIEM", "internship": "INTERN"}
CREDENTIALS = {
    "CPC": "Certified Professional Coder (AAPC)",
    "COC": "Certified Outpatient Coder (AAPC)",
    "CIC": "Certified Inpatient Coder (AAPC)",
    "CRC": "Certified Risk Adjustment Coder (AAPC)",
    "CPB": "Certified Professional Biller (AAPC)",
    "CPMA": "Certified Professional Medical Auditor (AAPC)",
    "CDEO": "Certified Documentation Expert Outpatient (AAPC)",
    "CCA": "Certified Coding Associate (AHIMA)",
    "CCS": "Certified Coding Specialist (AHIMA)",
    "CCS-P": "Certified Coding Specialist, Physician-based (AHIMA)",
    "CDIP": "Certified Documentation Integrity Practitioner (AHIMA)",
    "RHIT": "Registered Health Information Technician (AHIMA)",
    "RHIA": "Registered Health Information Administrator (AHIMA)",
    "CCDS": "Certified Clinical Documentation Specialist (ACDIS)",
}
STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon",
    "PA": "Pennsylvania", "PR": "Puerto Rico", "RI": "Rhode Island", "SC": "South Carolina",
    "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
    "VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin",
    "WY": "Wyoming",
}
SALARY_PERIODS = {"hour": "HOUR", "year": "YEAR"}


@dataclass(frozen=True)
class JobField:
    name: str
    type: str          # slug | string | text | url | email | bool | date | choice | choices | states | salary
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()


JOB_FIELDS: tuple[JobField, ...] = (
    JobField("id", "slug", "Short unique name of the posting, used in its URL: lowercase letters, "
             "digits and hyphens, e.g. 'remote-risk-adjustment-coder-acme'.", required=True),
    JobField("example", "bool", "true for a sample posting that shows how the board works; its "
             "page and listing entry say it is an example, not a real vacancy."),
    JobField("title", "string", "The job title, e.g. 'Outpatient Coder II'.", required=True),
    JobField("employer", "string", "The hiring organization's name.", required=True),
    JobField("employer_url", "url", "The employer's website (http or https)."),
    JobField("arrangement", "choice", "Where the work is done.", required=True,
             choices=tuple(ARRANGEMENTS)),
    JobField("city", "string", "City of the workplace; required for hybrid and on-site jobs."),
    JobField("state", "choice", "Two-letter US state of the workplace (TX); required for hybrid "
             "and on-site jobs.", choices=tuple(STATES)),
    JobField("remote_states", "states", "For remote jobs: the states applicants must live in, as "
             "two-letter codes; leave out when applicants may live anywhere in the US."),
    JobField("employment_type", "choice", "The kind of employment.", required=True,
             choices=tuple(EMPLOYMENT_TYPES)),
    JobField("credentials", "choices", "Credentials the employer requires, any of them "
             "accepted (CPC, CCS, CCA, RHIT, CRC, CDIP, ...); leave out when none is required.",
             choices=tuple(CREDENTIALS)),
    JobField("specialty", "string", "The coding specialty, e.g. 'Risk adjustment', "
             "'Emergency department', 'Inpatient facility'."),
    JobField("salary", "salary", "Optional pay range: a mapping with min, max (numbers, US "
             "dollars) and period (hour or year)."),
    JobField("posted", "date", "The date the posting was published (YYYY-MM-DD).", required=True),
    JobField("expires", "date", "The last day the posting is open (YYYY-MM-DD); after it the "
             "posting leaves the listing and the feed, and its page says it is closed.",
             required=True),
    JobField("description", "text", "What the job is, in plain text; blank lines separate "
             "paragraphs.", required=True),
    JobField("apply_url", "url", "Where to apply (http or https); give this or apply_email."),
    JobField("apply_email", "email", "The address applications go to; give this or apply_url."),
)
JOB_FIELDS_BY_NAME = {f.name: f for f in JOB_FIELDS}
SALARY_FIELDS = ("min", "max", "period")


@dataclass
class Job:
    id: str
    title: str
    employer: str
    arrangement: str
    employment_type: str
    posted: dt.date
    expires: dt.date
    description: str
    file: str
    line: int
    example: bool = False
    employer_url: str | None = None
    city: str | None = None
    state: str | None = None
    remote_states: list[str] = field(default_factory=list)
    credentials: list[str] = field(default_factory=list)
    specialty: str | None = None
    salary: dict | None = None
    apply_url: str | None = None
    apply_email: str | None = None

    def is_open(self, today: dt.date) -> bool:
        return self.posted <= today <= self.expires

    @property
    def src_uri(self) -> str:
        return f"{FOLDER}/{self.id}.md"

    @property
    def location(self) -> str:
        if self.arrangement == "remote":
            where = ", ".join(self.remote_states) if self.remote_states else "anywhere in the US"
            return f"Remote ({where})"
        return f"{self.city}, {self.state}"

    @property
    def filter_states(self) -> list[str]:
        """States a reader filtering by state finds this job under: where it is, or where a
        remote worker may live ('US' for anywhere)."""
        if self.arrangement == "remote":
            return self.remote_states or ["US"]
        return [self.state]

    @property
    def paragraphs(self) -> list[str]:
        return [" ".join(p.split()) for p in re.split(r"\n\s*\n", self.description) if p.strip()]


class JobsError(Exception):
    """data/jobs.yaml has errors; the message lists every one with file and line."""


# --- loading -----------------------------------------------------------------------------

_NULLS = {"", "~", "null", "Null", "NULL"}


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _text(node: yaml.Node) -> str | None:
    if isinstance(node, yaml.ScalarNode) and not (
            node.tag == "tag:yaml.org,2002:null" and node.value in _NULLS):
        return node.value.strip()
    return None


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return "nothing" if _text(node) in (None, "") else f"'{node.value}'"


class _Checker:
    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []

    def add(self, line: int, who: str, name: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, who, name, message))


def _value(chk: _Checker, f: JobField, node: yaml.Node, who: str):
    """The checked value of one field, or None after reporting a problem."""
    line = _line(node)
    if f.type in ("states", "choices"):
        if not isinstance(node, yaml.SequenceNode):
            chk.add(line, who, f.name, f"expected a list, found {_describe(node)}")
            return None
        allowed = STATES if f.type == "states" else f.choices
        out = []
        for item in node.value:
            value = _text(item)
            if value not in allowed:
                chk.add(_line(item), who, f.name, f"'{value}' is not one of "
                        f"{', '.join(allowed)}")
                return None
            out.append(value)
        return out
    if f.type == "salary":
        return _salary(chk, node, who)
    value = _text(node)
    if value in (None, ""):
        chk.add(line, who, f.name, f"expected text, found {_describe(node)}")
        return None
    if f.type == "slug" and not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value):
        chk.add(line, who, f.name, f"'{value}' must be lowercase letters, digits and single "
                "hyphens, e.g. 'remote-outpatient-coder'")
        return None
    if f.type == "slug" and value in RESERVED_IDS:
        chk.add(line, who, f.name, f"'{value}' is the name of another page under /jobs/; "
                "choose another")
        return None
    if f.type == "choice" and value not in f.choices:
        chk.add(line, who, f.name, f"must be one of {', '.join(f.choices)}; found '{value}'")
        return None
    if f.type == "bool":
        if value not in ("true", "false"):
            chk.add(line, who, f.name, f"must be true or false; found '{value}'")
            return None
        return value == "true"
    if f.type == "date":
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError
            return dt.date.fromisoformat(value)
        except ValueError:
            chk.add(line, who, f.name, f"expected a date as YYYY-MM-DD (2026-01-31), found "
                    f"'{value}'")
            return None
    if f.type == "url" and not re.fullmatch(r"https?://[^\s<>\"]+", value):
        chk.add(line, who, f.name, f"must be an http or https address, found '{value}'")
        return None
    if f.type == "email" and not re.fullmatch(r"[^@\s<>\"]+@[^@\s<>\"]+\.[A-Za-z]{2,}", value):
        chk.add(line, who, f.name, f"must be an email address like jobs@example.org, found "
                f"'{value}'")
        return None
    return value


def _salary(chk: _Checker, node: yaml.Node, who: str) -> dict | None:
    if not isinstance(node, yaml.MappingNode):
        chk.add(_line(node), who, "salary", "expected a mapping with min, max and period; found "
                f"{_describe(node)}")
        return None
    out: dict = {}
    for key_node, value_node in node.value:
        key = _text(key_node)
        value = _text(value_node)
        if key not in SALARY_FIELDS:
            chk.add(_line(key_node), who, f"salary.{key}", "is not a known field of 'salary'; "
                    "known fields: min, max, period")
            return None
        if key == "period":
            if value not in SALARY_PERIODS:
                chk.add(_line(value_node), who, "salary.period",
                        f"must be hour or year; found {_describe(value_node)}")
                return None
            out[key] = value
        else:
            try:
                number = float(value or "")
                if number <= 0:
                    raise ValueError
            except ValueError:
                chk.add(_line(value_node), who, f"salary.{key}",
                        f"expected a positive number of US dollars, found {_describe(value_node)}")
                return None
            out[key] = int(number) if number.is_integer() else number
    missing = [k for k in SALARY_FIELDS if k not in out]
    if missing:
        chk.add(_line(node), who, "salary", f"is missing {', '.join(missing)}")
        return None
    if out["min"] > out["max"]:
        chk.add(_line(node), who, "salary", f"min {out['min']} is more than max {out['max']}")
        return None
    return out


def _job(chk: _Checker, node: yaml.Node, index: int) -> Job | None:
    if not isinstance(node, yaml.MappingNode):
        chk.add(_line(node), f"job {index}", "", "expected a mapping of fields (id, title, "
                f"employer, ...), found {_describe(node)}")
        return None
    ident = next((_text(v) for k, v in node.value if _text(k) == "id"), None)
    who = f"job '{ident}'" if ident else f"job {index}"
    values: dict = {}
    lines: dict[str, int] = {}
    ok = True
    for key_node, value_node in node.value:
        key = _text(key_node) or ""
        f = JOB_FIELDS_BY_NAME.get(key)
        if f is None:
            chk.add(_line(key_node), who, key, "is not a known job field; known fields: "
                    + ", ".join(JOB_FIELDS_BY_NAME))
            ok = False
            continue
        if key in values:
            chk.add(_line(key_node), who, key, f"appears twice (first on line {lines[key]}); "
                    "keep one")
            ok = False
            continue
        lines[key] = _line(key_node)
        value = _value(chk, f, value_node, who)
        if value is None:
            ok = False
        values[key] = value
    for f in JOB_FIELDS:
        if f.required and f.name not in values:
            chk.add(_line(node), who, f.name, f"is required but missing ({f.description})")
            ok = False
    if not ok:
        return None
    arrangement = values["arrangement"]
    if arrangement != "remote":
        for name in ("city", "state"):
            if name not in values:
                chk.add(_line(node), who, name, f"is required for {arrangement} jobs "
                        f"({JOB_FIELDS_BY_NAME[name].description})")
                ok = False
    elif "remote_states" in values and not values["remote_states"]:
        chk.add(lines["remote_states"], who, "remote_states", "is empty; leave it out when "
                "applicants may live anywhere in the US")
        ok = False
    if arrangement == "on-site" and "remote_states" in values:
        chk.add(lines["remote_states"], who, "remote_states", "is only for remote jobs")
        ok = False
    if "apply_url" not in values and "apply_email" not in values:
        chk.add(_line(node), who, "apply_url", "is missing: give apply_url or apply_email so "
                "readers can apply")
        ok = False
    if values["expires"] < values["posted"]:
        chk.add(lines["expires"], who, "expires", f"is {values['expires'].isoformat()}, before "
                f"'posted' {values['posted'].isoformat()}")
        ok = False
    if not ok:
        return None
    return Job(file=chk.file, line=_line(node), **values)


def load_jobs(path: Path, name: str | None = None) -> tuple[list[Job], list[Problem]]:
    """Read and check a jobs file; `name` is how messages call it (data/jobs.yaml)."""
    chk = _Checker(name or path.as_posix())
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=_Loader)
    except UnicodeDecodeError as exc:
        chk.add(1, "", "", f"is not UTF-8 text: {exc.reason}")
        return [], chk.problems
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        chk.add(mark.line + 1 if mark else 1, "", "", f"is not valid YAML: "
                f"{getattr(exc, 'problem', None) or exc}; check indentation and quoting")
        return [], chk.problems
    if root is None:
        return [], []
    jobs_node = None
    if isinstance(root, yaml.MappingNode):
        for key_node, value_node in root.value:
            if _text(key_node) == "jobs":
                jobs_node = value_node
            else:
                chk.add(_line(key_node), "", _text(key_node) or "",
                        "is not a known key; the file holds one 'jobs:' list")
    if not isinstance(jobs_node, yaml.SequenceNode):
        chk.add(_line(jobs_node or root), "", "jobs", "is required: put the postings in a "
                "'jobs:' list")
        return [], chk.problems
    jobs: list[Job] = []
    seen: dict[str, Job] = {}
    for i, item in enumerate(jobs_node.value, 1):
        job = _job(chk, item, i)
        if job is None:
            continue
        if job.id in seen:
            chk.add(job.line, f"job '{job.id}'", "id", f"duplicates the job on line "
                    f"{seen[job.id].line}; each posting needs its own id")
            continue
        seen[job.id] = job
        jobs.append(job)
    return jobs, chk.problems


def build_date() -> dt.date:
    """The date that decides which postings are open: CODES_BUILD_DATE, or today."""
    value = os.environ.get(BUILD_DATE_ENV)
    if value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise JobsError(f"{BUILD_DATE_ENV}={value!r} is not a date; use YYYY-MM-DD") from None
    return dt.date.today()


# --- pages -------------------------------------------------------------------------------

def _json_ld(data: dict) -> Markup:
    # JSON inside <script>: "<" escaped so no text can close the element.
    text = json.dumps(data, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def job_posting(job: Job, url: str | None = None) -> dict:
    """The schema.org JobPosting of a job, with the fields Google requires and recommends."""
    description = "".join(f"<p>{_escape(p)}</p>" for p in job.paragraphs)
    org: dict = {"@type": "Organization", "name": job.employer}
    if job.employer_url:
        org["sameAs"] = job.employer_url
    data: dict = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": job.title,
        "description": description,
        "identifier": {"@type": "PropertyValue", "name": job.employer, "value": job.id},
        "datePosted": job.posted.isoformat(),
        "validThrough": f"{job.expires.isoformat()}T23:59:59",
        "employmentType": EMPLOYMENT_TYPES[job.employment_type],
        "hiringOrganization": org,
        "directApply": False,
    }
    if url:
        data["url"] = url
    if job.arrangement == "remote":
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = (
            [{"@type": "State", "name": STATES[s]} for s in job.remote_states]
            if job.remote_states else [{"@type": "Country", "name": "USA"}])
    else:
        data["jobLocation"] = {"@type": "Place", "address": {
            "@type": "PostalAddress", "addressLocality": job.city,
            "addressRegion": job.state, "addressCountry": "US"}}
    if job.salary:
        data["baseSalary"] = {"@type": "MonetaryAmount", "currency": "USD", "value": {
            "@type": "QuantitativeValue", "minValue": job.salary["min"],
            "maxValue": job.salary["max"], "unitText": SALARY_PERIODS[job.salary["period"]]}}
    if job.credentials:
        data["qualifications"] = "One of: " + ", ".join(job.credentials)
    if job.specialty:
        data["occupationalCategory"] = job.specialty
    return data


def _escape(text: str) -> str:
    return str(Markup.escape(text))


def _salary_text(salary: dict | None) -> str:
    if not salary:
        return ""
    def money(v):
        return f"${v:,.2f}" if isinstance(v, float) else f"${v:,}"
    return f"{money(salary['min'])}–{money(salary['max'])} per {salary['period']}"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True)
    env.filters["salary"] = _salary_text
    env.globals.update(ARRANGEMENTS=ARRANGEMENTS, CREDENTIALS=CREDENTIALS, STATES=STATES)
    return env


def _front_matter(title: str, description: str) -> str:
    # HTML-escaped: Material prints the title and description into the page unescaped.
    title, description = html.escape(title), html.escape(description)
    return f"---\ntitle: {json.dumps(title)}\ndescription: {json.dumps(description)}\n---\n\n"


def _absolute(site_url: str | None, uri: str, directory_urls: bool) -> str | None:
    if not site_url:
        return None
    return site_url.rstrip("/") + "/" + page_url(uri, directory_urls)


def render_files(jobs: list[Job], today: dt.date, directory_urls: bool = True,
                 site_url: str | None = None) -> dict[str, str]:
    """Every file of the job board: docs-tree path -> content (Markdown pages whose body is
    the HTML the templates render, and the Atom feed)."""
    env = _environment()
    listing_uri = f"{FOLDER}/index.md"
    open_jobs = sorted((j for j in jobs if j.is_open(today)), key=lambda j: (-j.posted.toordinal(), j.title))

    def root(uri: str) -> str:
        return "../" * page_url(uri, directory_urls).count("/")

    files: dict[str, str] = {}
    credentials = sorted({c for j in open_jobs for c in j.credentials})
    states = sorted({s for j in open_jobs for s in j.filter_states if s != "US"})
    body = env.get_template("jobs.html.j2").render(
        jobs=[(j, page_href(listing_uri, j.src_uri, directory_urls)) for j in open_jobs],
        credentials=credentials, states=states, today=today, root=root(listing_uri),
        post=page_href(listing_uri, POST_URI, directory_urls),
        closed=len([j for j in jobs if today > j.expires]))
    files[listing_uri] = _front_matter(
        "Medical coding jobs",
        "Open positions for medical coders, auditors and CDI specialists, filterable by "
        "credential, work arrangement and state.") + body
    for job in jobs:
        uri = job.src_uri
        ld = job_posting(job, _absolute(site_url, uri, directory_urls)) if job.is_open(today) \
            else None
        body = env.get_template("jobs-posting.html.j2").render(
            job=job, today=today, open=job.is_open(today), upcoming=today < job.posted,
            json_ld=_json_ld(ld) if ld else None, root=root(uri),
            post=page_href(uri, POST_URI, directory_urls),
            listing=page_href(uri, listing_uri, directory_urls))
        files[uri] = _front_matter(f"{job.title}, {job.employer}",
                                   f"{job.title} at {job.employer}: {job.location}.") + body
    base = _absolute(site_url, listing_uri, directory_urls)
    files[f"{FOLDER}/feed.xml"] = env.get_template("jobs-feed.xml.j2").render(
        jobs=[(j, page_href(listing_uri, j.src_uri, directory_urls), uuid.uuid5(
            uuid.NAMESPACE_URL, f"open-code-reference:jobs:{j.id}")) for j in open_jobs],
        updated=max((j.posted for j in open_jobs), default=today), base=base,
        feed_id=uuid.uuid5(uuid.NAMESPACE_URL, "open-code-reference:jobs"))
    return files


def site_files(data_dir: Path, root: Path, directory_urls: bool = True,
               site_url: str | None = None) -> dict[str, str]:
    """The job board's files for a site whose data folder is `data_dir`; nothing when the
    folder has no jobs.yaml. Raises JobsError listing every problem in the file."""
    path = data_dir / JOBS_FILE
    if not path.is_file():
        return {}
    try:
        name = path.relative_to(root).as_posix()
    except ValueError:
        name = path.as_posix()
    jobs, problems = load_jobs(path, name)
    if problems:
        raise JobsError(f"{len(problems)} error(s) in {name}:\n"
                        + "\n".join(str(p) for p in problems))
    return render_files(jobs, build_date(), directory_urls, site_url)
